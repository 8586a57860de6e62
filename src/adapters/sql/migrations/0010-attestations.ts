import type { Kysely } from 'kysely';

// Attestations: documents about a version attached after it was pushed (vulnerability reports). Immutable:
// no column is ever updated and no row deleted, a deleted version keeps its attestations. The document is
// the report as canonical JSON (RFC 8785) and `digest` its SHA-256, so a version holds one copy of a report.
// `summary` is what the report found on Warden's severity scale (JSON), read without the document.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('attestations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('version_id', 'text', (c) => c.notNull().references('versions.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_by_name', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('attestations_version_type_digest_uq', ['version_id', 'type', 'digest'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('attestations').execute();
}
