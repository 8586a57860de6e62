import { isSlug } from '../../platform/slug.js';

/**
 * Reads a claim by dotted path ("realm_access.roles"), through own properties only, so a path such as
 * "__proto__.x" finds nothing rather than the prototype.
 */
export function claimAt(payload: unknown, path: string): unknown {
  let node: unknown = payload;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node) || !Object.hasOwn(node, part))
      return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** A claim's string values: an array of strings, or one string of space-separated values (like `scope`). */
export function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return value.split(/\s+/).filter((v) => v !== '');
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string' && v !== '');
  return [];
}

/** At most this many teams in one token: a larger claim is refused as malformed, not truncated. */
export const maxTeamsPerToken = 100;

/** What a teams claim says: a list of valid team names, or why it says nothing usable. */
export type TeamsClaim =
  | { ok: true; teams: string[] }
  | { ok: false; problem: 'missing' | 'wrong_type' | 'invalid_value' | 'too_many' };

/** A longer value is no group name of any issuer: the claim is refused as malformed. */
const maxClaimValueLength = 1024;

/**
 * Reads a teams claim strictly. Accepted: an array of strings, or one string of space-separated names (as
 * `scope` is written). Strings that are not team names (slugs) are skipped: an issuer's groups claim also
 * names other applications' groups ("/Engineering/ML"), and skipping one can only narrow access. Anything
 * else (null, a number, an object, an array holding a non-string, a value over 1,024 characters, more
 * than `maxTeamsPerToken` values) is malformed, never a partial list: the token gets no teams. An empty
 * array or string is valid and names no team.
 */
export function teamsClaimOf(value: unknown): TeamsClaim {
  if (value === undefined) return { ok: false, problem: 'missing' };
  let items: unknown[];
  if (typeof value === 'string') items = value.split(' ').filter((v) => v !== '');
  else if (Array.isArray(value)) items = value;
  else return { ok: false, problem: 'wrong_type' };
  if (items.length > maxTeamsPerToken) return { ok: false, problem: 'too_many' };
  for (const item of items) {
    if (typeof item !== 'string' || item.length > maxClaimValueLength)
      return { ok: false, problem: 'invalid_value' };
  }
  return { ok: true, teams: [...new Set((items as string[]).filter(isSlug))].sort() };
}
