export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const PREDICATE_TYPE = 'https://model_signing/signature/v1.0';
/** The v0.2 predicate some signatures in the wild still carry; the reference verifier accepts it. */
export const LEGACY_PREDICATE_TYPE = 'https://model_signing/Digests/v0.1';

export interface Serialization {
  method: 'files' | 'shards';
  hash_type: string;
  shard_size?: number;
  allow_symlinks: boolean;
  ignore_paths?: string[];
}

export interface Resource {
  name: string;
  algorithm: string;
  /** Lowercase hex. */
  digest: string;
}

export interface ModelStatement {
  _type: string;
  subject: { name: string; digest: { sha256: string } }[];
  predicateType: string;
  predicate: { serialization: Serialization; resources: Resource[] };
}

/** The in-toto statement the reference signs: one subject (the model name and root digest). */
export function buildStatement(
  modelName: string,
  root: string,
  serialization: Serialization,
  resources: Resource[],
): ModelStatement {
  return {
    _type: STATEMENT_TYPE,
    subject: [{ name: modelName, digest: { sha256: root } }],
    predicateType: PREDICATE_TYPE,
    predicate: { serialization, resources },
  };
}

/** A statement's manifest as a verifier needs it, or the reason it cannot be read. */
export type ParsedStatement =
  | {
      ok: true;
      modelName: string;
      rootDigest: string | null;
      serialization: Serialization;
      resources: Resource[];
    }
  | { ok: false; detail: string };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const HEX = /^[0-9a-f]+$/;

function readSerialization(value: unknown): Serialization | string {
  if (!isObject(value)) return 'predicate.serialization is missing';
  const { method, hash_type: hashType, shard_size: shardSize, ignore_paths: ignore } = value;
  if (method !== 'files' && method !== 'shards')
    return `unknown serialization method ${JSON.stringify(method)}`;
  if (typeof hashType !== 'string') return 'serialization.hash_type is missing';
  const out: Serialization = { method, hash_type: hashType, allow_symlinks: value.allow_symlinks === true };
  if (method === 'shards') {
    // Python may write the size as a float (8.0); JSON.parse reads that as the integer 8.
    if (typeof shardSize !== 'number' || !Number.isSafeInteger(shardSize) || shardSize <= 0)
      return 'serialization.shard_size must be a positive integer';
    out.shard_size = shardSize;
  }
  if (ignore !== undefined) {
    if (!Array.isArray(ignore) || !ignore.every((p) => typeof p === 'string'))
      return 'serialization.ignore_paths must be a list of strings';
    out.ignore_paths = ignore;
  }
  return out;
}

function readResources(value: unknown): Resource[] | string {
  if (!Array.isArray(value)) return 'predicate.resources is not a list';
  const out: Resource[] = [];
  for (const r of value) {
    if (
      !isObject(r) ||
      typeof r.name !== 'string' ||
      typeof r.algorithm !== 'string' ||
      typeof r.digest !== 'string'
    )
      return 'a resource lacks name, algorithm or digest';
    if (!HEX.test(r.digest) || r.digest.length % 2)
      return `resource ${JSON.stringify(r.name)} has a non-hex digest`;
    out.push({ name: r.name, algorithm: r.algorithm, digest: r.digest });
  }
  return out;
}

/** Checks `_type`, predicateType and shape (steps 3–4 of the reference verifier). Unknown fields are ignored. */
export function parseStatement(payload: Buffer): ParsedStatement {
  let json: unknown;
  try {
    json = JSON.parse(payload.toString('utf8'));
  } catch {
    return { ok: false, detail: 'the payload is not JSON' };
  }
  if (!isObject(json)) return { ok: false, detail: 'the payload is not a JSON object' };
  if (json._type !== STATEMENT_TYPE)
    return { ok: false, detail: `_type is ${JSON.stringify(json._type)}, expected ${STATEMENT_TYPE}` };
  const subjects = json.subject;
  if (!Array.isArray(subjects)) return { ok: false, detail: 'subject is not a list' };
  if (json.predicateType === LEGACY_PREDICATE_TYPE) {
    // v0.2: every file is a subject, there is no root digest and no serialization record.
    const resources: Resource[] = [];
    for (const s of subjects) {
      const digest = isObject(s) && isObject(s.digest) ? s.digest.sha256 : undefined;
      if (!isObject(s) || typeof s.name !== 'string' || typeof digest !== 'string' || !HEX.test(digest))
        return { ok: false, detail: 'a subject lacks a name or sha256 digest' };
      resources.push({ name: s.name, algorithm: 'sha256', digest });
    }
    return {
      ok: true,
      modelName: 'compat-undefined-not-present',
      rootDigest: null,
      serialization: { method: 'files', hash_type: 'sha256', allow_symlinks: false },
      resources,
    };
  }
  if (json.predicateType !== PREDICATE_TYPE)
    return {
      ok: false,
      detail: `predicateType ${JSON.stringify(json.predicateType)} is not ${PREDICATE_TYPE}`,
    };
  const subject = subjects[0];
  if (subjects.length !== 1 || !isObject(subject) || !isObject(subject.digest))
    return { ok: false, detail: `expected exactly one subject, got ${subjects.length}` };
  const root = subject.digest.sha256;
  if (typeof root !== 'string' || !HEX.test(root))
    return { ok: false, detail: 'subject has no sha256 digest' };
  if (!isObject(json.predicate)) return { ok: false, detail: 'predicate is missing' };
  const serialization = readSerialization(json.predicate.serialization);
  if (typeof serialization === 'string') return { ok: false, detail: serialization };
  const resources = readResources(json.predicate.resources);
  if (typeof resources === 'string') return { ok: false, detail: resources };
  return {
    ok: true,
    modelName: typeof subject.name === 'string' ? subject.name : '',
    rootDigest: root,
    serialization,
    resources,
  };
}
