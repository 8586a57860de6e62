import { AppError, type ErrorKind, errorKinds } from '../platform/errors.js';
import { serverUnreachable, unexpectedResponse } from './cli-errors.js';

export interface ApiClient {
  readonly baseUrl: string;
  json<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** A raw request: the caller reads the body (downloads) or supplies a streaming body (uploads). */
  raw(
    method: string,
    path: string,
    init?: { body?: ReadableStream<Uint8Array>; headers?: Record<string, string> },
  ): Promise<Response>;
}

/** Encodes each segment of a path for a URL (file paths keep their slashes). */
export const seg = (value: string) => encodeURIComponent(value);
export const pathSegs = (value: string) => value.split('/').map(seg).join('/');

export function createApiClient(baseUrl: string): ApiClient {
  const request = async (method: string, path: string, init: RequestInit & { duplex?: 'half' } = {}) => {
    try {
      return await fetch(`${baseUrl}${path}`, { method, ...init });
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
      if (!res.ok) throw await problemOf(res);
      return (res.status === 204 ? undefined : await res.json()) as T;
    },
    async raw(method, path, init = {}) {
      const res = await request(method, path, {
        ...(init.headers ? { headers: init.headers } : {}),
        ...(init.body ? { body: init.body, duplex: 'half' } : {}),
      });
      if (!res.ok) throw await problemOf(res);
      return res;
    },
  };
}

/** Rebuilds the server's error from its problem+json, so the CLI reports the same code and kind. */
export async function problemOf(res: Response): Promise<AppError> {
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
        p.detail,
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
    412: 'precondition_failed',
    413: 'too_large',
    429: 'rate_limited',
    503: 'unavailable',
  };
  const kind = byStatus[status] ?? 'internal';
  return errorKinds.includes(kind) ? kind : 'internal';
}
