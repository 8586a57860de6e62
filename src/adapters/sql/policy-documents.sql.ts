import type { Kysely, Selectable } from 'kysely';
import type { DeploymentPolicyRecord } from '../../modules/deploy/index.js';
import type { Database } from './database.js';

/**
 * A deployment's revisioned policy document, one row per (environment, model): the guard policies
 * (migration 0012) and the monitor policies (0018) have this one shape. The document is JSON in TEXT.
 */
export type PolicyDocumentsTable = {
  environment: string;
  model: string;
  document: string;
  revision: number;
  set_by: string;
  set_by_name: string | null;
  set_at: string;
  reason: string | null;
};

export type PolicyDocumentTableName = 'guard_policies' | 'monitor_policies';

/**
 * Find and save on one policy table. `save` is optimistic: revision 1 is inserted only if no row exists
 * (a row written meanwhile by another change wins), any later revision replaces exactly the one before it;
 * false when another change got there first.
 */
export function policyDocumentRows<D>(executor: Kysely<Database>, name: PolicyDocumentTableName) {
  // Both tables have the shape above: one alias types them, the real name is what runs.
  const db = executor.withTables<{ policies: PolicyDocumentsTable }>();
  const table = name as 'policies';
  const recordOf = (row: Selectable<PolicyDocumentsTable>): DeploymentPolicyRecord<D> => ({
    environment: row.environment,
    model: row.model,
    document: JSON.parse(row.document),
    revision: Number(row.revision),
    setBy: row.set_by,
    setByName: row.set_by_name,
    setAt: row.set_at,
    reason: row.reason,
  });
  return {
    async find(environment: string, model: string): Promise<DeploymentPolicyRecord<D> | null> {
      const row = await db
        .selectFrom(table)
        .selectAll()
        .where('environment', '=', environment)
        .where('model', '=', model)
        .executeTakeFirst();
      return row ? recordOf(row) : null;
    },
    async list(environment: string): Promise<DeploymentPolicyRecord<D>[]> {
      const rows = await db
        .selectFrom(table)
        .selectAll()
        .where('environment', '=', environment)
        .orderBy('model')
        .execute();
      return rows.map(recordOf);
    },
    async save(record: DeploymentPolicyRecord<D>): Promise<boolean> {
      const values = {
        document: JSON.stringify(record.document),
        revision: record.revision,
        set_by: record.setBy,
        set_by_name: record.setByName,
        set_at: record.setAt,
        reason: record.reason,
      };
      if (record.revision === 1) {
        const inserted = await db
          .insertInto(table)
          .values({ environment: record.environment, model: record.model, ...values })
          .onConflict((oc) => oc.columns(['environment', 'model']).doNothing())
          .executeTakeFirst();
        return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
      }
      const updated = await db
        .updateTable(table)
        .set(values)
        .where('environment', '=', record.environment)
        .where('model', '=', record.model)
        .where('revision', '=', record.revision - 1)
        .executeTakeFirst();
      return Number(updated.numUpdatedRows) === 1;
    },
  };
}
