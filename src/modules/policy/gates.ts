import type { Principal } from '../../platform/principal.js';
import { type CedarEntity, type CedarUid, cedarNamespace } from './entities.js';
import type { ModelAttributes } from './policy.ports.js';

/**
 * What a deployment gate decides on: one version proposed for one environment, with the evidence Warden
 * holds for it (the `Candidate` entity of the schema). Severities are ranks: 0 none … 4 critical.
 */
export interface CandidateFacts {
  environment: string;
  model: ModelAttributes;
  number: number;
  /** The root digest, hex without `sha256:`. */
  digest: string;
  signed: boolean;
  signers: string[];
  signedFor: string[];
  scanSeverity: number;
  vulnReports: number;
  vulnSeverity: number;
  metricsFailing: string[];
  datasets: number;
  hasTrainingRun: boolean;
  hasSourceCommit: boolean;
  /** The version's finite numeric metrics, given to Cedar as decimal tags (4 decimal places). */
  metrics: Record<string, number>;
}

/** What the environment requires of a candidate (the schema's `GateContext`). */
export interface GateContext {
  environment: string;
  maxScanSeverity: number;
  maxVulnSeverity: number;
  requireVulnReport: boolean;
  requireDatasets: boolean;
  requireTrainingRun: boolean;
  requireSourceCommit: boolean;
}

/** One gate's verdict and the policies that determined it. */
export interface GateDecision {
  passed: boolean;
  /** The permits that let it through, or the forbids that stopped it; on a default deny, the gate's
   * permits (none of which matched). */
  policies: string[];
  /** Evaluation errors: any error fails the gate. */
  errors: string[];
}

/** Decides gates against the gate policies (policies/gates-*.cedar), parsed once at start-up. */
export interface GateEngine {
  /** Every gate name the loaded gate policies define (`@gate("name")`). */
  readonly gates: readonly string[];
  /** The ids of a gate's policies, in file order. */
  policiesOf(gate: string): readonly string[];
  decide(gate: string, principal: Principal, candidate: CandidateFacts, context: GateContext): GateDecision;
}

/** Cedar's decimal holds four places and ±922337203685477; a metric outside that is left out. */
export function cedarDecimal(value: number): string | null {
  if (!Number.isFinite(value) || Math.abs(value) >= 9e14) return null;
  const fixed = (Math.round(value * 10_000) / 10_000).toFixed(4);
  return fixed === '-0.0000' ? '0.0000' : fixed;
}

/** The Candidate entity in Cedar's JSON: its attributes, and its metrics as decimal tags. */
export function candidateEntity(c: CandidateFacts): CedarEntity & { tags: Record<string, unknown> } {
  const uid: CedarUid = {
    type: `${cedarNamespace}::Candidate`,
    id: `${c.environment}/${c.model.name}@${c.number}`,
  };
  const tags: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(c.metrics)) {
    const decimal = cedarDecimal(value);
    if (decimal !== null) tags[name] = { __extn: { fn: 'decimal', arg: decimal } };
  }
  return {
    uid,
    attrs: {
      model: { name: c.model.name, owner: c.model.owner, tags: [...c.model.tags] },
      owner: c.model.owner,
      environment: c.environment,
      number: c.number,
      digest: c.digest.replace(/^sha256:/, ''),
      signed: c.signed,
      signers: [...c.signers],
      signedFor: [...c.signedFor],
      scanSeverity: c.scanSeverity,
      vulnReports: c.vulnReports,
      vulnSeverity: c.vulnSeverity,
      metricsFailing: [...c.metricsFailing],
      datasets: c.datasets,
      hasTrainingRun: c.hasTrainingRun,
      hasSourceCommit: c.hasSourceCommit,
    },
    parents: [],
    tags,
  };
}
