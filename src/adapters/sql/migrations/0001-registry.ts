import type { Kysely } from 'kysely';

// Migrations import no application code and are never edited once they land.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('models')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('model_tags')
    .addColumn('model_id', 'text', (c) => c.notNull().references('models.id'))
    .addColumn('tag', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('model_tags_pk', ['model_id', 'tag'])
    .execute();
  await db.schema.createIndex('model_tags_tag_idx').on('model_tags').column('tag').execute();

  await db.schema
    .createTable('versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('model_id', 'text', (c) => c.notNull().references('models.id'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('file_count', 'integer', (c) => c.notNull())
    .addColumn('io_signature', 'text')
    .addColumn('metrics', 'text', (c) => c.notNull())
    .addColumn('params', 'text', (c) => c.notNull())
    .addColumn('metadata', 'text', (c) => c.notNull())
    .addColumn('dataset_digests', 'text', (c) => c.notNull())
    .addColumn('training_run', 'text')
    .addColumn('parent_version_id', 'text', (c) => c.references('versions.id'))
    .addColumn('source_commit', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('versions_model_number_uq', ['model_id', 'number'])
    .addUniqueConstraint('versions_model_digest_uq', ['model_id', 'digest'])
    .execute();
  await db.schema.createIndex('versions_digest_idx').on('versions').column('digest').execute();

  await db.schema
    .createTable('version_files')
    .addColumn('version_id', 'text', (c) => c.notNull().references('versions.id'))
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('version_files_pk', ['version_id', 'path'])
    .execute();
  await db.schema.createIndex('version_files_digest_idx').on('version_files').column('digest').execute();

  await db.schema
    .createTable('aliases')
    .addColumn('model_id', 'text', (c) => c.notNull().references('models.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version_id', 'text', (c) => c.notNull().references('versions.id'))
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('aliases_pk', ['model_id', 'name'])
    .execute();

  await db.schema
    .createTable('alias_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('model_id', 'text', (c) => c.notNull().references('models.id'))
    .addColumn('alias', 'text', (c) => c.notNull())
    .addColumn('from_version_id', 'text', (c) => c.references('versions.id'))
    .addColumn('to_version_id', 'text', (c) => c.references('versions.id'))
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('alias_events_alias_idx')
    .on('alias_events')
    .columns(['model_id', 'alias', 'id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['alias_events', 'aliases', 'version_files', 'versions', 'model_tags', 'models']) {
    await db.schema.dropTable(table).execute();
  }
}
