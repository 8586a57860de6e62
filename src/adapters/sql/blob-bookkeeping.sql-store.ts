import type { Kysely } from 'kysely';
import type { RegistryStore } from '../../modules/registry/registry.ports.js';
import type { Database } from './database.js';
import type { SqlCapabilities } from './db.js';
import type { ReferenceTables } from './reference.sql-store.js';

type BlobBookkeeping = Pick<
  RegistryStore,
  | 'countLiveBlobReferences'
  | 'listVersionBlobs'
  | 'claimBlobs'
  | 'requestBlobCollection'
  | 'lockBlob'
  | 'settleBlob'
  | 'listBlobsAwaitingCollection'
>;

/**
 * The registry store's blob bookkeeping: which blobs live versions still name, and the one row per blob
 * that a publishing push and the collector both lock before relying on, or destroying, its bytes.
 */
export function createBlobBookkeepingSql(
  db: Kysely<Database>,
  capabilities: SqlCapabilities,
): BlobBookkeeping {
  return {
    async countLiveBlobReferences(digest) {
      const row = await db
        .selectFrom('version_files')
        .innerJoin('versions', 'versions.id', 'version_files.version_id')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('version_files.digest', '=', digest)
        .where('versions.deleted_at', 'is', null)
        .executeTakeFirst();
      // A live version's reference dataset (monitoring) is a reference to its blob too.
      const refs = await db
        .withTables<ReferenceTables>()
        .selectFrom('reference_datasets')
        .innerJoin('versions', 'versions.id', 'reference_datasets.version_id')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('reference_datasets.digest', '=', digest)
        .where('versions.deleted_at', 'is', null)
        .executeTakeFirst();
      return Number(row?.n ?? 0) + Number(refs?.n ?? 0);
    },

    async listVersionBlobs(versionId) {
      const files = await db
        .selectFrom('version_files')
        .select('digest')
        .where('version_id', '=', versionId)
        .execute();
      const references = await db
        .withTables<ReferenceTables>()
        .selectFrom('reference_datasets')
        .select('digest')
        .where('version_id', '=', versionId)
        .execute();
      return [...new Set([...files, ...references].map((r) => r.digest))].sort();
    },

    async claimBlobs(digests) {
      // In one order, so two claimers never wait on each other crosswise; the no-op update takes the row lock.
      for (const digest of [...new Set(digests)].sort()) {
        await db
          .insertInto('blobs')
          .values({ digest, collect_requested_at: null })
          .onConflict((oc) => oc.column('digest').doUpdateSet({ collect_requested_at: null }))
          .execute();
      }
    },

    async requestBlobCollection(digests, at) {
      for (const digest of [...new Set(digests)].sort()) {
        await db
          .insertInto('blobs')
          .values({ digest, collect_requested_at: at })
          .onConflict((oc) => oc.column('digest').doUpdateSet({ collect_requested_at: at }))
          .execute();
      }
    },

    async lockBlob(digest) {
      let q = db.selectFrom('blobs').select('collect_requested_at').where('digest', '=', digest);
      if (capabilities.rowLocks) q = q.forUpdate();
      const row = await q.executeTakeFirst();
      return row ? { collectRequestedAt: row.collect_requested_at } : null;
    },

    async settleBlob(digest, outcome) {
      if (outcome === 'destroyed') {
        await db.deleteFrom('blobs').where('digest', '=', digest).execute();
      } else {
        await db
          .updateTable('blobs')
          .set({ collect_requested_at: null })
          .where('digest', '=', digest)
          .execute();
      }
    },

    async listBlobsAwaitingCollection(limit) {
      const rows = await db
        .selectFrom('blobs')
        .select('digest')
        .where('collect_requested_at', 'is not', null)
        .orderBy('digest')
        .limit(limit)
        .execute();
      return rows.map((r) => r.digest);
    },
  };
}
