import { type Kysely, sql } from 'kysely';

// Deleting a version leaves a tombstone (the row, its manifest, signatures and alias history stay; its
// number and digest stay reserved in the model). Its blobs are destroyed once no live version names them:
// `blobs` holds one row per stored blob, the lock that pushes and the collector take on a digest, and marks
// the blobs waiting for collection.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('versions').addColumn('deleted_at', 'text').execute();
  await db.schema.alterTable('versions').addColumn('deleted_by', 'text').execute();
  await db.schema.alterTable('versions').addColumn('delete_reason', 'text').execute();

  await db.schema
    .createTable('blobs')
    .addColumn('digest', 'text', (c) => c.primaryKey())
    .addColumn('collect_requested_at', 'text')
    .execute();
  await db.schema.createIndex('blobs_collect_idx').on('blobs').column('collect_requested_at').execute();
  await sql`insert into blobs (digest) select distinct digest from version_files`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('blobs').execute();
  for (const column of ['delete_reason', 'deleted_by', 'deleted_at']) {
    await db.schema.alterTable('versions').dropColumn(column).execute();
  }
}
