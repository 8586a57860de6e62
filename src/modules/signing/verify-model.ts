import { createPublicKey, verify } from 'node:crypto';
import path from 'node:path';
import { parseBundle } from './bundle.js';
import { compareManifests } from './compare-manifests.js';
import { IN_TOTO_PAYLOAD_TYPE, pae } from './dsse.js';
import { loadPublicKey, publicKeyHint, publicKeyPem } from './ec-keys.js';
import { hashModel, rootDigestOf } from './hash-model.js';
import { parseShardName, shardedAlgorithm } from './sharded-manifest.js';
import { parseStatement, type Resource, type Serialization } from './statement.js';

export const problemKinds = [
  'signature',
  'payload',
  'root_digest',
  'serialization',
  'extra',
  'missing',
  'changed',
] as const;

export interface VerifyProblem {
  kind: (typeof problemKinds)[number];
  path?: string;
  detail: string;
}

export interface VerifyResult {
  ok: boolean;
  /** Every problem found, in verification order; empty when ok. */
  problems: VerifyProblem[];
  /** The signed root digest (hex), once the payload could be read. */
  rootDigest: string | null;
  /** Hex SHA-256 of the verifying public key's PEM, when the signature is valid. */
  signedBy?: string;
  modelName?: string;
  method?: Serialization['method'];
}

export interface VerifyModelInput {
  modelPath: string;
  /** The bundle JSON text. */
  signature: string;
  /** Where the signature file is; it is never part of the model. */
  signaturePath?: string;
  publicKeyPem: string | Buffer;
  ignorePaths?: readonly string[];
  ignoreUnsignedFiles?: boolean;
  cwd?: string;
  workers?: number;
  onProgress?(bytesDone: number, bytesTotal: number): void;
}

const hashNames: Record<string, string> = { sha256: 'sha256', blake2: 'blake2b' };

function expectedAlgorithm(s: Serialization): string | null {
  const name = hashNames[s.hash_type];
  if (!name) return null;
  return s.method === 'shards' ? shardedAlgorithm(name, s.shard_size ?? 0) : name;
}

/** Steps 1–2: the key hint, the signature over the PAE, the payload type. */
function checkEnvelope(input: VerifyModelInput, result: VerifyResult): Buffer | null {
  const bundle = parseBundle(input.signature);
  const key = loadPublicKey(input.publicKeyPem);
  const hint = publicKeyHint(key.key);
  if (bundle.hint !== undefined && bundle.hint !== hint)
    result.problems.push({
      kind: 'signature',
      detail: `the signature was made with key ${bundle.hint}, not the given key ${hint}`,
    });
  if (bundle.rawKey) {
    let embedded: string | null = null;
    try {
      embedded = publicKeyPem(createPublicKey(bundle.rawKey.toString('utf8')));
    } catch {}
    if (embedded !== publicKeyPem(key.key))
      result.problems.push({
        kind: 'signature',
        detail: 'the key embedded in the signature is not the given key',
      });
  }
  if (!verify(key.hash, pae(bundle.payloadType, bundle.payload), key.key, bundle.signature)) {
    result.problems.push({
      kind: 'signature',
      detail: 'the ECDSA signature does not verify with the given public key over the DSSE payload',
    });
    return null;
  }
  if (result.problems.length) return null;
  result.signedBy = hint;
  if (bundle.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    result.problems.push({
      kind: 'payload',
      detail: `payloadType is ${JSON.stringify(bundle.payloadType)}, expected ${IN_TOTO_PAYLOAD_TYPE}`,
    });
    return null;
  }
  return bundle.payload;
}

/** The user's ignore paths, made absolute when they name something inside the model from `cwd`. */
function userIgnores(paths: readonly string[], root: string, cwd: string): string[] {
  return paths.map((p) => {
    const abs = path.resolve(cwd, p);
    const rel = path.relative(root, abs);
    return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? abs : p;
  });
}

/**
 * Verifies a model against a key-based model-signing bundle in the reference verifier's order: signature,
 * payload type, statement, root digest, then a re-hash of the local model compared file by file. Returns
 * every problem found; throws only when the signature file or key cannot be read at all.
 */
export async function verifyModel(input: VerifyModelInput): Promise<VerifyResult> {
  const result: VerifyResult = { ok: false, problems: [], rootDigest: null };
  const payload = checkEnvelope(input, result);
  if (!payload) return result;
  const statement = parseStatement(payload);
  if (!statement.ok) {
    result.problems.push({ kind: 'payload', detail: statement.detail });
    return result;
  }
  const { serialization, resources } = statement;
  Object.assign(result, {
    rootDigest: statement.rootDigest,
    modelName: statement.modelName,
    method: serialization.method,
  });
  if (statement.rootDigest !== null && rootDigestOf(resources) !== statement.rootDigest) {
    result.problems.push({
      kind: 'root_digest',
      detail: `the signed resources hash to ${rootDigestOf(resources)}, not the subject digest ${statement.rootDigest}`,
    });
    return result;
  }
  const algorithm = expectedAlgorithm(serialization);
  if (!algorithm) {
    result.problems.push({
      kind: 'serialization',
      detail: `unsupported hash_type ${serialization.hash_type}`,
    });
    return result;
  }
  const sharded = serialization.method === 'shards';
  const wrong = resources.find((r) => r.algorithm !== algorithm || (sharded && !parseShardName(r.name)));
  if (wrong) {
    result.problems.push({
      kind: 'serialization',
      path: wrong.name,
      detail: `resource ${JSON.stringify(wrong.name)} (${wrong.algorithm}) does not fit the ${serialization.method} serialization with ${algorithm}`,
    });
    return result;
  }
  const local = await hashLocal(input, serialization, resources);
  result.problems.push(
    ...compareManifests(resources, local, { sharded, ignoreUnsigned: input.ignoreUnsignedFiles ?? false }),
  );
  result.ok = result.problems.length === 0;
  return result;
}

/** Step 6: re-hash with the recorded serialization, its ignore paths plus the user's and the signature. */
async function hashLocal(
  input: VerifyModelInput,
  s: Serialization,
  signed: readonly Resource[],
): Promise<Resource[]> {
  const cwd = input.cwd ?? process.cwd();
  const root = path.resolve(cwd, input.modelPath);
  const ignorePaths = [
    ...(s.ignore_paths ?? []),
    ...userIgnores(input.ignorePaths ?? [], root, cwd),
    ...(input.signaturePath ? [path.resolve(cwd, input.signaturePath)] : []),
  ];
  const onlyPaths = input.ignoreUnsignedFiles
    ? new Set(signed.map((r) => (s.method === 'shards' ? (parseShardName(r.name)?.path ?? r.name) : r.name)))
    : undefined;
  const model = await hashModel(root, {
    method: s.method,
    hashType: s.hash_type,
    ...(s.shard_size !== undefined ? { shardSize: s.shard_size } : {}),
    ignorePaths,
    // A recorded list already names the git paths it ignored; without one, use the reference defaults.
    ignoreGitPaths: s.ignore_paths === undefined,
    // Recorded ignore paths are relative to the model root.
    cwd: root,
    ...(onlyPaths ? { onlyPaths } : {}),
    ...(input.workers ? { workers: input.workers } : {}),
    ...(input.onProgress ? { onProgress: input.onProgress } : {}),
  });
  return model.resources;
}
