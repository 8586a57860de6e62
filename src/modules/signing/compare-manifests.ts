import { timingSafeEqual } from 'node:crypto';
import { parseShardName } from './sharded-manifest.js';
import type { Resource } from './statement.js';

export interface ManifestProblem {
  kind: 'extra' | 'missing' | 'changed';
  path: string;
  detail: string;
}

function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Groups resources by file: a file's name, or the path of a `path:start:end` shard. */
function byFile(resources: readonly Resource[], sharded: boolean): Map<string, Resource[]> {
  const out = new Map<string, Resource[]>();
  for (const r of resources) {
    const file = sharded ? (parseShardName(r.name)?.path ?? r.name) : r.name;
    const list = out.get(file) ?? [];
    list.push(r);
    out.set(file, list);
  }
  return out;
}

function fileDiff(signed: Resource[], local: Resource[], sharded: boolean): string | null {
  const localByName = new Map(local.map((r) => [r.name, r]));
  const diffs: string[] = [];
  for (const s of signed) {
    const l = localByName.get(s.name);
    const label = sharded ? `shard ${s.name.slice(s.name.indexOf(':') + 1)}` : 'digest';
    if (!l) diffs.push(`${label} is missing (the file's size changed)`);
    else if (s.algorithm !== l.algorithm) diffs.push(`${label} uses ${s.algorithm}, expected ${l.algorithm}`);
    else if (!sameDigest(s.digest, l.digest))
      diffs.push(`${label} ${l.digest} does not match the signed ${s.digest}`);
  }
  const signedNames = new Set(signed.map((r) => r.name));
  for (const l of local)
    if (!signedNames.has(l.name))
      diffs.push(`unsigned ${sharded ? 'shard' : 'resource'} ${l.name} (the file grew)`);
  return diffs.length ? diffs.join('; ') : null;
}

/**
 * Compares the signed manifest with the local one, file by file, naming every extra, missing and changed
 * file. Extra files are problems unless `ignoreUnsigned`.
 */
export function compareManifests(
  signed: readonly Resource[],
  local: readonly Resource[],
  options: { sharded: boolean; ignoreUnsigned: boolean },
): ManifestProblem[] {
  const want = byFile(signed, options.sharded);
  const have = byFile(local, options.sharded);
  const problems: ManifestProblem[] = [];
  for (const [file, resources] of want) {
    const mine = have.get(file);
    if (!mine) problems.push({ kind: 'missing', path: file, detail: 'signed, but not in the local model' });
    else {
      const diff = fileDiff(resources, mine, options.sharded);
      if (diff) problems.push({ kind: 'changed', path: file, detail: diff });
    }
  }
  if (!options.ignoreUnsigned)
    for (const file of have.keys())
      if (!want.has(file))
        problems.push({ kind: 'extra', path: file, detail: 'in the local model, but not signed' });
  return problems;
}
