import { AppError } from '../../../platform/errors.js';
import type { AutoRollback } from '../../deploy/index.js';
import type { AlertRecord, AlertRollback } from './alert.ports.js';
import { severityRank } from './monitor-policy.js';

/** What automatic rollback asks of the deploy module (both audited as the system, with the reason given). */
export interface RollbackActions {
  rollbackAsSystem(env: string, model: string, reason: string): Promise<{ id: string }>;
  abortAsSystem(env: string, model: string, reason: string): Promise<{ id: string }>;
}

/** Whether an environment's automatic rollback acts on this alert. */
export const rollsBack = (settings: AutoRollback | undefined, alert: AlertRecord): settings is AutoRollback =>
  settings?.enabled === true && severityRank(alert.severity) >= severityRank(settings.severity);

/** The reason the deploy module records: the alert, so the audit entry leads back to it. */
export const rollbackReason = (a: AlertRecord) =>
  `monitor alert ${a.id}: ${a.rule} = ${a.value} (threshold ${a.threshold}, ${a.severity})`;

/** Still inside the cool-down of the deployment's last automatic rollback? */
export function inCooldown(last: { at: string } | null, now: Date, settings: AutoRollback): boolean {
  return last !== null && now.getTime() - Date.parse(last.at) < settings.cooldownMinutes * 60_000;
}

/**
 * Aborts the live canary (or shadow) when there is one, else rolls the stable deployment back to its last
 * known-good version. A refusal by the deploy module (nothing to roll back to, not deployed) is the
 * outcome `failed` with its error code, never a throw: the alert stands either way.
 */
export async function takeRollback(
  deploy: RollbackActions,
  alert: AlertRecord,
  at: string,
): Promise<AlertRollback> {
  const reason = rollbackReason(alert);
  const refused = (e: unknown): AlertRollback => {
    if (e instanceof AppError) return { action: 'failed', at, deployment: null, detail: e.code };
    throw e;
  };
  try {
    const aborted = await deploy.abortAsSystem(alert.environment, alert.model, reason);
    return { action: 'aborted', at, deployment: aborted.id, detail: null };
  } catch (e) {
    if (!(e instanceof AppError && e.code === 'deploy_no_candidate')) return refused(e);
  }
  try {
    const rolled = await deploy.rollbackAsSystem(alert.environment, alert.model, reason);
    return { action: 'rolled_back', at, deployment: rolled.id, detail: null };
  } catch (e) {
    return refused(e);
  }
}
