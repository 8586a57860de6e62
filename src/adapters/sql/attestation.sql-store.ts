import type { Kysely, Selectable } from 'kysely';
import type { AttestationStore } from '../../modules/attestations/attestation.ports.js';
import type {
  AttestationRecord,
  AttestationType,
  VulnReportFormat,
  VulnSummary,
} from '../../modules/attestations/attestation.types.js';
import type { Database } from './database.js';

/** Kysely's view of the attestations table (migration 0010); the summary is JSON in TEXT. */
export type AttestationTables = {
  attestations: AttestationsTable;
};

export type AttestationsTable = {
  id: string;
  version_id: string;
  type: string;
  format: string;
  digest: string;
  summary: string;
  document: string;
  created_by: string;
  created_by_name: string | null;
  created_at: string;
};

const recordColumns = [
  'id',
  'version_id',
  'type',
  'format',
  'digest',
  'summary',
  'created_by',
  'created_by_name',
  'created_at',
] as const;

/** The attestation store bound to one connection or transaction. Inserts and reads only: never an update. */
export function createAttestationSqlStore(executor: Kysely<Database>): AttestationStore {
  const db = executor.withTables<AttestationTables>();
  return {
    async insert(a, document) {
      await db
        .insertInto('attestations')
        .values({
          id: a.id,
          version_id: a.versionId,
          type: a.type,
          format: a.format,
          digest: a.digest,
          summary: JSON.stringify(a.summary),
          document,
          created_by: a.createdBy,
          created_by_name: a.createdByName,
          created_at: a.createdAt,
        })
        .execute();
    },
    async listForVersion(versionId) {
      const rows = await db
        .selectFrom('attestations')
        .select(recordColumns)
        .where('version_id', '=', versionId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toRecord);
    },
    async findWithDocument(versionId, id) {
      const row = await db
        .selectFrom('attestations')
        .selectAll()
        .where('version_id', '=', versionId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? { record: toRecord(row), document: row.document } : null;
    },
  };
}

function toRecord(row: Omit<Selectable<AttestationsTable>, 'document'>): AttestationRecord {
  return {
    id: row.id,
    versionId: row.version_id,
    type: row.type as AttestationType,
    format: row.format as VulnReportFormat,
    digest: row.digest,
    summary: JSON.parse(row.summary) as VulnSummary,
    createdBy: row.created_by,
    createdByName: row.created_by_name,
    createdAt: row.created_at,
  };
}
