import { ambiguousDigest, versionNotFound } from './registry.errors.js';
import type { RegistryStore } from './registry.ports.js';
import type { ModelRecord, VersionRecord, VersionRef } from './registry.types.js';
import { formatRef } from './version-ref.js';

/** Finds the version a reference names within one model; an alias is followed to its current version. */
export async function resolveVersion(
  store: RegistryStore,
  model: ModelRecord,
  ref: VersionRef,
): Promise<VersionRecord> {
  let found: VersionRecord | null = null;
  if ('number' in ref) {
    found = await store.findVersionByNumber(model.id, ref.number);
  } else if ('digest' in ref) {
    const hits = await store.findVersionsByDigestPrefix(model.id, ref.digest);
    if (hits.length > 1) throw ambiguousDigest(model.name, `sha256:${ref.digest}`);
    found = hits[0] ?? null;
  } else {
    const alias = await store.findAlias(model.id, ref.alias);
    found = alias ? await store.findVersionById(alias.versionId) : null;
  }
  if (!found) throw versionNotFound(model.name, formatRef(ref));
  return found;
}
