import type { Severity } from '../scanning/index.js';

/** Where a deployment runs in its target: the stable slot, or beside it as a canary or a shadow. */
export type Slot = 'stable' | 'canary' | 'shadow';

/**
 * A request's life: `pending` until its approvals are in (or straight to `approved` when none are
 * needed), then `applied`; or it ends `rejected`, `cancelled`, `expired`, or `superseded` when another
 * request for the same target was applied first.
 */
export type RequestState =
  | 'pending'
  | 'approved'
  | 'applied'
  | 'rejected'
  | 'cancelled'
  | 'expired'
  | 'superseded';

/** One gate's verdict, the evidence it was decided on and the policies that decided it. */
export interface GateVerdict {
  gate: string;
  passed: boolean;
  /** Ids of the policies that determined the verdict. */
  policies: string[];
  /** What Warden held for this gate when it decided (signers, severities, metrics…). */
  evidence: Record<string, unknown>;
  errors: string[];
}

/** Every gate an environment applies, for one digest; `hash` is what approvals are bound to. */
export interface GateResult {
  environment: string;
  digest: string;
  passed: boolean;
  gates: GateVerdict[];
  /** sha256 of the canonical JSON of { environment, digest, gates }. */
  hash: string;
}

export interface DeployRequestRecord {
  id: string;
  environment: string;
  modelId: string;
  versionId: string;
  /** The root digest (hex, as versions store it): resolved when the request was made, never again. */
  digest: string;
  slot: Slot;
  /** Traffic share of a canary or shadow (1–99 / 1–100); null for stable. */
  percent: number | null;
  state: RequestState;
  gates: GateResult;
  /** The stable deployment live when the request was made: applying over another one is a conflict. */
  baseDeploymentId: string | null;
  requestedBy: string;
  requestedByName: string;
  reason: string | null;
  createdAt: string;
  expiresAt: string;
  closedAt: string | null;
  closedBy: string | null;
  closedReason: string | null;
}

export type Decision = 'approve' | 'reject';

export interface ApprovalRecord {
  id: string;
  requestId: string;
  approver: string;
  approverName: string;
  /** The approver's roles and teams when they approved (re-checked against the policies at apply). */
  approverSnapshot: { kind: 'user' | 'service'; roles: string[]; teams: string[]; unscoped: boolean };
  decision: Decision;
  reason: string;
  digest: string;
  gateHash: string;
  createdAt: string;
  expiresAt: string;
}

export type DeploymentAction = 'applied' | 'promoted' | 'aborted' | 'rolled_back';

/** One change to a target's live state, newest last. */
export interface DeploymentRecord {
  id: string;
  environment: string;
  modelId: string;
  requestId: string | null;
  versionId: string;
  digest: string;
  action: DeploymentAction;
  slot: Slot;
  percent: number | null;
  previousDigest: string | null;
  /** A stable deployment that a rollback left: never a rollback's target again. */
  rolledBack: boolean;
  actor: string;
  actorName: string;
  reason: string | null;
  revision: number;
  at: string;
}

/** What is live for one model in one environment. */
export interface LiveRecord {
  environment: string;
  modelId: string;
  stable: { deploymentId: string; versionId: string; digest: string } | null;
  candidate: {
    deploymentId: string;
    versionId: string;
    digest: string;
    mode: 'canary' | 'shadow';
    percent: number;
  } | null;
  revision: number;
  updatedAt: string;
}

/** What the vulnerabilities gate reads of a version's attached reports. */
export interface VulnerabilityEvidence {
  reports: number;
  findings: number;
  maxSeverity: Severity;
}
