import { UpstreamFailure } from '../../modules/gateway/index.js';
import type { Secret } from '../../platform/secret.js';

export interface UpstreamRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, Secret>;
  body?: unknown;
  signal: AbortSignal;
  maxResponseBytes: number;
}

export interface UpstreamResponse {
  status: number;
  /** The parsed JSON body; undefined when the body is not JSON (an error page, say). */
  json: unknown;
}

/** Network errors by their cause's code: the peer is not there, or it dropped the connection. */
const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function causeCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The failure a thrown fetch error stands for; the message names a code, never the URL or a header. */
function failureOf(err: unknown, signal: AbortSignal): UpstreamFailure {
  if (signal.aborted) return new UpstreamFailure('timeout', 'the upstream did not answer in time');
  const code = causeCode(err);
  if (code && unreachableCodes.has(code))
    return new UpstreamFailure('unreachable', `the upstream could not be reached (${code})`);
  return new UpstreamFailure(
    'unreachable',
    `the connection to the upstream failed${code ? ` (${code})` : ''}`,
  );
}

/**
 * One HTTP call to an upstream with Node's fetch: the configured headers revealed only here, the answer
 * read to at most `maxResponseBytes` (a larger one is refused and the connection dropped), JSON parsed when
 * it is JSON. Refused, reset and unreadable connections become UpstreamFailures; nothing is logged here.
 */
export async function callUpstream(request: UpstreamRequest): Promise<UpstreamResponse> {
  const headers: Record<string, string> = { accept: 'application/json' };
  for (const [name, secret] of Object.entries(request.headers)) headers[name] = secret.reveal();
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(request.url, {
      method: request.method,
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: request.signal,
      redirect: 'error',
    });
  } catch (err) {
    throw failureOf(err, request.signal);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    if (res.body)
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        size += chunk.byteLength;
        if (size > request.maxResponseBytes) {
          await res.body.cancel().catch(() => {});
          throw new UpstreamFailure(
            'bad_response',
            `the upstream's answer is larger than ${request.maxResponseBytes} bytes`,
          );
        }
        chunks.push(chunk);
      }
  } catch (err) {
    if (err instanceof UpstreamFailure) throw err;
    throw failureOf(err, request.signal);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  let json: unknown;
  try {
    json = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, json };
}

/** The upstream's own error message (V2 `{"error": "…"}` or OpenAI `{"error": {"message": "…"}}`), bounded, with any configured credential cut out. */
export function upstreamMessage(json: unknown, headers: Record<string, Secret>): string | null {
  const error = (json as { error?: unknown } | undefined)?.error;
  const raw =
    typeof error === 'string'
      ? error
      : typeof (error as { message?: unknown } | undefined)?.message === 'string'
        ? (error as { message: string }).message
        : null;
  if (raw === null) return null;
  // Credentials are cut out before the message is shortened, so no part of one survives the cut.
  let text = raw.slice(0, 8192);
  for (const secret of Object.values(headers)) {
    const value = secret.reveal();
    if (value.length >= 4) text = text.split(value).join('[redacted]');
  }
  // Control characters would forge lines in a log or a terminal.
  return Array.from(text.slice(0, 300), (c) => {
    const code = c.charCodeAt(0);
    return code < 0x20 || code === 0x7f ? ' ' : c;
  }).join('');
}

/**
 * What an upstream's error status means for the caller: a refusal of the request (its message passed on,
 * credentials cut out), a refusal of the gateway's credentials, a model it does not serve, or a failure.
 */
export function upstreamStatusFailure(
  settings: { model: string; headers: Record<string, Secret> },
  answer: { status: number; json: unknown },
  options: { refused: readonly number[]; what?: string },
): UpstreamFailure {
  const { status } = answer;
  if (options.refused.includes(status)) {
    const message = upstreamMessage(answer.json, settings.headers);
    return new UpstreamFailure('refused', `the upstream refused the request${message ? `: ${message}` : ''}`);
  }
  if (status === 401 || status === 403)
    return new UpstreamFailure(
      'error_status',
      `the upstream refused the gateway's credentials (HTTP ${status})`,
    );
  if (status === 404)
    return new UpstreamFailure(
      'error_status',
      `the upstream does not serve model "${settings.model}" (HTTP 404)`,
    );
  return new UpstreamFailure(
    'error_status',
    `the upstream answered ${options.what ? `${options.what} with ` : ''}HTTP ${status}`,
  );
}
