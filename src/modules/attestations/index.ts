export type { Severity } from '../../platform/severity.js';
export * as attestationErrors from './attestation.errors.js';
export type { AttestationEvent, AttestationEventType } from './attestation.events.js';
export type { AttestationStore, AttestationStores, AttestationUnitOfWork } from './attestation.ports.js';
export {
  type AttachAttestationInput,
  type AttestationAccess,
  type AttestationService,
  type AttestationServiceDeps,
  createAttestationService,
} from './attestation.service.js';
export {
  type AttestationRecord,
  type AttestationType,
  attestationTypes,
  type CountedSeverity,
  isVulnReportFormat,
  type VulnReportFormat,
  type VulnSummary,
  vulnReportFormats,
} from './attestation.types.js';
export type { AttestationDetailView, AttestationView } from './attestation.views.js';
export { describeAttestationEvent } from './attestation-audit.js';
export { severityOfCvssScore } from './vuln-report/cvss.js';
export {
  detectVulnReportFormat,
  type ParsedVulnReport,
  parseVulnReport,
  readVulnReportText,
  vulnReportLimits,
  vulnReportParsers,
} from './vuln-report/parse-vuln-report.js';
export { maxSummaryIds } from './vuln-report/tally.js';
export { type VulnerabilityEvidence, vulnerabilityEvidence } from './vulnerability-evidence.js';
