/**
 * Finding severities, least to most severe: the one scale the pickle scanner and vulnerability reports rank
 * on. A file's, a version's or a report's severity is the maximum of its findings'.
 */
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
