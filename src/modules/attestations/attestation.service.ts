import type { CallContext } from '../../platform/call-context.js';
import type { Clock } from '../../platform/clock.js';
import { newId } from '../../platform/ids.js';
import type { Access, PolicyAction } from '../policy/index.js';
import {
  eventModel,
  parseVersionRef,
  type RegistryStore,
  registryErrors,
  resolveVersion,
  versionResource,
} from '../registry/index.js';
import { attestationExists, attestationNotFound, attestationTypeUnsupported } from './attestation.errors.js';
import type { AttestationEvent } from './attestation.events.js';
import type { AttestationStores, AttestationUnitOfWork } from './attestation.ports.js';
import { type AttestationRecord, attestationTypes } from './attestation.types.js';
import { type AttestationDetailView, type AttestationView, attestationView } from './attestation.views.js';
import { parseVulnReport } from './vuln-report/parse-vuln-report.js';

/** What attestations need from policy and audit: the one access contract, speaking attestation events. */
export type AttestationAccess = Access<AttestationEvent>;

export interface AttestationServiceDeps {
  uow: AttestationUnitOfWork;
  /** Stores on the root connection, for reads that need no transaction. */
  read: Pick<AttestationStores, 'registry' | 'attestations'>;
  clock: Clock;
  access: AttestationAccess;
}

export interface AttachAttestationInput {
  /** What the document is: `vuln-report`. */
  type: string;
  /** The report's format, when the caller names it; it must be what the report is. Detected otherwise. */
  format?: string;
  /** The tool's JSON output, parsed. */
  report: unknown;
}

export type AttestationService = ReturnType<typeof createAttestationService>;

/**
 * Attestations on model versions: documents about a version (vulnerability reports) attached after it was
 * pushed, immutable once attached. Each call is authorized against the version itself (so team scope
 * applies), and each attachment is audited on its own transaction.
 */
export function createAttestationService(deps: AttestationServiceDeps) {
  const { uow, read, clock, access } = deps;

  const requireModel = async (store: RegistryStore, name: string) => {
    const model = await store.findModelByName(name);
    if (!model) throw registryErrors.modelNotFound(name);
    return model;
  };
  /** The version a reference names, once the caller may perform `action` on it. */
  const versionFor = async (ctx: CallContext, action: PolicyAction, name: string, ref: string) => {
    const model = await requireModel(read.registry, name);
    const version = await resolveVersion(read.registry, model, parseVersionRef(ref));
    await access.require(ctx, action, versionResource(model, version));
    return { model, version };
  };

  return {
    /** Attaches a vulnerability report to a version: checked, summarized and stored with its audit entry. */
    async attach(
      name: string,
      ref: string,
      input: AttachAttestationInput,
      ctx: CallContext,
    ): Promise<AttestationView> {
      const type = attestationTypes.find((t) => t === input.type);
      if (type === undefined) throw attestationTypeUnsupported(input.type);
      const { model, version } = await versionFor(ctx, 'attestation:create', name, ref);
      if (version.deleted) throw registryErrors.versionDeleted(name, version.number, version.deleted);
      const parsed = parseVulnReport(input.report, input.format);
      return uow.run(async (stores) => {
        // Serialized with deletion: nothing is attested on a version being deleted.
        await stores.registry.lockModel(model.id);
        const deleted = (await stores.registry.findVersionById(version.id))?.deleted;
        if (deleted) throw registryErrors.versionDeleted(name, version.number, deleted);
        const same = (await stores.attestations.listForVersion(version.id)).find(
          (a) => a.type === type && a.digest === parsed.digest,
        );
        if (same) throw attestationExists(model.name, version.number, same.id);
        const record: AttestationRecord = {
          id: newId(),
          versionId: version.id,
          type,
          format: parsed.format,
          digest: parsed.digest,
          summary: parsed.summary,
          createdBy: ctx.principal.id,
          createdByName: ctx.principal.name,
          createdAt: clock.now().toISOString(),
        };
        await stores.attestations.insert(record, parsed.document);
        await access.record(stores, ctx, {
          type: 'attestation.created',
          model: eventModel(model),
          version: version.number,
          versionDigest: version.digest,
          attestation: {
            id: record.id,
            type,
            format: record.format,
            tool: record.summary.tool,
            digest: record.digest,
            findings: record.summary.findings,
            maxSeverity: record.summary.maxSeverity,
          },
        });
        return attestationView(model, version, record);
      });
    },

    /** A version's attestations, oldest first (a deleted version's too: they are part of its record). */
    async list(name: string, ref: string, ctx: CallContext): Promise<AttestationView[]> {
      const { model, version } = await versionFor(ctx, 'attestation:list', name, ref);
      const records = await read.attestations.listForVersion(version.id);
      return records.map((r) => attestationView(model, version, r));
    },

    /** One attestation with the report it attests. */
    async get(name: string, ref: string, id: string, ctx: CallContext): Promise<AttestationDetailView> {
      const { model, version } = await versionFor(ctx, 'attestation:list', name, ref);
      const found = await read.attestations.findWithDocument(version.id, id);
      if (!found) throw attestationNotFound(model.name, version.number, id);
      return { ...attestationView(model, version, found.record), report: JSON.parse(found.document) };
    },
  };
}
