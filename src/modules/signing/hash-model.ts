import { createHash } from 'node:crypto';
import path from 'node:path';
import { collectModelFiles, GIT_IGNORE_PATHS, SIGNATURE_FILE_NAME } from '../manifest/index.js';
import { type HashTask, hashRanges } from './parallel-hash.js';
import { compareShards, fileShards, type Shard, shardedAlgorithm, shardName } from './sharded-manifest.js';
import { serializationUnsupported } from './signing-errors.js';
import type { Resource, Serialization } from './statement.js';

export type Method = 'files' | 'shards';

/** `hash_type` values → Node hash and the resource algorithm name the reference records. */
const hashTypes: Record<string, { node: string; name: string }> = {
  sha256: { node: 'sha256', name: 'sha256' },
  blake2: { node: 'blake2b512', name: 'blake2b' },
};

export interface HashModelOptions {
  method: Method;
  hashType?: string;
  shardSize?: number;
  /** Paths to leave out: relative to the model root, or resolving (from `cwd`) inside it. */
  ignorePaths?: readonly string[];
  /** Leave out `.git`, `.gitattributes`, `.github`, `.gitignore` (default true). */
  ignoreGitPaths?: boolean;
  cwd?: string;
  /** Hash only files with these paths (verify --ignore-unsigned-files); others are left out. */
  onlyPaths?: ReadonlySet<string>;
  /**
   * Signing: refuse, before hashing, a model no verifier could check. A path with `:` cannot be a shard
   * name (`path:start:end`): the reference verifier (manifest.py, `_ShardSerialization.new_item`) rejects
   * the whole signature, and so does Warden's.
   */
  forSigning?: boolean;
  workers?: number;
  onProgress?(bytesDone: number, bytesTotal: number): void;
}

export interface HashedModel {
  /** Subject name: the directory's (or the single file's) base name. */
  modelName: string;
  kind: 'file' | 'directory';
  /** In manifest order. */
  resources: Resource[];
  rootDigest: string;
  serialization: Serialization;
  totalSize: number;
}

/** SHA-256 over the raw bytes of every resource digest, in order (whatever the resource hash). */
export function rootDigestOf(resources: readonly Pick<Resource, 'digest'>[]): string {
  const hash = createHash('sha256');
  for (const r of resources) hash.update(Buffer.from(r.digest, 'hex'));
  return hash.digest('hex');
}

/** The ignore list in the order the reference records it: `.git`, the signature, the user's, the rest. */
function recordedIgnorePaths(applied: readonly string[], ignoreGitPaths: boolean): string[] {
  const git = new Set<string>(GIT_IGNORE_PATHS);
  const user = applied.filter((p) => !git.has(p) && p !== SIGNATURE_FILE_NAME);
  return ignoreGitPaths
    ? ['.git', SIGNATURE_FILE_NAME, ...user, '.gitattributes', '.gitignore', '.github']
    : [SIGNATURE_FILE_NAME, ...user];
}

/**
 * Hashes a model file or directory with the OpenSSF model-signing `files` or `shards` serialization. Files
 * (or shards) are hashed in parallel on worker threads, largest first, streaming 4 MiB at a time.
 */
export async function hashModel(modelPath: string, options: HashModelOptions): Promise<HashedModel> {
  const hashType = options.hashType ?? 'sha256';
  const hasher = hashTypes[hashType];
  if (!hasher) throw serializationUnsupported(`hash_type ${JSON.stringify(hashType)}`);
  const ignoreGitPaths = options.ignoreGitPaths ?? true;
  const model = await collectModelFiles(modelPath, {
    ignorePaths: options.ignorePaths ?? [],
    ignoreGitPaths,
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  const files = options.onlyPaths ? model.files.filter((f) => options.onlyPaths?.has(f.path)) : model.files;
  const totalSize = files.reduce((sum, f) => sum + f.size, 0);
  const serialization: Serialization = { method: options.method, hash_type: hashType, allow_symlinks: false };
  let names: string[];
  let algorithm: string;
  let tasks: HashTask[];
  if (options.method === 'shards') {
    const shardSize = options.shardSize ?? 1_000_000_000;
    if (!Number.isSafeInteger(shardSize) || shardSize <= 0)
      throw serializationUnsupported(`shard_size ${shardSize}`);
    serialization.shard_size = shardSize;
    const unnamable = options.forSigning ? files.find((f) => f.path.includes(':')) : undefined;
    if (unnamable)
      throw serializationUnsupported(
        `shards of ${JSON.stringify(unnamable.path)}: a path with ':' cannot be named path:start:end, so no verifier could check the signature; sign with --method files`,
      );
    const abs = new Map(files.map((f) => [f.path, f.absPath]));
    const shards: Shard[] = files.flatMap((f) => fileShards(f.path, f.size, shardSize)).sort(compareShards);
    names = shards.map(shardName);
    algorithm = shardedAlgorithm(hasher.name, shardSize);
    tasks = shards.map((s) => ({ path: abs.get(s.path) as string, start: s.start, end: s.end }));
  } else {
    names = files.map((f) => f.path);
    algorithm = hasher.name;
    tasks = files.map((f) => ({ path: f.absPath, start: 0, end: -1, size: f.size }));
  }
  if (model.kind === 'directory')
    serialization.ignore_paths = recordedIgnorePaths(model.ignorePaths, ignoreGitPaths);
  const digests = await hashRanges(tasks, {
    algorithm: hasher.node,
    ...(options.workers ? { workers: options.workers } : {}),
    onProgress: (done) => options.onProgress?.(done, totalSize),
  });
  const resources = digests.map((d, i) => ({ name: names[i] as string, algorithm, digest: d.digest }));
  return {
    modelName: path.basename(model.root),
    kind: model.kind,
    resources,
    rootDigest: rootDigestOf(resources),
    serialization,
    totalSize: digests.reduce((sum, d) => sum + d.size, 0),
  };
}
