import type { Kysely } from 'kysely';

// Each deployment's guard policy (docs/guards.md, "Per-deployment policy"): one row per environment and
// model, holding only what the operator set (a JSON object in TEXT; `{}` after a reset), its revision and
// who set it, when and why. The gateway reads an environment's rows every second.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('guard_policies')
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('set_by', 'text', (c) => c.notNull())
    .addColumn('set_by_name', 'text')
    .addColumn('set_at', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addPrimaryKeyConstraint('guard_policies_pk', ['environment', 'model'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('guard_policies').execute();
}
