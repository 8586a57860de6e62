// How blobs are laid out over an ObjectStore: one object per digest, `sha256/ab/cdef…`, as the folder
// layout of every data directory since the first release.
import { createHash } from 'node:crypto';
import { assertSha256Digest, isSha256Digest } from '../manifest/index.js';
import { blobTooLarge } from './artifact-errors.js';
import type { WriteOptions } from './blob-store.port.js';
import type { ObjectStore } from './object-store.port.js';

/** The object key of a blob; refuses anything that is not a lowercase SHA-256 digest first. */
export const blobKey = (digest: string): string => {
  assertSha256Digest(digest);
  return `sha256/${digest.slice(0, 2)}/${digest.slice(2)}`;
};

/** Every stored blob's digest, sorted; keys that do not name a blob are skipped. */
export async function* storedDigests(objects: ObjectStore): AsyncGenerator<string> {
  for await (const key of objects.list('sha256/')) {
    const parts = key.split('/');
    if (parts.length !== 3 || parts[1]!.length !== 2) continue;
    const digest = parts[1]! + parts[2]!;
    if (isSha256Digest(digest)) yield digest;
  }
}

/** The system error code (`ENOENT`…) of an error from a backend, if it has one. */
export function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
}

/** Copies an incoming piece into a Buffer view without copying its bytes. */
export const asBuffer = (piece: Uint8Array): Buffer =>
  Buffer.isBuffer(piece) ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);

/** 1 MiB: the unit of every write and read, and the plaintext size of an encrypted chunk. */
export const CHUNK = 1024 * 1024;

/**
 * What every upload does to each incoming piece, whatever the store does with the bytes next: count it
 * against the size limit (refused before it is hashed), hash it, and show it to `onChunk` (the scanners).
 */
export function createUploadMeter(options: Pick<WriteOptions, 'maxBytes' | 'onChunk'>) {
  const hash = createHash('sha256');
  let size = 0;
  return {
    take(piece: Uint8Array): Buffer {
      const chunk = asBuffer(piece);
      size += chunk.length;
      if (size > options.maxBytes) throw blobTooLarge(options.maxBytes);
      hash.update(chunk);
      options.onChunk?.(chunk);
      return chunk;
    },
    get size(): number {
      return size;
    },
    digest: (): string => hash.digest('hex'),
  };
}
