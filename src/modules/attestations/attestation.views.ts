import type { ModelRecord, VersionRecord } from '../registry/index.js';
import type {
  AttestationRecord,
  AttestationType,
  VulnReportFormat,
  VulnSummary,
} from './attestation.types.js';

/** An attestation as callers see it: which version it is about, what it found, who attached it. */
export interface AttestationView {
  id: string;
  model: string;
  version: number;
  /** The attested version's root digest, `sha256:<hex>`. */
  versionDigest: string;
  type: AttestationType;
  format: VulnReportFormat;
  /** `sha256:<hex>` of the stored document (the report as canonical JSON). */
  digest: string;
  summary: VulnSummary;
  createdBy: string;
  createdByName: string | null;
  createdAt: string;
}

/** One attestation with the report it attests, as it was stored (canonical JSON, parsed). */
export interface AttestationDetailView extends AttestationView {
  report: unknown;
}

export function attestationView(
  model: Pick<ModelRecord, 'name'>,
  version: Pick<VersionRecord, 'number' | 'digest'>,
  record: AttestationRecord,
): AttestationView {
  return {
    id: record.id,
    model: model.name,
    version: version.number,
    versionDigest: `sha256:${version.digest}`,
    type: record.type,
    format: record.format,
    digest: `sha256:${record.digest}`,
    summary: record.summary,
    createdBy: record.createdBy,
    createdByName: record.createdByName,
    createdAt: record.createdAt,
  };
}
