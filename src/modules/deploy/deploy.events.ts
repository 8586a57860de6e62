import type { Slot } from './deploy.types.js';

/** The model an event is about, as the audit log and webhooks name it. */
export interface EventTarget {
  environment: string;
  model: string;
  /** The model's owning team. */
  owner: string;
}

/** Every change the deploy module makes, typed; `describeDeployEvent` is the one place they are worded. */
export type DeployEvent =
  | (EventTarget & {
      type: 'deploy.requested';
      request: string;
      version: number;
      digest: string;
      slot: Slot;
      percent: number | null;
      gatesPassed: boolean;
      failedGates: string[];
      approvalsNeeded: number;
    })
  | (EventTarget & {
      type: 'deploy.approved' | 'deploy.rejected';
      request: string;
      version: number;
      digest: string;
      reason: string;
      approvals: number;
      approvalsNeeded: number;
    })
  | (EventTarget & { type: 'deploy.cancelled' | 'deploy.expired'; request: string; digest: string })
  | (EventTarget & {
      type: 'deploy.applied';
      request: string;
      deployment: string;
      version: number;
      digest: string;
      slot: Slot;
      percent: number | null;
      previousDigest: string | null;
      revision: number;
      automatic: boolean;
    })
  | (EventTarget & {
      type: 'deploy.promoted' | 'deploy.aborted';
      deployment: string;
      version: number;
      digest: string;
      slot: Slot;
      reason: string | null;
      revision: number;
    })
  | (EventTarget & {
      type: 'deploy.rolled_back';
      deployment: string;
      version: number;
      digest: string;
      fromDigest: string;
      reason: string;
      revision: number;
    })
  | (EventTarget & { type: 'deploy.superseded'; request: string; by: string });

export type DeployEventType = DeployEvent['type'];
