import type { Kysely } from 'kysely';

// Principal ids are kind-qualified (`token:<id>`, `oidc:<issuer>#<sub>`): exact, but unreadable to a person.
// The display name the principal had when it acted is kept beside each id, as it was then (a token renamed
// or an OIDC user's new preferred name never rewrites history). Rows written before this migration keep
// null: the id alone still says exactly who acted.
const columns: [table: string, column: string][] = [
  ['models', 'created_by_name'],
  ['versions', 'created_by_name'],
  ['versions', 'deleted_by_name'],
  ['aliases', 'updated_by_name'],
  ['alias_events', 'actor_name'],
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const [table, column] of columns)
    await db.schema.alterTable(table).addColumn(column, 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [table, column] of columns) await db.schema.alterTable(table).dropColumn(column).execute();
}
