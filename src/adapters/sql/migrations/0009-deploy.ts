import type { Kysely } from 'kysely';

// Governed deployments. A request names one digest for one (environment, model) target and carries the
// gate results it was approved on; approvals are bound to that digest and result hash. `deploy_live` is
// what is live (stable and an optional canary or shadow per target); `deploy_revisions` counts every
// change to an environment's live state (the gateway's change feed); `deployments` is the history.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('deploy_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('model_id', 'text', (c) => c.notNull().references('models.id'))
    .addColumn('version_id', 'text', (c) => c.notNull().references('versions.id'))
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('slot', 'text', (c) => c.notNull())
    .addColumn('percent', 'integer')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('gates', 'text', (c) => c.notNull())
    .addColumn('gate_hash', 'text', (c) => c.notNull())
    .addColumn('gates_passed', 'integer', (c) => c.notNull())
    .addColumn('base_deployment_id', 'text')
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_by_name', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('closed_by', 'text')
    .addColumn('closed_reason', 'text')
    .execute();
  await db.schema
    .createIndex('deploy_requests_target_idx')
    .on('deploy_requests')
    .columns(['environment', 'model_id', 'state'])
    .execute();

  await db.schema
    .createTable('deploy_approvals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull().references('deploy_requests.id'))
    .addColumn('approver', 'text', (c) => c.notNull())
    .addColumn('approver_name', 'text', (c) => c.notNull())
    .addColumn('approver_snapshot', 'text', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('gate_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('deploy_approvals_once_uq', ['request_id', 'approver'])
    .execute();

  await db.schema
    .createTable('deploy_revisions')
    .addColumn('environment', 'text', (c) => c.primaryKey())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('deployments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('model_id', 'text', (c) => c.notNull().references('models.id'))
    .addColumn('request_id', 'text', (c) => c.references('deploy_requests.id'))
    .addColumn('version_id', 'text', (c) => c.notNull().references('versions.id'))
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('slot', 'text', (c) => c.notNull())
    .addColumn('percent', 'integer')
    .addColumn('previous_digest', 'text')
    .addColumn('rolled_back', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('deployments_target_idx')
    .on('deployments')
    .columns(['environment', 'model_id', 'id'])
    .execute();

  await db.schema
    .createTable('deploy_live')
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('model_id', 'text', (c) => c.notNull().references('models.id'))
    .addColumn('stable_deployment_id', 'text', (c) => c.references('deployments.id'))
    .addColumn('stable_version_id', 'text', (c) => c.references('versions.id'))
    .addColumn('stable_digest', 'text')
    .addColumn('candidate_deployment_id', 'text', (c) => c.references('deployments.id'))
    .addColumn('candidate_version_id', 'text', (c) => c.references('versions.id'))
    .addColumn('candidate_digest', 'text')
    .addColumn('candidate_mode', 'text')
    .addColumn('candidate_percent', 'integer')
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('deploy_live_pk', ['environment', 'model_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'deploy_live',
    'deployments',
    'deploy_revisions',
    'deploy_approvals',
    'deploy_requests',
  ])
    await db.schema.dropTable(table).execute();
}
