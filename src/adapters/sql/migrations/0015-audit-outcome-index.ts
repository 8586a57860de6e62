import type { Kysely } from 'kysely';

// The audit search filters on outcome (the console's "denied only"), newest first. Denials and failures
// are rare among successes, so without an index a page of them walks most of the log backwards; with
// (outcome, seq) each page is a keyset range like the other filters' (principal, action, resource, team).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('audit_entries_outcome_idx')
    .on('audit_entries')
    .columns(['outcome', 'seq'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('audit_entries_outcome_idx').execute();
}
