import { createHash, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from '../../platform/canonical-json.js';
import type { AuditEntry } from './audit.types.js';

/** The prevHash of entry 1, and the head hash of an empty log. */
export const genesisHash = '0'.repeat(64);

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * The hash of an entry: hex SHA-256 over the previous hash, a newline, and the RFC 8785 canonical JSON of
 * every field but `hash` itself. Chaining the previous hash in twice (prefix and field) costs nothing and
 * keeps the rule readable: each entry commits to all of its own fields and to everything before it.
 */
export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  const { hash: _ignored, ...fields } = entry as AuditEntry;
  return createHash('sha256')
    .update(`${entry.prevHash}\n${canonicalJson(fields)}`, 'utf8')
    .digest('hex');
}

/** Constant-time equality of two hex SHA-256 values; false (not a throw) when either is malformed. */
export function sameHash(a: unknown, b: unknown): boolean {
  if (typeof a !== 'string' || typeof b !== 'string' || !HEX64.test(a) || !HEX64.test(b)) return false;
  return timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
}

export const isHash = (value: unknown): value is string => typeof value === 'string' && HEX64.test(value);
