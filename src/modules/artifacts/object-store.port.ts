/**
 * A plain store of opaque bytes under string keys: what a backend (a folder, S3) has to provide, nothing
 * more. Digests, verification and envelope encryption are artifacts' job, layered over this port, so a
 * new backend only moves bytes.
 */
export interface ObjectStore {
  /** Stores the bytes under `key`, replacing nothing: false when the key already exists. */
  put(key: string, source: AsyncIterable<Uint8Array>): Promise<boolean>;
  /** The bytes under `key` (from `offset`, `length` of them when given); null when absent. */
  get(
    key: string,
    range?: { offset: number; length?: number },
  ): Promise<(AsyncIterable<Buffer> & { size: number }) | null>;
  /** Every key that starts with `prefix`. */
  list(prefix: string): AsyncIterable<string>;
  /** Removes the key; removing an absent key is not an error. */
  delete(key: string): Promise<void>;
}
