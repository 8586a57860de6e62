import type { Severity } from '../scanning/index.js';

/**
 * One deployment environment as the deploy module applies it (configured under `environments.<name>`;
 * docs/deploy.md#environments lists each setting and its default).
 */
export interface DeployEnvironment {
  name: string;
  /** Distinct valid approvals a request needs before it can be applied. */
  approvals: number;
  /** Whether a requester may approve their own request (never where approvals ≥ 2). */
  allowSelfApproval: boolean;
  approvalTtlSeconds: number;
  requestTtlSeconds: number;
  /** Apply a request as soon as its gates pass and its approvals are in. */
  autoApply: boolean;
  /** The gates a version must pass, by `@gate` name. */
  gates: string[];
  maxScanSeverity: Severity;
  maxVulnSeverity: Severity;
  requireVulnReport: boolean;
  metrics: Record<string, { min?: number; max?: number }>;
  requireDatasets: boolean;
  requireTrainingRun: boolean;
  requireSourceCommit: boolean;
  /** What monitoring does when an alert fires for a deployment here (docs/monitoring.md#automatic-rollback). */
  autoRollback: AutoRollback;
}

/**
 * Automatic rollback: a firing alert of at least `severity` rolls the deployment back to its last
 * known-good version (a live canary is aborted instead), at most once per `cooldownMinutes`.
 */
export interface AutoRollback {
  enabled: boolean;
  severity: 'info' | 'warning' | 'critical';
  cooldownMinutes: number;
}

/** Approvals an environment really needs: self-approval never counts where two or more are needed. */
export const selfApprovalAllowed = (env: DeployEnvironment): boolean =>
  env.allowSelfApproval && env.approvals < 2;
