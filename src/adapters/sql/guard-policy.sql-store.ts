import type { Kysely } from 'kysely';
import type { GuardPolicyRecord, GuardPolicyStore } from '../../modules/gateway/index.js';
import type { Database } from './database.js';
import { type PolicyDocumentsTable, policyDocumentRows } from './policy-documents.sql.js';

/** The guard policy table (migration 0012-guard-policies); the document is a JSON object in TEXT. */
export type GuardPolicyTables = { guard_policies: GuardPoliciesTable };

export type GuardPoliciesTable = PolicyDocumentsTable;

/** The guard policy store bound to one connection or transaction. */
export function createGuardPolicySqlStore(executor: Kysely<Database>): GuardPolicyStore {
  const rows = policyDocumentRows<GuardPolicyRecord['document']>(executor, 'guard_policies');
  return { find: rows.find, listForEnvironment: rows.list, save: rows.save };
}
