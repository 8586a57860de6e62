import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A console session cookie is `<session id>.<secret>`: the id (UUIDv7) finds the row, the secret (32
 * random bytes, base64url) proves it. Only the secret's SHA-256 is stored, compared in constant time.
 */
const cookiePattern = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;

/** 256 random bits, base64url: a session secret, a sign-in's state, nonce or browser binding. */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 (hex) of a random value: what is stored of it. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Strict parse of a session cookie's value; anything else is null. */
export function parseSessionCookie(value: string): { id: string; secret: string } | null {
  const m = cookiePattern.exec(value);
  return m?.[1] && m[2] ? { id: m[1], secret: m[2] } : null;
}

export const sessionCookieValue = (id: string, secret: string): string => `${id}.${secret}`;

/**
 * The session's CSRF token, derived from its secret with HMAC: nothing more is stored, every server
 * derives the same token, and only a holder of the (HttpOnly) cookie's secret can compute it.
 */
export function csrfTokenOf(secret: string): string {
  return createHmac('sha256', secret).update('warden-console-csrf').digest('base64url');
}

/** Constant-time equality of two strings of any length (both sides are hashed to 32 bytes first). */
export function sameSecret(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}
