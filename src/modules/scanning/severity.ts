/** Finding severities, least to most severe; a file's and a version's severity is the maximum of theirs. */
export const severities = ['none', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof severities)[number];

export function severityRank(severity: Severity): number {
  return severities.indexOf(severity);
}

export function maxSeverity(list: Iterable<Severity>): Severity {
  let max: Severity = 'none';
  for (const s of list) if (severityRank(s) > severityRank(max)) max = s;
  return max;
}

export function isSeverity(value: string): value is Severity {
  return (severities as readonly string[]).includes(value);
}
