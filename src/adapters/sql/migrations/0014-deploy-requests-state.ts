import type { Kysely } from 'kysely';

// Listing requests across environments by state, newest first (an approver's inbox of pending requests):
// an index on (state, id) serves it without reading every closed request.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('deploy_requests_state_idx')
    .on('deploy_requests')
    .columns(['state', 'id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('deploy_requests_state_idx').execute();
}
