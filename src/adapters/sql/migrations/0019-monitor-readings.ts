import type { Kysely } from 'kysely';

// Monitoring's detector readings (docs/monitoring.md, "Detector readings"): one row per evaluation of the
// alert engine, written in the transaction that moves the alerts: a closed window's readings (window_id set)
// or a minute of gateway counters' (window_id null), each with the digest and version read and the readings
// as JSON in TEXT (detector, value, threshold, breached, direction; a non-finite value is null). Deleted with
// the windows, after `monitor.retentionDays`.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('monitor_readings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('window_id', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('readings', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('monitor_readings_window')
    .on('monitor_readings')
    .columns(['environment', 'window_id'])
    .execute();
  await db.schema
    .createIndex('monitor_readings_latest')
    .on('monitor_readings')
    .columns(['environment', 'model', 'kind', 'at'])
    .execute();
  await db.schema.createIndex('monitor_readings_at').on('monitor_readings').column('at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('monitor_readings').execute();
}
