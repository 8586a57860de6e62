/** One key-encryption key (KEK) as the provider reports it; never its material. */
export interface KekInfo {
  id: string;
  createdAt: string;
  current: boolean;
  retired: boolean;
}

/**
 * Wraps and unwraps per-blob data keys (DEKs) with key-encryption keys that never leave the provider. `aad`
 * binds a wrapped key to what it protects: unwrapping with any other `aad` fails.
 */
export interface KeyProvider {
  /** The id of the KEK that `wrap` uses now. */
  currentKekId(): string;
  wrap(dek: Buffer, aad: Buffer): Promise<{ kekId: string; wrapped: Buffer }>;
  /** Throws master_key_mismatch when the KEK is unknown or retired, wrapped_key_invalid when authentication fails. */
  unwrap(kekId: string, wrapped: Buffer, aad: Buffer): Promise<Buffer>;
  /** Makes a new KEK current; older ones still unwrap until retired. */
  rotate(): Promise<{ kekId: string }>;
  /** Destroys a KEK that is not current; whatever it alone wraps can no longer be read. */
  retire(kekId: string): Promise<void>;
  listKeks(): Promise<KekInfo[]>;
}
