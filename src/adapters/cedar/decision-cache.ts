import type { AuthzDecision } from '../../modules/policy/index.js';

/**
 * Decisions depend only on the request (no time, no context), and the policies never change for an
 * engine's life, so a decision can be reused for the identical request. Least recently used goes first.
 */
export function decisionCache(size: number) {
  const entries = new Map<string, AuthzDecision>();
  return {
    get(key: string): AuthzDecision | undefined {
      const hit = entries.get(key);
      if (hit !== undefined) {
        entries.delete(key);
        entries.set(key, hit);
      }
      return hit;
    },
    set(key: string, decision: AuthzDecision): void {
      if (size <= 0) return;
      entries.set(key, decision);
      if (entries.size > size) entries.delete(entries.keys().next().value as string);
    },
  };
}
