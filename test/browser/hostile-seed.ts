import { createHash } from 'node:crypto';

/**
 * Markup and script a user of the API could write into any free-text field, to be shown by the console as
 * the text it is. Each carries its own marker so a test can say which field it found where.
 */
export const hostile = {
  img: '<img src=x onerror="window.__pwned=1">',
  script: '<script>window.__pwned=1</script>',
  svg: '"><svg onload=window.__pwned=1>',
  js: 'javascript:window.__pwned=1',
  /** A right-to-left override, then a long run with no space to break at: layout and spoofing both. */
  rtl: `\u202E${'exe.tnemucod_elbatsurt'.repeat(8)}`,
} as const;

/** The same values with a field's name in front, so a missing one says which field it was. */
export const tagged = (field: string, value: string): string => `${field}: ${value}`;

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest();

/** The root digest the push route checks: SHA-256 over the raw SHA-256 of the one file. */
export function rootDigestOf(content: Buffer): string {
  return `sha256:${sha256(Buffer.from(sha256(content).toString('hex'), 'hex')).toString('hex')}`;
}

export type Call = <T = Record<string, unknown>>(
  method: string,
  url: string,
  body?: unknown,
  token?: string,
) => Promise<T>;

/** A caller of `baseUrl`'s API with a bearer token (`adminToken` unless another is named); throws on non-2xx. */
export function apiCaller(baseUrl: string, adminToken: string): Call {
  return async <T>(method: string, url: string, body?: unknown, token?: string): Promise<T> => {
    const form = body instanceof FormData;
    const res = await fetch(`${baseUrl}/api/v1${url}`, {
      method,
      headers: {
        authorization: `Bearer ${token ?? adminToken}`,
        ...(form || body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: form ? body : JSON.stringify(body) }),
    });
    const json = res.headers.get('content-type')?.includes('json') ? await res.json() : null;
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
    return json as T;
  };
}

/** Pushes one single-file version of `model` with the metadata given. */
export async function pushVersion(call: Call, model: string, generation: number, metadata: object) {
  const content = Buffer.from(`weights, generation ${generation}\n`.repeat(32));
  const form = new FormData();
  form.append('metadata', JSON.stringify({ kind: 'file', ...metadata }));
  form.append('file', new Blob([content]), 'model.safetensors');
  form.append('digest', rootDigestOf(content));
  return call<{ number: number }>('POST', `/models/${model}/versions`, form);
}
