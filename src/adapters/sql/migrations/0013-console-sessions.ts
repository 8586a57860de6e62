import type { Kysely } from 'kysely';

// Console sessions (docs/security.md, "Console sessions") and the OIDC sign-ins pending between the redirect
// to the issuer and its callback. Neither stores a secret the browser holds: only SHA-256 digests of the
// session secret, the sign-in's state and its browser binding. Ended and expired rows are swept.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('console_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('principal_id', 'text', (c) => c.notNull())
    // The principal at sign-in (kind, name, roles, teams, unscoped): JSON in TEXT.
    .addColumn('principal', 'text', (c) => c.notNull())
    .addColumn('token_id', 'text')
    .addColumn('issuer', 'text')
    .addColumn('subject', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .addColumn('end_reason', 'text')
    .execute();
  await db.schema
    .createIndex('console_sessions_token_idx')
    .on('console_sessions')
    .column('token_id')
    .execute();
  await db.schema
    .createIndex('console_sessions_expires_idx')
    .on('console_sessions')
    .column('expires_at')
    .execute();
  await db.schema
    .createIndex('console_sessions_last_seen_idx')
    .on('console_sessions')
    .column('last_seen_at')
    .execute();

  await db.schema
    .createTable('console_pending_logins')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('state_hash', 'text', (c) => c.notNull().unique())
    .addColumn('binding_hash', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('return_to', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('consumed_at', 'text')
    .execute();
  await db.schema
    .createIndex('console_pending_logins_expires_idx')
    .on('console_pending_logins')
    .column('expires_at')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('console_pending_logins').execute();
  await db.schema.dropTable('console_sessions').execute();
}
