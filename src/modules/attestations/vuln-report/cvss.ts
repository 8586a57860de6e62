import type { Severity } from '../../../platform/severity.js';

/**
 * The CVSS v3 qualitative rating of a base score: 0.0 none, 0.1–3.9 low, 4.0–6.9 medium, 7.0–8.9 high,
 * 9.0–10.0 critical. Null when the text is not a score in 0–10 (an empty string, a vector, "n/a").
 */
export function severityOfCvssScore(text: string): Severity | null {
  if (!/^\d{1,2}(\.\d+)?$/.test(text.trim())) return null;
  const score = Number(text);
  if (!Number.isFinite(score) || score < 0 || score > 10) return null;
  if (score === 0) return 'none';
  if (score < 4) return 'low';
  if (score < 7) return 'medium';
  if (score < 9) return 'high';
  return 'critical';
}
