import type { Severity } from '../../platform/severity.js';

/** What an attestation says about a version. Only vulnerability reports so far. */
export const attestationTypes = ['vuln-report'] as const;
export type AttestationType = (typeof attestationTypes)[number];

/** The scanners whose JSON output Warden reads (docs/attestations.md). */
export const vulnReportFormats = ['npm-audit', 'pip-audit', 'osv-scanner', 'trivy'] as const;
export type VulnReportFormat = (typeof vulnReportFormats)[number];

/** The severities a finding is counted under (a finding of severity `none` is counted in `findings` only). */
export type CountedSeverity = Exclude<Severity, 'none'>;

/** What one vulnerability report found, on Warden's severity scale: what gates and people read. */
export interface VulnSummary {
  format: VulnReportFormat;
  /** The tool that wrote the report, with its version when the report states it (`trivy 0.58.1`). */
  tool: string;
  /** How many findings the report holds (as the tool counts them: a package, an advisory group, …). */
  findings: number;
  /** The highest severity of any finding; `none` when there is none. */
  maxSeverity: Severity;
  counts: Record<CountedSeverity, number>;
  /** Up to 50 vulnerability ids, most severe first. */
  ids: string[];
}

/** One attestation as stored: immutable once written; the document it attests is stored beside it. */
export interface AttestationRecord {
  id: string;
  versionId: string;
  type: AttestationType;
  format: VulnReportFormat;
  /** Hex SHA-256 of the stored document (the report as RFC 8785 canonical JSON). */
  digest: string;
  summary: VulnSummary;
  /** The kind-qualified principal id of whoever attached it. */
  createdBy: string;
  /** That principal's display name when it acted. */
  createdByName: string | null;
  createdAt: string;
}

export const isVulnReportFormat = (value: string): value is VulnReportFormat =>
  (vulnReportFormats as readonly string[]).includes(value);
