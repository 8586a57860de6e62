import type { Kysely } from 'kysely';

// The pickle-scan attestation recorded on each version at push time (JSON, null when nothing was scanned).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('versions').addColumn('scan', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('versions').dropColumn('scan').execute();
}
