import { readFileSync } from 'node:fs';
import path from 'node:path';
import Type, { type Static } from 'typebox';
import { Secret } from '../platform/secret.js';

/** Where a header's value comes from: an environment variable or a file, never the JSON itself. */
const SecretRef = Type.Union([
  Type.Object(
    { env: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,127}$' }) },
    { additionalProperties: false },
  ),
  Type.Object({ file: Type.String({ minLength: 1, maxLength: 4096 }) }, { additionalProperties: false }),
]);

/** One upstream model server a deployed model is proxied to. */
export const UpstreamSchema = Type.Object(
  {
    protocol: Type.Union([Type.Literal('v2'), Type.Literal('openai')]),
    url: Type.String({ minLength: 1, maxLength: 2048 }),
    model: Type.Optional(Type.String({ minLength: 1, maxLength: 256, pattern: '^\\S+$' })),
    headers: Type.Optional(
      Type.Record(Type.String({ pattern: "^[a-z0-9!#$%&'*+.^_`|~-]{1,64}$" }), SecretRef, {
        maxProperties: 16,
      }),
    ),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 600_000 })),
    maxConcurrent: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    maxResponseBytes: Type.Optional(Type.Integer({ minimum: 1024, maximum: 1024 ** 3 })),
    breaker: Type.Optional(
      Type.Object(
        {
          failures: Type.Integer({ minimum: 1, maximum: 1000 }),
          halfOpenAfterMs: Type.Integer({ minimum: 100, maximum: 3_600_000 }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export type UpstreamInput = Static<typeof UpstreamSchema>;

/** An upstream with every setting resolved and its header values read (as Secrets). */
export interface UpstreamSettings {
  protocol: 'v2' | 'openai';
  /** The base URL, without a trailing slash: a V2 server's root, or an OpenAI-style API's base (…/v1). */
  url: string;
  /** The upstream's own name of the model. */
  model: string;
  headers: Record<string, Secret>;
  timeoutMs: number;
  maxConcurrent: number | null;
  maxResponseBytes: number;
  breaker: { failures: number; halfOpenAfterMs: number };
}

export const upstreamDefaults = {
  timeoutMs: 30_000,
  maxResponseBytes: 16 * 1024 ** 2,
  breaker: { failures: 5, halfOpenAfterMs: 30_000 },
} as const;

/** Headers the gateway sets itself, or that would change how the request travels: never configured. */
const reservedHeaders = new Set([
  'host',
  'connection',
  'content-length',
  'content-type',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'keep-alive',
  'proxy-authorization',
  'proxy-connection',
  'expect',
  'accept',
  'accept-encoding',
]);

/**
 * Resolves one upstream: checks its URL (http or https, no credentials, query or fragment in it: those go
 * in headers), and reads each header's value from the environment or its file. A problem names the
 * setting and the variable or file, never a value.
 */
export function resolveUpstream(
  name: string,
  input: UpstreamInput,
  sources: { env: Record<string, string | undefined>; cwd: string },
  problems: { key: string; message: string }[],
): UpstreamSettings {
  const key = `gateway.upstreams.${name}`;
  let url = input.url;
  try {
    const parsed = new URL(input.url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      problems.push({ key: `${key}.url`, message: 'must be an http or https URL' });
    else if (parsed.username || parsed.password)
      problems.push({
        key: `${key}.url`,
        message: 'must not carry credentials; give them as headers read from the environment or a file',
      });
    else if (parsed.search || parsed.hash || input.url.includes('?') || input.url.includes('#'))
      problems.push({
        key: `${key}.url`,
        message:
          'must not carry a query or fragment; give credentials as headers read from the environment or a file',
      });
    url = `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
  } catch {
    problems.push({ key: `${key}.url`, message: 'is not a URL' });
  }
  const headers: Record<string, Secret> = {};
  for (const [header, ref] of Object.entries(input.headers ?? {})) {
    const where = `${key}.headers.${header}`;
    if (reservedHeaders.has(header)) {
      problems.push({ key: where, message: 'is set by the gateway itself and cannot be configured' });
      continue;
    }
    const value = readRef(ref, where, sources, problems);
    if (value === null) continue;
    // A line break or control character would split the header: refused, and the value not shown.
    if (value.length === 0 || [...value].some(isControl)) {
      problems.push({ key: where, message: `${describeRef(ref)} is empty or holds a control character` });
      continue;
    }
    Object.defineProperty(headers, header, { value: new Secret(value), enumerable: true });
  }
  return {
    protocol: input.protocol,
    url,
    model: input.model ?? name,
    headers,
    timeoutMs: input.timeoutMs ?? upstreamDefaults.timeoutMs,
    maxConcurrent: input.maxConcurrent ?? null,
    maxResponseBytes: input.maxResponseBytes ?? upstreamDefaults.maxResponseBytes,
    breaker: input.breaker ?? { ...upstreamDefaults.breaker },
  };
}

/** A control character other than tab: it would end or split a header line. */
const isControl = (c: string) => {
  const code = c.charCodeAt(0);
  return (code < 0x20 && code !== 0x09) || code === 0x7f;
};

const describeRef = (ref: { env: string } | { file: string }) =>
  'env' in ref ? `environment variable ${ref.env}` : `file ${ref.file}`;

function readRef(
  ref: { env: string } | { file: string },
  where: string,
  sources: { env: Record<string, string | undefined>; cwd: string },
  problems: { key: string; message: string }[],
): string | null {
  if ('env' in ref) {
    const value = sources.env[ref.env];
    if (value === undefined) {
      problems.push({ key: where, message: `environment variable ${ref.env} is not set` });
      return null;
    }
    return value;
  }
  try {
    // A secret file usually ends with a newline the value does not have.
    return readFileSync(path.resolve(sources.cwd, ref.file), 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    problems.push({
      key: where,
      message: `file ${ref.file} cannot be read (${code === 'ENOENT' ? 'not found' : (code ?? 'error')})`,
    });
    return null;
  }
}
