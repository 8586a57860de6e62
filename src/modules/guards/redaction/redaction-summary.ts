import type { PiiType, Redaction } from './redaction.types.js';

/** How many stretches of each kind were replaced: what a log line or a metric may carry (never values). */
export function summarizeRedactions(redactions: readonly Redaction[]): Partial<Record<PiiType, number>> {
  const counts: Partial<Record<PiiType, number>> = {};
  for (const r of redactions) counts[r.type] = (counts[r.type] ?? 0) + 1;
  return counts;
}
