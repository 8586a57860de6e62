/**
 * One row per stored blob, locked by whoever is about to rely on it (a publishing push) or destroy it (the
 * collector). The registry's store implements it, since only the registry knows which versions name a blob.
 */
export interface BlobBookkeeping {
  /** How many files of live (not deleted) versions name this blob, in any model. */
  countLiveBlobReferences(digest: string): Promise<number>;
  /**
   * Every blob a version holds: its files and what is attached to it (a reference dataset). Deleting the
   * version asks the collector about each of them.
   */
  listVersionBlobs(versionId: string): Promise<string[]>;
  /** Records that a version about to be published relies on these blobs, cancelling any pending collection (locks their rows). */
  claimBlobs(digests: string[]): Promise<void>;
  /** Marks blobs that may have lost their last live reference, for the collector. */
  requestBlobCollection(digests: string[], at: string): Promise<void>;
  /** Locks one blob's row (where the backend has row locks); null when no row exists. */
  lockBlob(digest: string): Promise<{ collectRequestedAt: string | null } | null>;
  /** Ends a collection: `destroyed` forgets the row, `kept` clears the request. */
  settleBlob(digest: string, outcome: 'destroyed' | 'kept'): Promise<void>;
  listBlobsAwaitingCollection(limit: number): Promise<string[]>;
}

/**
 * The transaction the collector runs each decision in. The bookkeeping sits under `registry` because the
 * registry's store provides it, on the same transaction as the version rows it counts.
 */
export interface CollectorUnitOfWork {
  run<T>(work: (stores: { registry: BlobBookkeeping }) => Promise<T>): Promise<T>;
}
