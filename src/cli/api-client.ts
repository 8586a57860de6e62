import http from 'node:http';
import https from 'node:https';
import { AppError, type ErrorKind, errorKinds } from '../platform/errors.js';
import { serverUnreachable, serverUrlInvalid, unexpectedResponse } from './cli-errors.js';
import { type BodySink, type RawResponse, rawGet } from './raw-download.js';

export interface ApiClient {
  readonly baseUrl: string;
  json<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** A raw request whose body the caller streams (downloads). */
  raw(method: string, path: string): Promise<Response>;
  /**
   * A GET whose body the caller streams, over node:http rather than fetch: fetch's web streams cost about a
   * quarter of a large download's CPU (undici's controller, one promise per 64 KiB piece, their garbage).
   */
  download(path: string): Promise<Download>;
  /**
   * A large file's GET: over a bare socket whose reads go straight to a sink (raw-download.ts) where the
   * answer allows it (plain http, Content-Length), over node:http's pieces otherwise.
   */
  downloadFile(path: string): Promise<FileDownload>;
  /**
   * Streams a request body with backpressure (node:http rather than fetch, which buffers a streamed body)
   * and returns the parsed JSON answer.
   */
  upload<T>(
    path: string,
    body: AsyncIterable<Uint8Array>,
    headers: Record<string, string>,
    method?: 'POST' | 'PUT',
  ): Promise<T>;
}

/** Encodes each segment of a path for a URL (file paths keep their slashes). */
export const seg = (value: string) => encodeURIComponent(value);
export const pathSegs = (value: string) => value.split('/').map(seg).join('/');

/** A successful download's answer: its headers and its body, read once as Buffers. */
export interface Download {
  header(name: string): string | undefined;
  body: AsyncIterable<Buffer>;
  /** Abandons the body (closes the connection). */
  cancel(): void;
}

/** A body as pieces to iterate, or as a source that pushes them into a sink from the socket's buffer. */
export type DownloadBody = AsyncIterable<Uint8Array> | { readInto(sink: BodySink): Promise<number> };

export interface FileDownload extends Omit<Download, 'body'> {
  body: DownloadBody;
}

export interface ApiClientOptions {
  /** Bearer token sent on every request (json, raw and upload); none when null or absent. */
  token?: string | null;
  /** Where the token came from (`--token`, `WARDEN_TOKEN`, the saved login), named when it is refused. */
  tokenSource?: string;
}

/**
 * Refuses a server URL that fetch would misread: `localhost:8080` parses as the scheme "localhost:", and
 * `127.0.0.1:8080` not at all, which used to surface as "cannot reach the server".
 */
export function checkServerUrl(url: string): void {
  if (url.trim() !== url) throw serverUrlInvalid(url, 'has spaces around it');
  if (/^https?:(?!\/\/)/i.test(url))
    throw serverUrlInvalid(url, 'is malformed: write it as http://HOST:PORT or https://HOST');
  const suggestion = `add http:// or https://, e.g. http://${url.replace(/^\/+/, '')}`;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) throw serverUrlInvalid(url, `has no scheme: ${suggestion}`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw serverUrlInvalid(url, 'is not a valid URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw serverUrlInvalid(
      url,
      `uses ${parsed.protocol.slice(0, -1)}:// where Warden speaks http:// or https://`,
    );
}

