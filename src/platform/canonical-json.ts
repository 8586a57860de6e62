/**
 * RFC 8785 JSON Canonicalization Scheme (JCS) for the values Warden hashes and signs: plain objects,
 * arrays, strings, finite numbers, booleans and null. Object keys are sorted by UTF-16 code units (what
 * JavaScript's default sort compares), there is no whitespace, and strings and numbers are written the way
 * ECMAScript's JSON.stringify writes them, which is what RFC 8785 prescribes. Anything JSON cannot carry
 * exactly (undefined, NaN, Infinity, bigint, functions, class instances, lone surrogates) is refused
 * rather than silently dropped or changed, because a hash over a lossy encoding proves nothing.
 */
export function canonicalJson(value: unknown): string {
  return encode(value, '$');
}

export class CanonicalJsonError extends TypeError {
  override readonly name = 'CanonicalJsonError';
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

// A high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function encode(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(path, 'is not a finite number');
      return JSON.stringify(value);
    case 'string':
      return encodeString(value, path);
    case 'object':
      return Array.isArray(value) ? encodeArray(value, path) : encodeObject(value, path);
    default:
      throw new CanonicalJsonError(path, `a ${typeof value} has no JSON form`);
  }
}

function encodeString(value: string, path: string): string {
  if (LONE_SURROGATE.test(value)) throw new CanonicalJsonError(path, 'contains a lone surrogate');
  return JSON.stringify(value);
}

function encodeArray(value: unknown[], path: string): string {
  const parts: string[] = [];
  for (let i = 0; i < value.length; i++) {
    if (!(i in value)) throw new CanonicalJsonError(`${path}[${i}]`, 'is a hole in the array');
    parts.push(encode(value[i], `${path}[${i}]`));
  }
  return `[${parts.join(',')}]`;
}

function encodeObject(value: object, path: string): string {
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null)
    throw new CanonicalJsonError(path, 'is not a plain object');
  const record = value as Record<string, unknown>;
  // Default sort compares UTF-16 code units, exactly RFC 8785's key order.
  const keys = Object.keys(record).sort();
  const parts: string[] = [];
  for (const key of keys) {
    const at = `${path}.${key}`;
    if (record[key] === undefined) throw new CanonicalJsonError(at, 'is undefined');
    parts.push(`${encodeString(key, at)}:${encode(record[key], at)}`);
  }
  return `{${parts.join(',')}}`;
}
