import type { DeploymentPolicyRecord } from '../../deploy/index.js';
import type { Alert, ReadingsRecord, StoredReading } from '../monitor.types.js';
import type { RuleState } from './alert-state.js';
import type { MonitorPolicyDocument } from './monitor-policy.js';

/** What automatic rollback did about an alert. */
export interface AlertRollback {
  /** `rolled_back`/`aborted`: done; `cooldown`: a recent rollback held it back; `failed`: deploy refused. */
  action: 'rolled_back' | 'aborted' | 'cooldown' | 'failed';
  at: string;
  /** The deployment the rollback or abort made; null otherwise. */
  deployment: string | null;
  /** The deploy error's code when it failed (e.g. `deploy_nothing_to_roll_back`), or why it was held back. */
  detail: string | null;
}

/** An alert as stored: the shared `Alert`, when it last changed, and what automatic rollback did. */
export interface AlertRecord extends Alert {
  updatedAt: string;
  rollback: AlertRollback | null;
}

/** One deployment's stored monitor policy: what the operator set, and who set it, when and why. */
/** A deployment's stored monitor policy. */
export type MonitorPolicyRecord = DeploymentPolicyRecord<MonitorPolicyDocument>;

export interface AlertQuery {
  model?: string | undefined;
  state?: Alert['state'] | undefined;
  /** Only alerts with an id below this one (the previous page's last). */
  before?: string | undefined;
  limit: number;
}

/** Persistence of alerts, rule states, rollback cool-downs and monitor policies, on one executor. */
export interface MonitorAlertStore {
  /**
   * Holds the deployment's rule states for this transaction: another process evaluating the same
   * deployment waits until it ends (a no-op where the backend serializes transactions anyway).
   */
  lockDeployment(environment: string, model: string): Promise<void>;
  ruleStates(environment: string, model: string): Promise<RuleState[]>;
  saveRuleState(state: RuleState, at: string): Promise<void>;
  insertAlert(alert: AlertRecord): Promise<void>;
  /** Writes the alert's mutable fields (state, value, threshold, resolvedAt, updatedAt, windowId). */
  updateAlert(alert: AlertRecord): Promise<void>;
  findAlert(id: string): Promise<AlertRecord | null>;
  setRollback(id: string, rollback: AlertRollback): Promise<void>;
  /** One environment's alerts, newest first. */
  listAlerts(environment: string, query: AlertQuery): Promise<AlertRecord[]>;
  /** The deployment's last automatic rollback (the cool-down's start). */
  lastRollback(environment: string, model: string): Promise<{ at: string; alert: string } | null>;
  saveRollback(environment: string, model: string, at: string, alert: string): Promise<void>;
  findPolicy(environment: string, model: string): Promise<MonitorPolicyRecord | null>;
  /** Writes if the stored revision is still `revision - 1` (0: none); false when another change won. */
  savePolicy(record: MonitorPolicyRecord): Promise<boolean>;
  /** Writes one evaluation's readings (the engine calls it on the transaction that moves the alerts). */
  saveReadings(record: ReadingsRecord): Promise<void>;
  /** The readings of these windows of an environment, by window id (a window never read is absent). */
  windowReadings(environment: string, windowIds: readonly string[]): Promise<Map<string, StoredReading[]>>;
  /** The deployment's latest interval readings (a minute of gateway counters), or null. */
  latestInterval(
    environment: string,
    model: string,
  ): Promise<{ at: string; readings: StoredReading[] } | null>;
}

export interface MonitorAlertStores {
  monitorAlerts: MonitorAlertStore;
}
