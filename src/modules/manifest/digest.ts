import { timingSafeEqual } from 'node:crypto';
import { invalidDigest } from './manifest-errors.js';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Whether `value` is a SHA-256 digest written as 64 lowercase hex characters. */
export function isSha256Digest(value: string): boolean {
  return SHA256_HEX.test(value);
}

/** Returns `value` when it is a SHA-256 hex digest, else throws invalid_digest. */
export function assertSha256Digest(value: string): string {
  if (!isSha256Digest(value)) throw invalidDigest(value);
  return value;
}

/** Constant-time equality of two SHA-256 hex digests (both are validated first). */
export function sameDigest(a: string, b: string): boolean {
  return timingSafeEqual(
    Buffer.from(assertSha256Digest(a), 'hex'),
    Buffer.from(assertSha256Digest(b), 'hex'),
  );
}
