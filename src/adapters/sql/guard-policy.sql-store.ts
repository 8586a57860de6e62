import type { Kysely, Selectable } from 'kysely';
import type { GuardPolicyRecord, GuardPolicyStore } from '../../modules/gateway/index.js';
import type { Database } from './database.js';

/** The guard policy table (migration 0012-guard-policies); the document is a JSON object in TEXT. */
export type GuardPolicyTables = { guard_policies: GuardPoliciesTable };

export type GuardPoliciesTable = {
  environment: string;
  model: string;
  document: string;
  revision: number;
  set_by: string;
  set_by_name: string | null;
  set_at: string;
  reason: string | null;
};

const recordOf = (row: Selectable<GuardPoliciesTable>): GuardPolicyRecord => ({
  environment: row.environment,
  model: row.model,
  document: JSON.parse(row.document),
  revision: Number(row.revision),
  setBy: row.set_by,
  setByName: row.set_by_name,
  setAt: row.set_at,
  reason: row.reason,
});

/** The guard policy store bound to one connection or transaction. */
export function createGuardPolicySqlStore(executor: Kysely<Database>): GuardPolicyStore {
  const db = executor.withTables<GuardPolicyTables>();
  return {
    async find(environment, model) {
      const row = await db
        .selectFrom('guard_policies')
        .selectAll()
        .where('environment', '=', environment)
        .where('model', '=', model)
        .executeTakeFirst();
      return row ? recordOf(row) : null;
    },
    async listForEnvironment(environment) {
      const rows = await db
        .selectFrom('guard_policies')
        .selectAll()
        .where('environment', '=', environment)
        .orderBy('model')
        .execute();
      return rows.map(recordOf);
    },
    async save(record) {
      const values = {
        document: JSON.stringify(record.document),
        revision: record.revision,
        set_by: record.setBy,
        set_by_name: record.setByName,
        set_at: record.setAt,
        reason: record.reason,
      };
      if (record.revision === 1) {
        // The first policy of the deployment: a row written meanwhile by another change wins.
        const inserted = await db
          .insertInto('guard_policies')
          .values({ environment: record.environment, model: record.model, ...values })
          .onConflict((oc) => oc.columns(['environment', 'model']).doNothing())
          .executeTakeFirst();
        return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
      }
      const updated = await db
        .updateTable('guard_policies')
        .set(values)
        .where('environment', '=', record.environment)
        .where('model', '=', record.model)
        .where('revision', '=', record.revision - 1)
        .executeTakeFirst();
      return Number(updated.numUpdatedRows) === 1;
    },
  };
}
