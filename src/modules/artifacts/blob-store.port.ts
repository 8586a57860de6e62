export interface BlobStat {
  digest: string;
  size: number;
}
export interface StagedBlob {
  digest: string;
  size: number;
}
export interface WriteOptions {
  maxBytes: number;
  expectedDigest?: string;
  onChunk?(chunk: Buffer): void;
}
/** A private area for one upload: blobs written here are invisible until committed. */
export interface BlobStaging {
  write(source: AsyncIterable<Uint8Array>, options: WriteOptions): Promise<StagedBlob>;
  /** Moves staged blobs into the store; returns the digests that were not already stored (for clean-up if the caller's transaction fails). */
  commit(digests?: string[]): Promise<{ created: string[] }>;
  discard(): Promise<void>;
}
export interface BlobStore {
  /**
   * True when openVerified releases only bytes already authenticated (each chunk checked before it is
   * emitted, by a tag under a data key bound to the digest) and checks the first chunk before it returns,
   * so a download needs no separate verification pass. False when a mismatch shows only at the end.
   */
  readonly releasesOnlyVerifiedBytes: boolean;
  createStaging(): Promise<BlobStaging>;
  stat(digest: string): Promise<BlobStat | null>;
  /**
   * A stream that verifies as it reads (re-hashing, or per-chunk authentication where
   * releasesOnlyVerifiedBytes) and fails with blob_integrity instead of ending if the bytes no longer match.
   */
  openVerified(
    digest: string,
  ): Promise<{ size: number; stream: NodeJS.ReadableStream & AsyncIterable<Buffer> }>;
  /** Re-hashes the whole blob; throws blob_integrity on mismatch. */
  verify(digest: string): Promise<BlobStat>;
  delete(digest: string): Promise<void>;
  /** Removes staging areas left behind by a crash (called at start-up). */
  sweepStaging(): Promise<number>;
}
