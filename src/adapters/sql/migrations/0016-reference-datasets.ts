import type { Kysely } from 'kysely';

// A version's reference dataset (docs/monitoring.md, "Reference data"): one row per version, replaced in
// place when a new dataset is attached (the audit log keeps each change). The bytes are a blob named by
// `digest`; the blob bookkeeping counts this row as a reference while its version is live. `columns` and
// `profile` are JSON in TEXT: the column roles, and the profile (roles, kinds, counts, bounded samples).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('reference_datasets')
    .addColumn('version_id', 'text', (c) => c.primaryKey().references('versions.id'))
    .addColumn('model_id', 'text', (c) => c.notNull().references('models.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('rows', 'bigint', (c) => c.notNull())
    .addColumn('columns', 'text', (c) => c.notNull())
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('set_by', 'text', (c) => c.notNull())
    .addColumn('set_by_name', 'text')
    .addColumn('set_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('reference_datasets_digest_idx')
    .on('reference_datasets')
    .column('digest')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('reference_datasets').execute();
}
