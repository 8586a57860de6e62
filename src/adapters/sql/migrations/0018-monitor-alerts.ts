import { type Kysely, sql } from 'kysely';

// Monitoring's alerts (docs/monitoring.md, "Alerts"): each alert with its state, times, reading, window,
// version and what automatic rollback did (JSON in TEXT); each rule's breach counters per deployment so a
// restart neither re-fires nor forgets; each deployment's last automatic rollback (its cool-down); and each
// deployment's monitor policy (only what the operator set, JSON in TEXT).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('monitor_alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('threshold', 'double precision', (c) => c.notNull())
    .addColumn('fired_at', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('window_id', 'text')
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('rollback', 'text')
    .execute();
  await db.schema
    .createIndex('monitor_alerts_env_id')
    .on('monitor_alerts')
    .columns(['environment', 'id'])
    .execute();
  // Never two open alerts for one rule of one deployment.
  await db.schema
    .createIndex('monitor_alerts_one_firing')
    .on('monitor_alerts')
    .columns(['environment', 'model', 'rule'])
    .unique()
    .where(sql.ref('state'), '=', 'firing')
    .execute();
  await db.schema
    .createTable('monitor_rule_states')
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('breaches', 'integer', (c) => c.notNull())
    .addColumn('clean', 'integer', (c) => c.notNull())
    .addColumn('open_alert', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('monitor_rule_states_pk', ['environment', 'model', 'rule'])
    .execute();
  await db.schema
    .createTable('monitor_rollbacks')
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('alert_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('monitor_rollbacks_pk', ['environment', 'model'])
    .execute();
  await db.schema
    .createTable('monitor_policies')
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('set_by', 'text', (c) => c.notNull())
    .addColumn('set_by_name', 'text')
    .addColumn('set_at', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addPrimaryKeyConstraint('monitor_policies_pk', ['environment', 'model'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('monitor_policies').execute();
  await db.schema.dropTable('monitor_rollbacks').execute();
  await db.schema.dropTable('monitor_rule_states').execute();
  await db.schema.dropTable('monitor_alerts').execute();
}