export function createApiClient(baseUrl: string, options: ApiClientOptions = {}): ApiClient {
  checkServerUrl(baseUrl);
  const auth: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {};
  const refusal: RefusalContext = {
    baseUrl,
    token: options.token ? (options.tokenSource ?? 'the token given') : null,
  };
  const request = async (method: string, path: string, init: RequestInit = {}) => {
    try {
      return await fetch(`${baseUrl}${path}`, {
        method,
        ...init,
        headers: { ...auth, ...(init.headers as Record<string, string> | undefined) },
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw serverUnreachable(baseUrl, cause?.code ?? cause?.message ?? (err as Error).message);
    }
  };
  return {
    baseUrl,
    async json<T>(method: string, path: string, body?: unknown): Promise<T> {
      const res = await request(method, path, {
        ...(body !== undefined
          ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }
          : {}),
      });
      if (!res.ok) throw await problemOf(res, refusal);
      return (res.status === 204 ? undefined : await res.json()) as T;
    },
    async raw(method, path) {
      const res = await request(method, path);
      if (!res.ok) throw await problemOf(res, refusal);
      return res;
    },
    upload: (path, body, headers, method = 'POST') =>
      upload(baseUrl, path, body, { ...auth, ...headers }, refusal, method),
    download: (path) => download(baseUrl, path, auth, refusal),
    downloadFile: async (path) =>
      (await downloadRaw(baseUrl, path, auth, refusal)) ?? download(baseUrl, path, auth, refusal),
  };
}

/** A raw download (raw-download.ts); null when this answer is better read over node:http. */
async function downloadRaw(
  baseUrl: string,
  path: string,
  headers: Record<string, string>,
  refusal: RefusalContext,
): Promise<FileDownload | null> {
  let res: RawResponse | null;
  try {
    res = await rawGet(new URL(`${baseUrl}${path}`), headers, (reason) =>
      serverUnreachable(baseUrl, `the connection broke during a download: ${reason}`),
    );
  } catch (err) {
    throw serverUnreachable(baseUrl, (err as NodeJS.ErrnoException).code ?? (err as Error).message);
  }
  if (!res) return null;
  if (res.status < 200 || res.status >= 300) {
    const text = await res.readText().catch(() => '');
    throw await problemOf(new Response(text, { status: res.status }), refusal);
  }
  if (res.length === null) {
    // Not an answer this client reads raw (a transfer coding): ask again over node:http.
    res.cancel();
    return null;
  }
  const answer = res;
  return {
    header: (name) => answer.headers[name.toLowerCase()],
    body: { readInto: (sink) => answer.readInto(sink) },
    cancel: () => answer.cancel(),
  };
}

async function download(
  baseUrl: string,
  path: string,
  headers: Record<string, string>,
  refusal: RefusalContext,
): Promise<Download> {
  const url = new URL(`${baseUrl}${path}`);
  const transport = url.protocol === 'https:' ? https : http;
  let res: http.IncomingMessage;
  try {
    res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = transport.request(url, { method: 'GET', headers });
      req.on('response', resolve);
      req.on('error', reject);
      req.end();
    });
  } catch (err) {
    throw serverUnreachable(baseUrl, (err as NodeJS.ErrnoException).code ?? (err as Error).message);
  }
  const status = res.statusCode ?? 0;
  if (status < 200 || status >= 300) {
    const text = await readText(res).catch(() => '');
    throw await problemOf(new Response(text, { status }), refusal);
  }
  return {
    header: (name) => {
      const value = res.headers[name.toLowerCase()];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    body: brokenConnectionIsUnreachable(res, baseUrl),
    cancel: () => res.destroy(),
  };
}

/** A connection cut mid-body is the server's side failing, not the local disk: say so. */
async function* brokenConnectionIsUnreachable(res: http.IncomingMessage, baseUrl: string) {
  try {
    for await (const chunk of res) yield chunk as Buffer;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw serverUnreachable(baseUrl, `the connection broke during a download: ${code}`);
  }
}

