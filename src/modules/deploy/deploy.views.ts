import type {
  ApprovalRecord,
  DeploymentRecord,
  DeployRequestRecord,
  GateResult,
  LiveRecord,
} from './deploy.types.js';
import type { DeployEnvironment } from './environment.js';
import { selfApprovalAllowed } from './environment.js';

export const sha = (hex: string): string => `sha256:${hex}`;

export interface EnvironmentView extends DeployEnvironment {
  /** Whether a requester may approve their own request here, as applied (never where approvals ≥ 2). */
  selfApproval: boolean;
}

export const environmentView = (env: DeployEnvironment): EnvironmentView => ({
  ...env,
  selfApproval: selfApprovalAllowed(env),
});

export interface ApprovalView {
  approver: string;
  approverName: string;
  decision: 'approve' | 'reject';
  reason: string;
  at: string;
  expiresAt: string;
  /** Whether it counts now, and why not when it does not. */
  counts: boolean;
  ignored: string | null;
}

/** A request as callers see it: its record's fields, the version by number, and its approvals weighed. */
export interface RequestView
  extends Pick<
    DeployRequestRecord,
    | 'id'
    | 'environment'
    | 'slot'
    | 'percent'
    | 'state'
    | 'requestedBy'
    | 'requestedByName'
    | 'reason'
    | 'createdAt'
    | 'expiresAt'
    | 'closedAt'
    | 'closedBy'
    | 'closedReason'
  > {
  model: string;
  version: number;
  digest: string;
  gates: GateResult;
  approvalsNeeded: number;
  approvalsCounted: number;
  approvals: ApprovalView[];
}

export function requestView(
  r: DeployRequestRecord,
  model: string,
  version: number,
  needed: number,
  approvals: { record: ApprovalRecord; ignored: string | null }[],
): RequestView {
  return {
    id: r.id,
    environment: r.environment,
    model,
    version,
    digest: sha(r.digest),
    slot: r.slot,
    percent: r.percent,
    state: r.state,
    gates: { ...r.gates, digest: sha(r.gates.digest) },
    approvalsNeeded: needed,
    approvalsCounted: approvals.filter((a) => a.record.decision === 'approve' && a.ignored === null).length,
    approvals: approvals.map(({ record: a, ignored }) => ({
      approver: a.approver,
      approverName: a.approverName,
      decision: a.decision,
      reason: a.reason,
      at: a.createdAt,
      expiresAt: a.expiresAt,
      counts: a.decision === 'approve' && ignored === null,
      ignored,
    })),
    requestedBy: r.requestedBy,
    requestedByName: r.requestedByName,
    reason: r.reason,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    closedAt: r.closedAt,
    closedBy: r.closedBy,
    closedReason: r.closedReason,
  };
}

export interface DeploymentView {
  id: string;
  environment: string;
  model: string;
  version: number;
  digest: string;
  action: DeploymentRecord['action'];
  slot: DeploymentRecord['slot'];
  percent: number | null;
  previousDigest: string | null;
  rolledBack: boolean;
  request: string | null;
  /** Who asked for it and who approved it (from its request), and the gate results it went live on. */
  requestedBy: { id: string; name: string } | null;
  approvedBy: { id: string; name: string; at: string }[];
  gates: { passed: boolean; hash: string } | null;
  actor: string;
  actorName: string;
  reason: string | null;
  revision: number;
  at: string;
}

/** A deployment's request, as its history shows it. */
export interface DeploymentOrigin {
  request: DeployRequestRecord;
  approvals: ApprovalRecord[];
}

export const deploymentView = (
  d: DeploymentRecord,
  model: string,
  version: number,
  origin: DeploymentOrigin | null = null,
): DeploymentView => ({
  id: d.id,
  environment: d.environment,
  model,
  version,
  digest: sha(d.digest),
  action: d.action,
  slot: d.slot,
  percent: d.percent,
  previousDigest: d.previousDigest ? sha(d.previousDigest) : null,
  rolledBack: d.rolledBack,
  request: d.requestId,
  requestedBy: origin ? { id: origin.request.requestedBy, name: origin.request.requestedByName } : null,
  approvedBy: (origin?.approvals ?? [])
    .filter((a) => a.decision === 'approve')
    .map((a) => ({ id: a.approver, name: a.approverName, at: a.createdAt })),
  gates: origin ? { passed: origin.request.gates.passed, hash: origin.request.gates.hash } : null,
  actor: d.actor,
  actorName: d.actorName,
  reason: d.reason,
  revision: d.revision,
  at: d.at,
});

/** One model's live state, as the gateway reads it. */
export interface LiveModelView {
  model: string;
  stable: { digest: string; version: number; deployment: string } | null;
  candidate: {
    digest: string;
    version: number;
    deployment: string;
    mode: 'canary' | 'shadow';
    percent: number;
  } | null;
  revision: number;
  updatedAt: string;
}

export interface LiveView {
  environment: string;
  /** Increases with every change to the environment's live state. */
  revision: number;
  models: LiveModelView[];
}

export function liveModelView(
  l: LiveRecord,
  model: string,
  numberOf: (versionId: string) => number,
): LiveModelView {
  return {
    model,
    stable: l.stable
      ? {
          digest: sha(l.stable.digest),
          version: numberOf(l.stable.versionId),
          deployment: l.stable.deploymentId,
        }
      : null,
    candidate: l.candidate
      ? {
          digest: sha(l.candidate.digest),
          version: numberOf(l.candidate.versionId),
          deployment: l.candidate.deploymentId,
          mode: l.candidate.mode,
          percent: l.candidate.percent,
        }
      : null,
    revision: l.revision,
    updatedAt: l.updatedAt,
  };
}
