import type { FastifyRequest } from 'fastify';
import { csrfTokenMatches, type SessionView } from '../../modules/identity/index.js';

/** Methods that change nothing: a cookie request with one of these needs no CSRF token. */
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The header a console request that changes something carries: its session's CSRF token. */
export const csrfHeader = 'x-warden-csrf';

/**
 * Whether the request's `Origin`, when it sends one, is the request's own origin (scheme://host as the
 * server sees it, so behind a trusted proxy the forwarded scheme and host). A browser sends Origin on every
 * cross-site request that changes something; `null` (an opaque origin) never matches.
 */
export function originAllowed(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).origin === new URL(`${request.protocol}://${request.host}`).origin;
  } catch {
    return false;
  }
}

/**
 * The CSRF rule of a request authenticated by its session cookie: a safe method passes; any other needs
 * the session's token in x-warden-csrf (compared in constant time) and, when it names one, its own origin.
 */
export function csrfPasses(request: FastifyRequest, session: SessionView): boolean {
  if (safeMethods.has(request.method)) return true;
  const presented = request.headers[csrfHeader];
  return typeof presented === 'string' && csrfTokenMatches(session, presented) && originAllowed(request);
}
