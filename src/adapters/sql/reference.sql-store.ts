import type { Kysely, Selectable } from 'kysely';
import type { ReferenceRecord, ReferenceStore } from '../../modules/monitor/index.js';
import type { Database } from './database.js';

/** The reference dataset table (migration 0016-reference-datasets). */
export type ReferenceTables = { reference_datasets: ReferenceDatasetsTable };

export type ReferenceDatasetsTable = {
  version_id: string;
  model_id: string;
  version: number;
  digest: string;
  format: string;
  size: number | string;
  rows: number | string;
  columns: string;
  profile: string;
  set_by: string;
  set_by_name: string | null;
  set_at: string;
};

const recordOf = (row: Selectable<ReferenceDatasetsTable>): ReferenceRecord => ({
  versionId: row.version_id,
  modelId: row.model_id,
  version: Number(row.version),
  size: Number(row.size),
  profile: JSON.parse(row.profile),
  setBy: row.set_by,
  setByName: row.set_by_name,
  setAt: row.set_at,
});

/** Reference datasets bound to one connection or transaction. */
export function createReferenceSqlStore(executor: Kysely<Database>): ReferenceStore {
  const db = executor.withTables<ReferenceTables>();
  return {
    async find(versionId) {
      const row = await db
        .selectFrom('reference_datasets')
        .selectAll()
        .where('version_id', '=', versionId)
        .executeTakeFirst();
      return row ? recordOf(row) : null;
    },
    async save(record) {
      const { profile } = record;
      const values = {
        model_id: record.modelId,
        version: record.version,
        digest: profile.datasetDigest,
        format: profile.format,
        size: record.size,
        rows: profile.rows,
        columns: JSON.stringify(profile.columns),
        profile: JSON.stringify(profile),
        set_by: record.setBy,
        set_by_name: record.setByName,
        set_at: record.setAt,
      };
      await db
        .insertInto('reference_datasets')
        .values({ version_id: record.versionId, ...values })
        .onConflict((oc) => oc.column('version_id').doUpdateSet(values))
        .execute();
    },
  };
}
