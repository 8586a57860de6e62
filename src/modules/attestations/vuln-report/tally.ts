import { maxSeverity, type Severity, severityRank } from '../../../platform/severity.js';
import type { CountedSeverity, VulnReportFormat, VulnSummary } from '../attestation.types.js';

/** How many vulnerability ids a summary keeps (the most severe first). */
export const maxSummaryIds = 50;

// An id is shown in the CLI and in gate messages: only plain advisory ids (CVE-…, GHSA-…, PYSEC-…) are kept.
const plainId = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

/** Counts a report's findings by severity and keeps their ids, as a format's parser walks it. */
export function createTally() {
  let findings = 0;
  const counts: Record<CountedSeverity, number> = { low: 0, medium: 0, high: 0, critical: 0 };
  let highest: Severity = 'none';
  const ids = new Map<string, number>();
  return {
    /** One finding, with the ids it goes by (the first plain one is kept). */
    add(severity: Severity, idCandidates: readonly (string | null | undefined)[]): void {
      findings += 1;
      if (severity !== 'none') counts[severity] += 1;
      highest = maxSeverity([highest, severity]);
      const id = idCandidates.find((c): c is string => typeof c === 'string' && plainId.test(c));
      if (id !== undefined) ids.set(id, Math.max(ids.get(id) ?? 0, severityRank(severity)));
    },
    summary(format: VulnReportFormat, tool: string): VulnSummary {
      const ranked = [...ids.entries()]
        .sort(([a, ra], [b, rb]) => rb - ra || (a < b ? -1 : a > b ? 1 : 0))
        .slice(0, maxSummaryIds)
        .map(([id]) => id);
      return { format, tool, findings, maxSeverity: highest, counts: { ...counts }, ids: ranked };
    },
  };
}

export type Tally = ReturnType<typeof createTally>;

/** A tool's own version string, kept only when it is plain text (it becomes part of the tool's name). */
export function toolName(tool: string, version: unknown): string {
  return typeof version === 'string' && plainId.test(version) ? `${tool} ${version}` : tool;
}
