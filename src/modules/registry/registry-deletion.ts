import type { BlobCollector } from '../artifacts/index.js';
import type { CallContext } from '../identity/index.js';
import { invalidReason, versionAliased, versionDeleted, versionNotFound } from './registry.errors.js';
import type { Stores } from './registry.ports.js';
import type { ModelRecord, VersionRecord } from './registry.types.js';
import type { VersionView } from './registry.views.js';
import { eventModel } from './registry-access.js';
import type { RegistryServiceDeps } from './registry-deps.js';

export const MAX_REASON_LENGTH = 500;

export interface DeletionResult {
  version: VersionView;
  /** What became of the version's blobs: destroyed (data key erased), kept by other live versions, or left for a retry. */
  blobs: { destroyed: number; retained: number; pending: number };
}

interface DeletionDeps extends Pick<RegistryServiceDeps, 'uow' | 'clock' | 'logger' | 'access'> {
  collector: BlobCollector;
  versionFor(
    ctx: CallContext,
    action: 'registry:version:delete',
    name: string,
    ref: string,
  ): Promise<{ model: ModelRecord; version: VersionRecord }>;
  toView(stores: Stores, model: ModelRecord, v: VersionRecord): Promise<VersionView>;
}

/** Control characters other than tab and line feed: C0, DEL and C1. */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c <= 0x1f && c !== 0x09 && c !== 0x0a) || (c >= 0x7f && c <= 0x9f)) return true;
  }
  return false;
}

/** A reason is kept in the version's tombstone and the audit log: plain text, one line or several. */
export function checkReason(reason: string): string {
  const trimmed = reason.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_REASON_LENGTH || hasControlCharacter(trimmed)) {
    throw invalidReason(MAX_REASON_LENGTH);
  }
  return trimmed;
}

/**
 * Deleting a version: its record stays as a tombstone (number, digest, manifest, signatures, lineage and
 * alias history remain readable, and the audit log names it), while its bytes are destroyed. The tombstone
 * and the audit entry are written in one transaction; then every blob no live version still names is
 * crypto-shredded by the collector. A version an alias points at is refused: move the alias first.
 */
export function createDeletionUseCases(deps: DeletionDeps) {
  const { uow, clock, logger, collector, versionFor, toView } = deps;
  const { access } = deps;

  return {
    async deleteVersion(
      name: string,
      ref: string,
      reason: string,
      ctx: CallContext,
    ): Promise<DeletionResult> {
      const why = checkReason(reason);
      const { model, version } = await versionFor(ctx, 'registry:version:delete', name, ref);
      const { view, digests } = await uow.run(async (stores) => {
        const { registry } = stores;
        await registry.lockModel(model.id);
        const current = await registry.findVersionById(version.id);
        if (!current) throw versionNotFound(name, ref);
        if (current.deleted) throw versionDeleted(name, current.number, current.deleted);
        const aliases = (await registry.listAliases(model.id))
          .filter((a) => a.versionId === current.id)
          .map((a) => a.name);
        if (aliases.length > 0) throw versionAliased(name, current.number, aliases);
        const files = await registry.listVersionFiles(current.id);
        const deletion = {
          at: clock.now().toISOString(),
          by: ctx.principal.id,
          byName: ctx.principal.name,
          reason: why,
        };
        // Its files and what is attached to it (a monitoring reference dataset) lose this version's reference.
        const digests = await registry.listVersionBlobs(current.id);
        await registry.markVersionDeleted(current.id, deletion);
        await registry.requestBlobCollection(digests, deletion.at);
        await access.record(stores, ctx, {
          type: 'registry.version.deleted',
          model: eventModel(model),
          version: current.number,
          digest: current.digest,
          files: files.length,
          reason: why,
        });
        return { view: await toView(stores, model, { ...current, deleted: deletion }), digests };
      });
      // After the commit: a crash from here on leaves the requests recorded, and the next start finishes them.
      const collected = await collector.collect(digests);
      logger.info(
        {
          event: 'version.deleted',
          actor: ctx.principal.id,
          model: name,
          version: view.number,
          destroyed: collected.destroyed.length,
          retained: collected.kept.length,
        },
        'version deleted',
      );
      return {
        version: view,
        blobs: {
          destroyed: collected.destroyed.length,
          retained: collected.kept.length,
          pending: collected.failed.length,
        },
      };
    },
  };
}
