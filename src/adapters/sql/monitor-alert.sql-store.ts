import type { Kysely, Selectable } from 'kysely';
import type {
  AlertRecord,
  MonitorAlertStore,
  MonitorPolicyRecord,
  RuleState,
} from '../../modules/monitor/index.js';
import type { Database } from './database.js';
import type { SqlCapabilities } from './db.js';
import { monitorReadingMethods } from './monitor-reading.sql-store.js';
import { type PolicyDocumentsTable, policyDocumentRows } from './policy-documents.sql.js';

/** Monitoring's alert tables (migration 0018-monitor-alerts; the readings' are monitor-reading.sql-store's). */
export type MonitorAlertTables = {
  monitor_alerts: MonitorAlertsTable;
  monitor_rule_states: MonitorRuleStatesTable;
  monitor_rollbacks: MonitorRollbacksTable;
  monitor_policies: MonitorPoliciesTable;
};

export type MonitorAlertsTable = {
  id: string;
  environment: string;
  model: string;
  rule: string;
  severity: string;
  state: string;
  value: number;
  threshold: number;
  fired_at: string;
  resolved_at: string | null;
  updated_at: string;
  window_id: string | null;
  digest: string;
  version: number;
  rollback: string | null;
};

type MonitorRuleStatesTable = {
  environment: string;
  model: string;
  rule: string;
  breaches: number;
  clean: number;
  open_alert: string | null;
  updated_at: string;
};

type MonitorRollbacksTable = { environment: string; model: string; at: string; alert_id: string };

type MonitorPoliciesTable = PolicyDocumentsTable;

const alertOf = (row: Selectable<MonitorAlertsTable>): AlertRecord => ({
  id: row.id,
  environment: row.environment,
  model: row.model,
  rule: row.rule,
  severity: row.severity as AlertRecord['severity'],
  state: row.state as AlertRecord['state'],
  value: Number(row.value),
  threshold: Number(row.threshold),
  firedAt: row.fired_at,
  resolvedAt: row.resolved_at,
  updatedAt: row.updated_at,
  windowId: row.window_id,
  digest: row.digest,
  version: Number(row.version),
  rollback: row.rollback === null ? null : JSON.parse(row.rollback),
});

/** The monitor alert store bound to one connection or transaction. */
export function createMonitorAlertSqlStore(
  executor: Kysely<Database>,
  capabilities: Pick<SqlCapabilities, 'rowLocks'> = { rowLocks: false },
): MonitorAlertStore {
  const db = executor.withTables<MonitorAlertTables>();
  const policies = policyDocumentRows<MonitorPolicyRecord['document']>(executor, 'monitor_policies');
  return {
    async lockDeployment(_environment, model) {
      // The model's row stands for its deployments: it exists whenever an alert is evaluated (a rule state
      // may not exist yet, so there may be nothing of the monitor's own to lock). Without row locks the
      // backend serializes whole transactions (SQLite: one writer, BEGIN IMMEDIATE).
      if (!capabilities.rowLocks) return;
      await executor.selectFrom('models').select('id').where('name', '=', model).forUpdate().execute();
    },
    async ruleStates(environment, model) {
      const rows = await db
        .selectFrom('monitor_rule_states')
        .selectAll()
        .where('environment', '=', environment)
        .where('model', '=', model)
        .execute();
      return rows.map(
        (r): RuleState => ({
          environment: r.environment,
          model: r.model,
          rule: r.rule,
          breaches: Number(r.breaches),
          clean: Number(r.clean),
          openAlert: r.open_alert,
        }),
      );
    },
    async saveRuleState(s, at) {
      const values = { breaches: s.breaches, clean: s.clean, open_alert: s.openAlert, updated_at: at };
      await db
        .insertInto('monitor_rule_states')
        .values({ environment: s.environment, model: s.model, rule: s.rule, ...values })
        .onConflict((oc) => oc.columns(['environment', 'model', 'rule']).doUpdateSet(values))
        .execute();
    },
    async insertAlert(a) {
      await db
        .insertInto('monitor_alerts')
        .values({
          id: a.id,
          environment: a.environment,
          model: a.model,
          rule: a.rule,
          severity: a.severity,
          state: a.state,
          value: a.value,
          threshold: a.threshold,
          fired_at: a.firedAt,
          resolved_at: a.resolvedAt,
          updated_at: a.updatedAt,
          window_id: a.windowId,
          digest: a.digest,
          version: a.version,
          rollback: a.rollback === null ? null : JSON.stringify(a.rollback),
        })
        .execute();
    },
    async updateAlert(a) {
      await db
        .updateTable('monitor_alerts')
        .set({
          state: a.state,
          value: a.value,
          threshold: a.threshold,
          resolved_at: a.resolvedAt,
          updated_at: a.updatedAt,
        })
        .where('id', '=', a.id)
        .execute();
    },
    async findAlert(id) {
      const row = await db.selectFrom('monitor_alerts').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? alertOf(row) : null;
    },
    async setRollback(id, rollback) {
      await db
        .updateTable('monitor_alerts')
        .set({ rollback: JSON.stringify(rollback) })
        .where('id', '=', id)
        .execute();
    },
    async listAlerts(environment, q) {
      let query = db.selectFrom('monitor_alerts').selectAll().where('environment', '=', environment);
      if (q.model !== undefined) query = query.where('model', '=', q.model);
      if (q.state !== undefined) query = query.where('state', '=', q.state);
      if (q.before !== undefined) query = query.where('id', '<', q.before);
      const rows = await query.orderBy('id', 'desc').limit(q.limit).execute();
      return rows.map(alertOf);
    },
    async lastRollback(environment, model) {
      const row = await db
        .selectFrom('monitor_rollbacks')
        .selectAll()
        .where('environment', '=', environment)
        .where('model', '=', model)
        .executeTakeFirst();
      return row ? { at: row.at, alert: row.alert_id } : null;
    },
    async saveRollback(environment, model, at, alert) {
      await db
        .insertInto('monitor_rollbacks')
        .values({ environment, model, at, alert_id: alert })
        .onConflict((oc) => oc.columns(['environment', 'model']).doUpdateSet({ at, alert_id: alert }))
        .execute();
    },
    findPolicy: policies.find,
    savePolicy: policies.save,
    ...monitorReadingMethods(executor),
  };
}
