import type { Kysely } from 'kysely';

// Who acted, exactly, and which team an entry concerns. `actor_name` is the display name beside the
// kind-qualified principal id, `credential` (JSON) the token id or the JWT's issuer, subject and jti, and
// `team` the team owning the resource the entry is about (null for global objects and older entries),
// which is how team-scoped administrators' audit queries are narrowed. Older rows keep nulls: a null
// field is left out of an entry's hash, so every entry written before this migration still verifies.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_entries').addColumn('actor_name', 'text').execute();
  await db.schema.alterTable('audit_entries').addColumn('credential', 'text').execute();
  await db.schema.alterTable('audit_entries').addColumn('team', 'text').execute();
  await db.schema
    .createIndex('audit_entries_team_idx')
    .on('audit_entries')
    .columns(['team', 'seq'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('audit_entries_team_idx').execute();
  for (const column of ['team', 'credential', 'actor_name']) {
    await db.schema.alterTable('audit_entries').dropColumn(column).execute();
  }
}
