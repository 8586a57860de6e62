import { createHash } from 'node:crypto';
import type { AuthResult } from '../identity/index.js';

type Authenticate = (authorization: string | undefined) => Promise<AuthResult>;

/** Credentials up to this length are their own key; longer ones (JWTs) are keyed by their hash. */
const maxPlainKey = 256;

/**
 * Remembers successful authentications for `ttlMs` (at most one second), keyed by the credential (an API
 * token as sent; a longer one, a JWT, by its hash, so the map's memory stays bounded), so the inference
 * hot path reads no database and hashes nothing per request; a revoked token stops working within
 * `ttlMs`. Failures are never remembered (each one goes through the real check and its limits).
 */
export function cachedAuthenticator(
  authenticate: Authenticate,
  options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {},
): Authenticate {
  const ttlMs = Math.min(options.ttlMs ?? 1000, 1000);
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { result: AuthResult; until: number }>();
  return async (authorization) => {
    if (authorization === undefined || ttlMs <= 0) return authenticate(authorization);
    const key =
      authorization.length <= maxPlainKey
        ? authorization
        : `#${createHash('sha256').update(authorization).digest('base64')}`;
    const at = now();
    const hit = entries.get(key);
    if (hit && hit.until > at) return hit.result;
    if (hit) entries.delete(key);
    const result = await authenticate(authorization);
    if (result.ok) {
      if (entries.size >= maxEntries) {
        for (const [k, e] of entries) if (e.until <= at) entries.delete(k);
        if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      }
      entries.set(key, { result, until: at + ttlMs });
    }
    return result;
  };
}
