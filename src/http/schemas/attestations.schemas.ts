import Type from 'typebox';
import { vulnReportFormats, vulnReportLimits } from '../../modules/attestations/index.js';
import { Digest, Timestamp } from './common.schemas.js';

export const AttestationParams = Type.Object(
  {
    name: Type.String({ maxLength: 200 }),
    ref: Type.String({ maxLength: 100 }),
    id: Type.String({ maxLength: 100 }),
  },
  { additionalProperties: false },
);

export const AttachAttestationBody = Type.Object(
  {
    type: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'What the document is. Accepted: `vuln-report` (a vulnerability scanner’s JSON report).',
    }),
    format: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description: `The report's format: ${vulnReportFormats.join(', ')}. Detected when left out; when given, the report must be that format.`,
      }),
    ),
    report: Type.Unknown({
      description: `The tool's JSON output, as it wrote it (npm audit --json, pip-audit -f json, osv-scanner --format json, trivy --format json); at most ${vulnReportLimits.maxBytes} bytes as canonical JSON.`,
    }),
  },
  { additionalProperties: false, required: ['type', 'report'] },
);

const severityDescription = 'none, low, medium, high or critical (Warden’s scale; docs/attestations.md).';

export const VulnSummary = Type.Object({
  format: Type.String({ description: vulnReportFormats.join(', ') }),
  tool: Type.String({
    description: 'The tool that wrote the report, with its version when the report states it.',
  }),
  findings: Type.Integer({ description: 'How many findings the report holds.' }),
  maxSeverity: Type.String({ description: `The highest finding severity: ${severityDescription}` }),
  counts: Type.Object({
    low: Type.Integer(),
    medium: Type.Integer(),
    high: Type.Integer(),
    critical: Type.Integer(),
  }),
  ids: Type.Array(Type.String(), { description: 'Up to 50 vulnerability ids, most severe first.' }),
});

const attestationFields = {
  id: Type.String(),
  model: Type.String(),
  version: Type.Integer(),
  versionDigest: Digest,
  type: Type.String({ description: 'vuln-report' }),
  format: Type.String(),
  digest: Type.String({
    pattern: '^sha256:[0-9a-f]{64}$',
    description: 'SHA-256 of the stored report (RFC 8785 canonical JSON).',
  }),
  summary: VulnSummary,
  createdBy: Type.String({ description: 'Who attached it: the principal id.' }),
  createdByName: Type.Union([Type.String(), Type.Null()], {
    description: 'The display name of whoever attached it, when it acted.',
  }),
  createdAt: Timestamp,
};

export const Attestation = Type.Object(attestationFields);

export const AttestationDetail = Type.Object({
  ...attestationFields,
  report: Type.Unknown({ description: 'The report as stored (canonical JSON: keys sorted, no whitespace).' }),
});
