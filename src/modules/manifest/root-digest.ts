import { createHash } from 'node:crypto';
import { assertSha256Digest } from './digest.js';
import { compareOmsPaths } from './path-order.js';

export interface ResourceDigest {
  name: string;
  /** SHA-256, lowercase hex. */
  digest: string;
}

/** The model's root digest: SHA-256 over the raw bytes of every resource digest, in the order given. */
export function rootDigest(resources: readonly ResourceDigest[]): string {
  const hash = createHash('sha256');
  for (const resource of resources) hash.update(Buffer.from(assertSha256Digest(resource.digest), 'hex'));
  return hash.digest('hex');
}

/** A copy of `resources` in manifest order (by name, component by component). */
export function sortResources<T extends { name: string }>(resources: readonly T[]): T[] {
  return [...resources].sort((a, b) => compareOmsPaths(a.name, b.name));
}
