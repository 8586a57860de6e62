import { createHash } from 'node:crypto';
import { CanonicalJsonError, canonicalJson } from '../../../platform/canonical-json.js';
import { jsonDeeperThan } from '../../../platform/json-limits.js';
import {
  vulnReportFormatMismatch,
  vulnReportFormatUnknown,
  vulnReportInvalid,
  vulnReportTooLarge,
} from '../attestation.errors.js';
import { isVulnReportFormat, type VulnReportFormat, type VulnSummary } from '../attestation.types.js';
import { summarizeNpmAudit } from './npm-audit.js';
import { summarizeOsvScanner } from './osv-scanner.js';
import { summarizePipAudit } from './pip-audit.js';
import { isObject, type JsonObject } from './shape.js';
import { summarizeTrivy } from './trivy.js';

/**
 * How large a report may be: its canonical JSON at most 4 MiB (a large image's Trivy report is a few
 * hundred KiB), nested at most 64 levels (OSV records nest about 10).
 */
export const vulnReportLimits = { maxBytes: 4 * 1024 * 1024, maxDepth: 64 } as const;

/** One pure function per format: the report's findings on Warden's severity scale. */
export const vulnReportParsers: Record<VulnReportFormat, (doc: JsonObject) => VulnSummary> = {
  'npm-audit': summarizeNpmAudit,
  'pip-audit': summarizePipAudit,
  'osv-scanner': summarizeOsvScanner,
  trivy: summarizeTrivy,
};

/** The format a report's top-level keys give away, or null. Each tool's output has a key no other's has. */
export function detectVulnReportFormat(doc: JsonObject): VulnReportFormat | null {
  if ('auditReportVersion' in doc) return 'npm-audit';
  if ('SchemaVersion' in doc && ('Results' in doc || 'ArtifactName' in doc || 'ArtifactType' in doc))
    return 'trivy';
  if (Array.isArray(doc.results)) return 'osv-scanner';
  if (Array.isArray(doc.dependencies)) return 'pip-audit';
  return null;
}

export interface ParsedVulnReport {
  format: VulnReportFormat;
  summary: VulnSummary;
  /** The report as RFC 8785 canonical JSON: what is stored, and what `digest` is over. */
  document: string;
  /** Hex SHA-256 of `document`. */
  digest: string;
}

/**
 * Reads one vulnerability report (the tool's JSON, already parsed): checks its size and depth, detects its
 * format (which must be `format` when the caller names one), and summarizes it. Every refusal is an
 * AppError with a stable code (`vuln_report_invalid` naming the format and JSON path,
 * `vuln_report_format_unknown`, `vuln_report_format_mismatch`, `vuln_report_too_large`), never a crash.
 */
export function parseVulnReport(report: unknown, format?: string): ParsedVulnReport {
  if (format !== undefined && !isVulnReportFormat(format)) throw vulnReportFormatUnknown(format);
  const declared = format ?? null;
  if (!isObject(report)) {
    if (Array.isArray(report) && declared === null) throw vulnReportFormatUnknown(null);
    throw vulnReportInvalid(
      declared,
      '$',
      `must be a JSON object (the JSON the tool wrote), not ${Array.isArray(report) ? 'an array' : report === null ? 'null' : `a ${typeof report}`}`,
    );
  }
  // Depth first: canonicalizing recurses, and must only ever see a shallow value.
  if (jsonDeeperThan(report, vulnReportLimits.maxDepth))
    throw vulnReportInvalid(declared, '$', `must nest at most ${vulnReportLimits.maxDepth} levels deep`);
  let document: string;
  try {
    document = canonicalJson(report);
  } catch (err) {
    if (err instanceof CanonicalJsonError)
      throw vulnReportInvalid(declared, err.path, err.message.slice(err.path.length + 2));
    throw err;
  }
  if (Buffer.byteLength(document) > vulnReportLimits.maxBytes)
    throw vulnReportTooLarge(vulnReportLimits.maxBytes);

  const detected = detectVulnReportFormat(report);
  if (declared !== null && detected !== null && detected !== declared)
    throw vulnReportFormatMismatch(declared, detected);
  const chosen = declared ?? detected;
  if (chosen === null) throw vulnReportFormatUnknown(null);
  const summary = vulnReportParsers[chosen](report);
  return {
    format: chosen,
    summary,
    document,
    digest: createHash('sha256').update(document).digest('hex'),
  };
}

/** (CLI) A report file's text as JSON; text that is not JSON is refused as `vuln_report_invalid`. */
export function readVulnReportText(text: string, format?: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    const declared = format !== undefined && isVulnReportFormat(format) ? format : null;
    throw vulnReportInvalid(declared, '$', `is not JSON (${(err as Error).message})`);
  }
}
