import type { Severity } from '../../platform/severity.js';
import type { EventModel } from '../registry/index.js';
import type { AttestationType, VulnReportFormat } from './attestation.types.js';

/**
 * The audit events the attestations module emits; attestation-audit.ts says how each reads in the log.
 * Digests are hex, without the `sha256:` prefix.
 */
export type AttestationEvent = {
  type: 'attestation.created';
  model: EventModel;
  version: number;
  versionDigest: string;
  attestation: {
    id: string;
    type: AttestationType;
    format: VulnReportFormat;
    tool: string;
    digest: string;
    findings: number;
    maxSeverity: Severity;
  };
};

export type AttestationEventType = AttestationEvent['type'];
