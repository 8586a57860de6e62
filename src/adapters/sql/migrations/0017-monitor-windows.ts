import type { Kysely } from 'kysely';

// Monitoring's closed windows (docs/monitoring.md, "Windows and drift"): one row per window summary (the
// summary itself as JSON in TEXT, with the fields listings filter and sort on as columns), and the
// predictions of single-row requests by request id, which delayed ground-truth labels fill in. Never the
// requests' inputs.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('monitor_windows')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('start_at', 'text', (c) => c.notNull())
    .addColumn('end_at', 'text', (c) => c.notNull())
    .addColumn('closed_by', 'text', (c) => c.notNull())
    .addColumn('requests', 'integer', (c) => c.notNull())
    .addColumn('rows', 'integer', (c) => c.notNull())
    .addColumn('drift_detected', 'integer')
    .addColumn('drift_share', 'real')
    .addColumn('summary', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('monitor_windows_listing')
    .on('monitor_windows')
    .columns(['environment', 'model', 'id'])
    .execute();
  await db.schema.createIndex('monitor_windows_end').on('monitor_windows').column('end_at').execute();
  await db.schema
    .createTable('monitor_predictions')
    .addColumn('window_id', 'text', (c) => c.notNull())
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('prediction', 'text', (c) => c.notNull())
    .addColumn('label', 'text')
    .addPrimaryKeyConstraint('monitor_predictions_pk', ['window_id', 'request_id'])
    .execute();
  await db.schema
    .createIndex('monitor_predictions_request')
    .on('monitor_predictions')
    .columns(['environment', 'model', 'request_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('monitor_predictions').execute();
  await db.schema.dropTable('monitor_windows').execute();
}
