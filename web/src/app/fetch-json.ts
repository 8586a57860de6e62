import { ApiError, toApiError } from './api';

/**
 * A GET for a route the typed client does not know yet (one landing on another branch): same cookie, same
 * problem handling as `unwrap`, and `null` for a 404 so a page can say "no data" instead of failing.
 */
export async function fetchJsonOrNull(url: string): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  } catch (err) {
    throw new ApiError({ status: 0, title: 'The server could not be reached', detail: String(err) });
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.status === 404) return null;
  if (!response.ok) throw toApiError(response, body);
  return body;
}
