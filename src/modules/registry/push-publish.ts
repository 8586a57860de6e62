import type { CallContext } from '../../platform/call-context.js';
import type { BlobStore } from '../artifacts/index.js';
import { buildVersion, refuseExisting } from './push-checks.js';
import type { PushRequest, Received } from './push-request.js';
import { pushConflict } from './registry.errors.js';
import type { Stores } from './registry.ports.js';
import type { ModelRecord, VersionFile, VersionRecord } from './registry.types.js';
import { type VersionDetailView, type VersionView, versionDetailView } from './registry.views.js';
import { eventModel } from './registry-access.js';
import { moveAlias } from './registry-aliases.js';
import type { RegistryServiceDeps } from './registry-deps.js';
import { attachVerified } from './registry-signatures.js';

/** The stores publishing a version writes, all on one transaction. */
export type PublishStores = Pick<Stores, 'registry' | 'audit' | 'outbox' | 'signatures'>;

export interface PublishDeps extends Pick<RegistryServiceDeps, 'blobs' | 'clock' | 'access' | 'verifier'> {
  toView(stores: PublishStores, model: ModelRecord, v: VersionRecord): Promise<VersionView>;
}

export interface Publication {
  model: ModelRecord;
  request: PushRequest;
  received: Received;
  /** The root digest (hex). */
  digest: string;
  parent: VersionRecord | null;
  aliases: string[];
  /** Digests this push stored for the first time (the others were already there). */
  created: string[];
}

/**
 * Claims every blob the version relies on (the row the collector locks too), then checks that the ones
 * this push found already stored are still there: a deletion may have destroyed one since.
 */
async function claimBlobs(
  stores: PublishStores,
  blobs: Pick<BlobStore, 'stat'>,
  modelName: string,
  files: VersionFile[],
  created: string[],
): Promise<void> {
  await stores.registry.claimBlobs(files.map((f) => f.digest));
  const fresh = new Set(created);
  for (const file of files) {
    if (!fresh.has(file.digest) && !(await blobs.stat(file.digest))) throw pushConflict(modelName);
  }
}

/**
 * Publishes a received version on the caller's transaction, with the model locked: the checks repeated
 * under the lock, the version row and its audit entry, the signature sent with it, and the aliases it
 * sets (moved exactly as `setAlias` moves them). All of it commits together or not at all.
 */
export async function publishVersion(
  stores: PublishStores,
  deps: PublishDeps,
  p: Publication,
  ctx: CallContext,
): Promise<VersionDetailView> {
  const { registry } = stores;
  const { model, request, received, digest } = p;
  await registry.lockModel(model.id);
  refuseExisting(model.name, (await registry.findVersionsByDigestPrefix(model.id, digest))[0], digest);
  await claimBlobs(stores, deps.blobs, model.name, received.files, p.created);
  const version = buildVersion(
    model,
    request,
    received,
    digest,
    p.parent?.id ?? null,
    ctx.principal,
    deps.clock,
  );
  version.number = await registry.nextVersionNumber(model.id);
  await registry.insertVersion(version, received.files);
  await deps.access.record(stores, ctx, {
    type: 'registry.version.pushed',
    model: eventModel(model),
    version: version.number,
    digest,
    files: received.files.length,
    size: received.total,
  });
  const at = version.createdAt;
  if (request.signature !== undefined) {
    const bundle = request.signature;
    await attachVerified(stores, ctx, { model, version, files: received.files, bundle, at }, deps);
  }
  for (const alias of p.aliases) {
    const reason = `set on push of version ${version.number}`;
    await moveAlias(stores, deps.access, ctx, { model, alias, target: version, reason, at });
  }
  return versionDetailView(await deps.toView(stores, model, version), version.kind, received.files);
}
