import type { CallContext } from '../../platform/call-context.js';
import type { Clock } from '../../platform/clock.js';
import { newId } from '../../platform/ids.js';
import { isSlug } from '../../platform/slug.js';
import { buildScanAttestation } from '../scanning/index.js';
import { type SignatureVerifier, signatureMismatch, signatureUntrusted } from '../signing/index.js';
import { detectFormat } from './detect-format.js';
import { paramsViolation } from './params-limits.js';
import type { PushRequest, Received } from './push-request.js';
import {
  contentDeleted,
  invalidName,
  invalidParams,
  parentNotFound,
  versionExists,
} from './registry.errors.js';
import type { RegistryStore, Stores } from './registry.ports.js';
import type { ModelRecord, VersionRecord } from './registry.types.js';
import { type RegistryAccess, versionResource } from './registry-access.js';
import { resolveVersion } from './resolve-version.js';
import { parseVersionRef, splitModelRef } from './version-ref.js';

/**
 * The request's own checks, before the model is looked up: alias names, and params within their limits.
 * Returns the aliases to set, each once.
 */
export function checkPushRequest(request: PushRequest): string[] {
  const aliases = [...new Set(request.aliases ?? [])];
  for (const alias of aliases) if (!isSlug(alias)) throw invalidName('Alias', alias);
  // The HTTP schema refuses these too; other callers (and the store's serializer) rely on this check.
  const paramsProblem = request.params === undefined ? null : paramsViolation(request.params);
  if (paramsProblem) throw invalidParams(paramsProblem);
  return aliases;
}

/** The version a push names as its parent (`3`, `@prod`, `other-model@2`), or null when it names none. */
export async function resolveParent(
  store: RegistryStore,
  model: ModelRecord,
  parent: string | undefined,
): Promise<VersionRecord | null> {
  if (!parent) return null;
  const { model: name, ref } = splitModelRef(parent.includes('@') ? parent : `${model.name}@${parent}`);
  const owner = name === model.name ? model : await store.findModelByName(name);
  if (!owner || !ref) throw parentNotFound(parent);
  try {
    return await resolveVersion(store, owner, parseVersionRef(ref));
  } catch {
    throw parentNotFound(parent);
  }
}

/** Refuses a push whose content the model already holds, as a live version or a deleted one. */
export function refuseExisting(modelName: string, existing: VersionRecord | undefined, digest: string): void {
  if (existing?.deleted) throw contentDeleted(modelName, existing.number, digest);
  if (existing) throw versionExists(modelName, existing.number, digest);
}

/**
 * Authorizes and checks a signature sent with a push before anything is published, so an untrusted or
 * mismatched one costs no blob. It is verified again, and recorded, in the version's transaction.
 */
export async function precheckSignature(
  deps: {
    read: Pick<Stores, 'registry' | 'signatures'>;
    access: Pick<RegistryAccess, 'require'>;
    verifier: SignatureVerifier;
    clock: Clock;
  },
  input: { model: ModelRecord; request: PushRequest; received: Received; digest: string },
  ctx: CallContext,
): Promise<void> {
  const { read, access, verifier, clock } = deps;
  const { model, request, received, digest } = input;
  const number = await read.registry.nextVersionNumber(model.id);
  const format = request.format ?? detectFormat(received.files);
  const prospective = {
    ...buildVersion(model, request, received, digest, null, ctx.principal, clock),
    number,
    format,
  };
  await access.require(ctx, 'registry:signature:attach', versionResource(model, prospective));
  const check = await verifier.check(read.signatures, request.signature ?? '', {
    digest,
    resources: received.files.map((f) => ({
      name: request.kind === 'file' ? '.' : f.path,
      digest: f.digest,
    })),
  });
  if (!check.ok && check.reason === 'untrusted') throw signatureUntrusted();
  if (!check.ok && check.reason === 'mismatch') throw signatureMismatch(model.name, number, check.detail);
}

/** The version record a push writes; its number is taken under the model's lock when it is published. */
export function buildVersion(
  model: ModelRecord,
  request: PushRequest,
  received: Received,
  digest: string,
  parentId: string | null,
  actor: { id: string; name: string },
  clock: Clock,
): VersionRecord {
  return {
    id: newId(),
    modelId: model.id,
    number: 0,
    digest,
    kind: request.kind,
    format: request.format ?? detectFormat(received.files),
    size: received.total,
    fileCount: received.files.length,
    ioSignature: received.onnx.length === 1 ? (received.onnx[0] ?? null) : null,
    scan: received.scans.length > 0 ? buildScanAttestation(received.scans, clock.now()) : null,
    metrics: request.metrics ?? {},
    params: request.params ?? {},
    metadata: request.metadata ?? {},
    lineage: {
      datasetDigests: request.lineage?.datasetDigests ?? [],
      trainingRun: request.lineage?.trainingRun ?? null,
      parentVersionId: parentId,
      sourceCommit: request.lineage?.sourceCommit ?? null,
    },
    createdBy: actor.id,
    createdByName: actor.name,
    createdAt: clock.now().toISOString(),
    deleted: null,
  };
}
