import { defineError } from '../../platform/errors.js';
import { type VulnReportFormat, vulnReportFormats } from './attestation.types.js';

const formatLabel = (format: string | null) => (format ? `${format} report` : 'vulnerability report');

/** A report that does not have the shape its format promises: the JSON path says where, the problem what. */
export const vulnReportInvalid = defineError(
  'vuln_report_invalid',
  'invalid',
  (format: VulnReportFormat | null, path: string, problem: string) => ({
    message: `The ${formatLabel(format)} is not valid at ${path}: ${problem}. Nothing was stored.`,
    details: { format, path, problem },
  }),
);

/** A format Warden does not read, named by the caller, or a report whose shape matches none it reads. */
export const vulnReportFormatUnknown = defineError(
  'vuln_report_format_unknown',
  'invalid',
  (given: string | null) => ({
    message:
      given === null
        ? `The report is not one Warden recognizes; accepted: ${vulnReportFormats.join(', ')} (each tool's JSON output).`
        : `Report format ${JSON.stringify(given)} is not one Warden reads; accepted: ${vulnReportFormats.join(', ')}.`,
    details: { format: given, accepted: [...vulnReportFormats] },
  }),
);

/** The caller named one format and the report is plainly another. */
export const vulnReportFormatMismatch = defineError(
  'vuln_report_format_mismatch',
  'invalid',
  (given: VulnReportFormat, detected: VulnReportFormat) => ({
    message: `The report was declared ${given} but is ${detected} output; name the right format or leave it out.`,
    details: { format: given, detected },
  }),
);

export const vulnReportTooLarge = defineError('vuln_report_too_large', 'too_large', (limit: number) => ({
  message: `A vulnerability report may hold at most ${limit} bytes as canonical JSON.`,
  details: { limit },
}));

/** (CLI) The report file named with --file does not exist. */
export const vulnReportFileNotFound = defineError(
  'vuln_report_file_not_found',
  'not_found',
  (path: string) => ({
    message: `No report file at ${JSON.stringify(path)}.`,
    details: { path },
  }),
);

export const attestationTypeUnsupported = defineError(
  'attestation_type_unsupported',
  'invalid',
  (type: string) => ({
    message: `Attestation type ${JSON.stringify(type.slice(0, 64))} is not one Warden accepts; accepted: vuln-report.`,
    details: { type: type.slice(0, 64), accepted: ['vuln-report'] },
  }),
);

/** The same document is already attested on the version (attestations are immutable and counted once). */
export const attestationExists = defineError(
  'attestation_exists',
  'conflict',
  (model: string, version: number, id: string) => ({
    message: `Version ${version} of "${model}" already holds this report (attestation ${id}).`,
    details: { model, version, attestation: id },
  }),
);

export const attestationNotFound = defineError(
  'attestation_not_found',
  'not_found',
  (model: string, version: number, id: string) => ({
    message: `Version ${version} of "${model}" has no attestation ${JSON.stringify(id.slice(0, 64))}.`,
    details: { model, version, attestation: id.slice(0, 64) },
  }),
);
