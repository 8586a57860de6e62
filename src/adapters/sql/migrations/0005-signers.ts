import type { Kysely } from 'kysely';

// The keyring of trusted signers and the signatures attached to versions. A signer is never deleted, only
// revoked, so every recorded signature keeps naming the key it was verified with.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('signers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('public_key_pem', 'text', (c) => c.notNull())
    .addColumn('key_hint', 'text', (c) => c.notNull())
    .addColumn('environments', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_by', 'text')
    .execute();
  await db.schema.createIndex('signers_key_hint_idx').on('signers').column('key_hint').execute();

  await db.schema
    .createTable('version_signatures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('version_id', 'text', (c) => c.notNull().references('versions.id'))
    .addColumn('signer_id', 'text', (c) => c.notNull().references('signers.id'))
    .addColumn('bundle', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('attached_by', 'text', (c) => c.notNull())
    .addColumn('attached_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('version_signatures_version_signer_uq', ['version_id', 'signer_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('version_signatures').execute();
  await db.schema.dropTable('signers').execute();
}