async function readText(res: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function upload<T>(
  baseUrl: string,
  path: string,
  body: AsyncIterable<Uint8Array>,
  headers: Record<string, string>,
  refusal: RefusalContext,
  method: 'POST' | 'PUT',
): Promise<T> {
  const url = new URL(`${baseUrl}${path}`);
  const transport = url.protocol === 'https:' ? https : http;
  const req = transport.request(url, { method, headers });
  const answer = new Promise<http.IncomingMessage>((resolve, reject) => {
    req.on('response', resolve);
    req.on('error', reject);
  });
  // The server may answer (an error) before it has read everything; that answer is what matters.
  const sent = send(req, body).catch((err: unknown) => {
    req.destroy(err as Error);
    return err;
  });
  let res: http.IncomingMessage;
  try {
    res = await answer;
  } catch (err) {
    const sendError = await sent;
    if (sendError instanceof AppError) throw sendError;
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw serverUnreachable(baseUrl, code);
  }
  const text = await readText(res);
  const sendError = await Promise.race([sent, Promise.resolve(undefined)]);
  if (sendError instanceof AppError) throw sendError;
  const status = res.statusCode ?? 0;
  if (status < 200 || status >= 300) throw await problemOf(new Response(text, { status }), refusal);
  return JSON.parse(text) as T;
}

/** Pieces written to the socket and not yet taken by it, at most, when the next piece is asked for. */
export const UPLOAD_PIECES_IN_FLIGHT = 4;

/**
 * Writes the body piece by piece; before asking for the next piece, waits until the socket has taken (its
 * write callback ran) all but UPLOAD_PIECES_IN_FLIGHT - 1 of the pieces written. A body may therefore
 * reuse a piece's buffer once UPLOAD_PIECES_IN_FLIGHT more pieces have been asked for (encodePush reads
 * into UPLOAD_PIECES_IN_FLIGHT + 1 buffers in turn), and a few MiB of slack absorb the server's pauses.
 */
async function send(req: http.ClientRequest, body: AsyncIterable<Uint8Array>): Promise<void> {
  const closed = new Promise<never>((_, reject) => {
    req.once('close', () => reject(new Error('the request closed before its body was sent')));
  });
  closed.catch(() => {});
  const write = (piece: Uint8Array) =>
    new Promise<void>((resolve, reject) => {
      req.write(piece, (err) => (err ? reject(err) : resolve()));
    });
  const inFlight: Promise<void>[] = [];
  try {
    for await (const piece of body) {
      const written = write(piece);
      written.catch(() => {});
      inFlight.push(written);
      if (inFlight.length >= UPLOAD_PIECES_IN_FLIGHT) await Promise.race([inFlight.shift(), closed]);
    }
    await Promise.race([Promise.all(inFlight), closed]);
  } finally {
    inFlight.length = 0;
  }
  await Promise.race([new Promise<void>((resolve) => req.end(resolve)), closed]);
}

const loginHint = 'Pass --token, set WARDEN_TOKEN or run `warden login --url URL --token TOKEN`.';

/** What a 401 means depends on whether a token was sent, and from where. */
interface RefusalContext {
  baseUrl: string;
  /** Where the token sent came from; null when none was sent. */
  token: string | null;
}

/**
 * The server gives one answer for every authentication failure (its reason goes to the audit log only);
 * the CLI knows whether it sent a token, so it says which of the two happened.
 */
function unauthenticatedMessage(refusal: RefusalContext | undefined, detail: string): string {
  if (!refusal) return `${detail} ${loginHint}`;
  if (refusal.token === null)
    return `The server at ${refusal.baseUrl} needs a token and none was given (HTTP 401). ${loginHint}`;
  return (
    `The server at ${refusal.baseUrl} refused the token from ${refusal.token} (HTTP 401): it is unknown, ` +
    'revoked, expired or malformed, or was issued by another server. Check it, or get a new one from an ' +
    'admin (`warden token create`) and pass it with --token, WARDEN_TOKEN or `warden login`.'
  );
}

/** Rebuilds the server's error from its problem+json, so the CLI reports the same code and kind. */
export async function problemOf(res: Response, refusal?: RefusalContext): Promise<AppError> {
  const text = await res.text().catch(() => '');
  try {
    const p = JSON.parse(text) as {
      code?: string;
      detail?: string;
      requestId?: string;
      errors?: unknown;
      details?: Record<string, unknown>;
    };
    if (typeof p.code === 'string' && typeof p.detail === 'string') {
      return new AppError(
        p.code,
        p.code === 'blob_integrity' ? 'integrity' : kindOfStatus(res.status),
        res.status === 401 ? unauthenticatedMessage(refusal, p.detail) : p.detail,
        {
          ...(p.details ?? {}),
          ...(p.errors ? { errors: p.errors } : {}),
          ...(p.requestId ? { requestId: p.requestId } : {}),
        },
      );
    }
  } catch {
    // Not problem+json: fall through to a generic error naming the status.
  }
  return unexpectedResponse(res.status);
}

function kindOfStatus(status: number): ErrorKind {
  const byStatus: Record<number, ErrorKind> = {
    400: 'invalid',
    401: 'unauthenticated',
    403: 'forbidden',
    404: 'not_found',
    409: 'conflict',
    410: 'gone',
    412: 'precondition_failed',
    413: 'too_large',
    429: 'rate_limited',
    503: 'unavailable',
  };
  const kind = byStatus[status] ?? 'internal';
  return errorKinds.includes(kind) ? kind : 'internal';
}
