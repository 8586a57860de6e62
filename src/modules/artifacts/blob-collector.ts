import type { Logger } from '../../platform/logger.js';
import type { CollectorUnitOfWork } from './blob-bookkeeping.port.js';
import type { BlobStore } from './blob-store.port.js';

export interface CollectionResult {
  /** Blobs destroyed: their wrapped data key overwritten, then the file removed. */
  destroyed: string[];
  /** Blobs kept because a live version still names them (or a push claimed them meanwhile). */
  kept: string[];
  /** Blobs whose collection failed; they stay marked and are retried at the next start. */
  failed: string[];
}

export interface BlobCollector {
  /** Destroys each of these blobs unless a live version still names it. */
  collect(digests: readonly string[]): Promise<CollectionResult>;
  /** Marks blobs for collection (their own transaction), then collects them. */
  release(digests: readonly string[], at: string): Promise<CollectionResult>;
  /** Finishes every collection left pending, e.g. by a crash between a deletion and its clean-up. */
  collectPending(): Promise<CollectionResult>;
}

/**
 * Destroys blobs that lost their last live reference. Each decision is taken on the blob's locked row, the
 * same row a push claims before publishing a version that relies on the blob, so a blob is never destroyed
 * under a version being published, in this process or another.
 */
export function createBlobCollector(deps: {
  uow: CollectorUnitOfWork;
  blobs: BlobStore;
  logger: Logger;
}): BlobCollector {
  const { uow, blobs, logger } = deps;

  const collectOne = (digest: string): Promise<'destroyed' | 'kept'> =>
    uow.run(async ({ registry }) => {
      const row = await registry.lockBlob(digest);
      // No row: already collected. A cleared request: a push claimed the blob after the request was made.
      if (!row || row.collectRequestedAt === null) return 'kept';
      if ((await registry.countLiveBlobReferences(digest)) > 0) {
        await registry.settleBlob(digest, 'kept');
        return 'kept';
      }
      // Destroyed before the row goes: if the transaction then fails, the request stays and a retry finds
      // nothing left to destroy.
      await blobs.delete(digest);
      await registry.settleBlob(digest, 'destroyed');
      return 'destroyed';
    });

  const collect = async (digests: readonly string[]): Promise<CollectionResult> => {
    const result: CollectionResult = { destroyed: [], kept: [], failed: [] };
    for (const digest of [...new Set(digests)].sort()) {
      try {
        result[await collectOne(digest)].push(digest);
      } catch (err) {
        result.failed.push(digest);
        logger.error(
          { err, event: 'blob.collect_failed', digest },
          'blob collection failed; retried at next start',
        );
      }
    }
    if (result.destroyed.length > 0) {
      logger.info({ event: 'blobs.destroyed', count: result.destroyed.length }, 'blobs destroyed');
    }
    return result;
  };

  return {
    collect,

    async release(digests, at) {
      if (digests.length === 0) return { destroyed: [], kept: [], failed: [] };
      await uow.run(({ registry }) => registry.requestBlobCollection([...digests], at));
      return collect(digests);
    },

    async collectPending() {
      const total: CollectionResult = { destroyed: [], kept: [], failed: [] };
      const failed = new Set<string>();
      for (;;) {
        const batch = (await uow.run(({ registry }) => registry.listBlobsAwaitingCollection(500))).filter(
          (d) => !failed.has(d),
        );
        if (batch.length === 0) return total;
        const result = await collect(batch);
        total.destroyed.push(...result.destroyed);
        total.kept.push(...result.kept);
        total.failed.push(...result.failed);
        for (const d of result.failed) failed.add(d);
      }
    },
  };
}
