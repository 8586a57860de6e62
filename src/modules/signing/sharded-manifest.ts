import { compareOmsPaths } from '../manifest/index.js';

/** The reference default shard size: 1 GB (decimal). */
export const DEFAULT_SHARD_SIZE = 1_000_000_000;

export interface Shard {
  path: string;
  start: number;
  /** Exclusive. */
  end: number;
}

/** A file's shards: `[0, s), [s, 2s), …` with the last one ending at the file size; none for an empty file. */
export function fileShards(path: string, size: number, shardSize: number): Shard[] {
  const shards: Shard[] = [];
  for (let start = 0; start < size; start += shardSize)
    shards.push({ path, start, end: Math.min(start + shardSize, size) });
  return shards;
}

/** The resource name of a shard: `path:start:end`. */
export const shardName = (s: Shard): string => `${s.path}:${s.start}:${s.end}`;

/** Parses `path:start:end`, or null. Paths with a colon are not representable, as in the reference. */
export function parseShardName(name: string): Shard | null {
  const parts = name.split(':');
  if (parts.length !== 3) return null;
  const [path, start, end] = parts as [string, string, string];
  if (!/^\d+$/.test(start) || !/^\d+$/.test(end)) return null;
  return { path, start: Number(start), end: Number(end) };
}

/** Manifest order of shards: by path (component by component), then start, then end. */
export function compareShards(a: Shard, b: Shard): number {
  return compareOmsPaths(a.path, b.path) || a.start - b.start || a.end - b.end;
}

/** The resource algorithm name of the shards method, e.g. `sha256-sharded-1000000000`. */
export const shardedAlgorithm = (hashName: string, shardSize: number): string =>
  `${hashName}-sharded-${shardSize}`;
