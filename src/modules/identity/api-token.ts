import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API token format: `wdn_<id>_<secret>`. The fixed `wdn_` prefix lets secret scanners recognise a leaked
 * token; the 12-character id finds the row without revealing anything; the 43-character secret is base62
 * of 32 random bytes (256 bits). Only sha256(secret) is stored: the secret is already uniformly random, so
 * a salt or a slow hash would add nothing.
 */
export const tokenPrefix = 'wdn_';
export const tokenIdLength = 12;
export const tokenSecretLength = 43;

const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const tokenPattern = new RegExp(`^wdn_([0-9A-Za-z]{${tokenIdLength}})_([0-9A-Za-z]{${tokenSecretLength}})$`);
/** The id alone, as the API names a token (list, revoke). */
export const tokenIdPattern = `^[0-9A-Za-z]{${tokenIdLength}}$`;

export interface GeneratedToken {
  id: string;
  /** The whole bearer value; shown once, never stored. */
  token: string;
  /** sha256 of the secret part, hex: what the store keeps. */
  secretHash: string;
}

export function generateApiToken(): GeneratedToken {
  const id = randomBase62(tokenIdLength);
  const secret = base62(randomBytes(32)).padStart(tokenSecretLength, '0');
  return { id, token: `${tokenPrefix}${id}_${secret}`, secretHash: hashSecret(secret) };
}

/** Strict parse: anything but the exact format is null (no trimming, no case folding). */
export function parseApiToken(value: string): { id: string; secret: string } | null {
  const m = tokenPattern.exec(value);
  return m?.[1] && m[2] ? { id: m[1], secret: m[2] } : null;
}

export function looksLikeApiToken(value: string): boolean {
  return value.startsWith(tokenPrefix);
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

// Compared when the id is unknown, so an unknown id costs the same work as a wrong secret.
const decoyHash = hashSecret(randomBase62(tokenSecretLength));

/**
 * Constant-time check of a presented secret against a stored digest (or the decoy when there is no row):
 * both sides are 32-byte SHA-256 digests, so timingSafeEqual never sees different lengths.
 */
export function secretMatches(secret: string, storedHash: string | null): boolean {
  const presented = createHash('sha256').update(secret, 'utf8').digest();
  const stored = Buffer.from(storedHash ?? decoyHash, 'hex');
  if (stored.length !== presented.length) return false;
  return timingSafeEqual(presented, stored) && storedHash !== null;
}

function base62(bytes: Buffer): string {
  let n = BigInt(`0x${bytes.toString('hex')}`);
  let out = '';
  while (n > 0n) {
    out = alphabet[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out;
}

/** Uniform base62 characters by rejection sampling (bytes ≥ 248 would bias the modulo). */
function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += alphabet[byte % 62];
    }
  }
  return out;
}
