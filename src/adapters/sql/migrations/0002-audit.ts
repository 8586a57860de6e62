import type { Kysely } from 'kysely';

// Migrations import no application code and are never edited once they land.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('audit_entries')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('principal', 'text')
    .addColumn('resource', 'text')
    .addColumn('request_id', 'text')
    .addColumn('client_address', 'text')
    // The entry's details as JSON, or null when it has none (absent and empty hash differently).
    .addColumn('details', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  for (const column of ['principal', 'action', 'resource', 'at']) {
    await db.schema
      .createIndex(`audit_entries_${column}_idx`)
      .on('audit_entries')
      .columns([column, 'seq'])
      .execute();
  }

  // One row: the chain's newest entry. Appenders lock it, so they take turns even across processes.
  await db.schema
    .createTable('audit_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db
    .insertInto('audit_head')
    .values({ id: 1, seq: 0, hash: '0'.repeat(64) })
    .execute();

  await db.schema
    .createTable('audit_checkpoints')
    .addColumn('size', 'bigint', (c) => c.primaryKey())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['audit_checkpoints', 'audit_head', 'audit_entries']) {
    await db.schema.dropTable(table).execute();
  }
}
