/**
 * A plain store of opaque bytes under string keys: what a backend (a folder, S3) has to provide, nothing
 * more. Digests, verification and envelope encryption are artifacts' job, layered over this port
 * (createEncryptingBlobStore), so a new backend only moves bytes.
 *
 * Keys are `/`-separated segments of `[a-z0-9]` (e.g. `sha256/ab/cdef…`); a backend refuses anything else.
 */
export interface ObjectStore {
  /**
   * True when `overwrite` changes bytes of a stored object in place, durably, visible through every name
   * the backend keeps for it (a folder's hard links). Key rotation and crypto-shredding use it when
   * present; a store without it is rewritten (`replace`) and deleted instead.
   */
  readonly overwritesInPlace: boolean;
  /** A private area for one upload's objects: nothing written there is visible until published. */
  createPending(): Promise<PendingArea>;
  /** Removes every pending area a crash left behind (called at start-up); returns how many. */
  sweepPending(): Promise<number>;
  /** Opens the object for ranged reads; null when absent (or not a plain object). */
  get(key: string): Promise<ObjectReader | null>;
  /** Every key that starts with `prefix`, sorted. */
  list(prefix: string): AsyncIterable<string>;
  /** Removes the key; removing an absent key is not an error. */
  delete(key: string): Promise<void>;
  /**
   * Writes `bytes` over the object at `offset`, in place, and flushes; false when the key is absent. Only
   * when `overwritesInPlace`.
   */
  overwrite?(key: string, offset: number, bytes: Buffer): Promise<boolean>;
}

export interface PendingArea {
  /**
   * Starts a new object. Its first `reserve` bytes are left for `finish` to fill (a header that depends
   * on everything after it); `append` writes from there on.
   */
  create(options?: { reserve?: number }): Promise<ObjectWriter>;
  /** Forgets the area and every object in it not yet published. */
  close(): Promise<void>;
}

export interface ObjectWriter {
  /**
   * Appends the pieces back to back, after the pieces of every earlier call (positions are taken in call
   * order, so a caller may start the next append before the previous one resolves). The pieces must stay
   * untouched until the call resolves.
   */
  append(pieces: readonly Buffer[]): Promise<void>;
  /** Fills the reserved prefix (exactly `reserve` bytes) and makes the bytes durable. */
  finish(prefix?: Buffer): Promise<PendingObject>;
  /** Drops what was written. */
  abort(): Promise<void>;
}

export interface PendingObject {
  readonly size: number;
  /**
   * Makes the object visible under `key` atomically, durable when this returns. Without `replace` an
   * existing key is kept and false returned (of two racing publishers exactly one gets true).
   */
  publish(key: string, options?: { replace?: boolean }): Promise<boolean>;
  discard(): Promise<void>;
}

export interface ObjectReader {
  readonly size: number;
  /**
   * Up to `length` bytes from `offset` (fewer only where the object ends), in a buffer of its own, or, with
   * `into` (at least `length` bytes), in a view of `into`: a reader that reuses its buffers makes no garbage
   * per read.
   */
  read(offset: number, length: number, into?: Buffer): Promise<Buffer>;
  close(): Promise<void>;
}
