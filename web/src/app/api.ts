import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from '../api/schema';

/** A refused or failed API call: the server's problem (its message and request id), never a blank page. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string | null;
  readonly requestId: string | null;
  readonly detail: string | null;

  constructor(input: {
    status: number;
    title: string;
    code?: string | null;
    detail?: string | null;
    requestId?: string | null;
  }) {
    super(input.detail ?? input.title);
    this.name = 'ApiError';
    this.status = input.status;
    this.code = input.code ?? null;
    this.detail = input.detail ?? null;
    this.requestId = input.requestId ?? null;
  }
}

// The session's CSRF token lives in memory only (never localStorage): a reload asks the server again.
let csrfToken: string | null = null;

/** Sets (or clears) the token sent as `x-warden-csrf` on every state-changing request. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

const csrf: Middleware = {
  onRequest({ request }) {
    if (!safeMethods.has(request.method) && csrfToken) request.headers.set('x-warden-csrf', csrfToken);
    return request;
  },
};

/** The typed client of the server's own API (types generated from its OpenAPI document). */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(csrf);

/** Turns any error body into an ApiError with the server's words where it gave some. */
export function toApiError(response: Response, body: unknown): ApiError {
  const problem = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const text = (key: string) => (typeof problem[key] === 'string' ? (problem[key] as string) : null);
  return new ApiError({
    status: response.status,
    title: text('title') ?? text('error') ?? `${response.status} ${response.statusText || 'error'}`,
    code: text('code'),
    detail: text('detail') ?? text('error'),
    requestId: text('requestId') ?? response.headers.get('x-request-id'),
  });
}

/** Resolves an openapi-fetch call to its data, or throws the ApiError the server's answer describes. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (err) {
    throw new ApiError({ status: 0, title: 'The server could not be reached', detail: String(err) });
  }
  if (!result.response.ok) throw toApiError(result.response, result.error);
  return result.data as T;
}
