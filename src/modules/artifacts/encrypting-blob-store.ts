import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { type KeyProvider, wrappedKeyInvalid } from '../keys/index.js';
import { sameDigest } from '../manifest/index.js';
import { blobIntegrity, blobNotFound } from './artifact-errors.js';
import { blobKey } from './blob-objects.js';
import { createBlobStaging } from './blob-staging.js';
import type { BlobStat, BlobStore } from './blob-store.port.js';
import {
  chunkCount,
  encryptedFileSize,
  HEADER_SIZE,
  MAGIC,
  openChunk,
  type ParsedHeader,
  parseHeader,
  TAG,
  wrapAad,
} from './envelope-format.js';
import { sealBlob } from './envelope-writer.js';
import type { ObjectReader, ObjectStore } from './object-store.port.js';

/** The header of the blob open in `reader`, checked to be the blob named `digest`; blob_integrity otherwise. */
export async function readBlobHeader(reader: ObjectReader, digest: string): Promise<ParsedHeader> {
  const buf = await reader.read(0, HEADER_SIZE);
  const header = buf.length === HEADER_SIZE ? parseHeader(buf) : null;
  if (!header || !sameDigest(digest, header.digest)) throw blobIntegrity(digest);
  return header;
}

/**
 * The data key of a blob, from its newest intact key slot that opens. A wrapped key that does not
 * authenticate means the header was altered or moved to another name: that is the blob's integrity
 * failing. An unknown or retired key-encryption key is reported as such (master_key_mismatch).
 */
export async function unwrapDataKey(
  keys: Pick<KeyProvider, 'unwrap'>,
  header: ParsedHeader,
  digest: string,
): Promise<{ dek: Buffer; slot: ParsedHeader['slots'][number] }> {
  let first: unknown = null;
  for (const slot of header.slots) {
    try {
      const dek = await keys.unwrap(slot.kekId, slot.wrapped, wrapAad(header.prefix));
      if (dek.length === 32) return { dek, slot };
      first ??= blobIntegrity(digest);
    } catch (err) {
      first ??= wrappedKeyInvalid.is(err) ? blobIntegrity(digest) : err;
    }
  }
  throw first;
}

/** Opens a stored blob's object; blob_not_found when absent. */
export async function openBlobObject(objects: ObjectStore, digest: string): Promise<ObjectReader> {
  const reader = await objects.get(blobKey(digest));
  if (!reader) throw blobNotFound(digest);
  return reader;
}

/**
 * A blob store that keeps every blob encrypted under its own data key (AES-256-GCM, 1 MiB authenticated
 * chunks, docs/encryption.md), the key wrapped by the key provider, over any ObjectStore: the backend
 * only ever sees ciphertext and moves bytes.
 */
export function createEncryptingBlobStore(
  objects: ObjectStore,
  keys: Pick<KeyProvider, 'wrap' | 'unwrap'>,
): BlobStore {
  /**
   * `rehash`: also hash the plaintext and withhold the final chunk until the digest matches. Downloads
   * leave it off (README: each chunk's tag, under a data key bound to the digest, already proves the
   * bytes are the ones hashed when stored); `verify` keeps it as the deliberate full check.
   */
  async function open(digest: string, rehash: boolean) {
    const reader = await openBlobObject(objects, digest);
    let header: ParsedHeader;
    let dek: Buffer;
    try {
      header = await readBlobHeader(reader, digest);
      dek = (await unwrapDataKey(keys, header, digest)).dek;
      // The size is authenticated by the unwrap, so an object of any other length was truncated or padded.
      if (reader.size !== encryptedFileSize(header.size, header.chunkSize)) {
        dek.fill(0);
        throw blobIntegrity(digest);
      }
    } catch (err) {
      await reader.close();
      throw err;
    }
    // The first chunk is authenticated before the caller gets the stream, so a damaged small blob is refused
    // before a response starts; every later chunk is checked before it is emitted.
    const chunks = decrypt(reader, header, dek, digest, rehash);
    const first = await chunks.next();
    return {
      size: header.size,
      stream: Readable.from(startingWith(first, chunks), { objectMode: false }),
    };
  }

  return {
    releasesOnlyVerifiedBytes: true,
    createStaging: () =>
      createBlobStaging(objects, (area, source, options) => sealBlob(area, source, options, keys)),
    openVerified: (digest) => open(digest, false),

    async stat(digest): Promise<BlobStat | null> {
      const reader = await objects.get(blobKey(digest));
      if (!reader) return null;
      try {
        return { digest, size: (await readBlobHeader(reader, digest)).size };
      } finally {
        await reader.close();
      }
    },

    async verify(digest) {
      const { size, stream } = await open(digest, true);
      for await (const _ of stream) {
        // Draining is the check: the stream errors instead of ending on a mismatch.
      }
      return { digest, size };
    },

    async delete(digest) {
      const key = blobKey(digest);
      // Overwriting the wrapped data key first is the crypto-shredding step: removing the name alone
      // leaves the key readable through any other name (a hard link, a backup of the folder). A backend
      // that cannot overwrite in place relies on its own deletion.
      if (objects.overwritesInPlace && objects.overwrite)
        await objects.overwrite(key, 0, Buffer.alloc(HEADER_SIZE));
      await objects.delete(key);
    },

    sweepStaging: () => objects.sweepPending(),
  };
}

/** `first` (already taken from `rest`), then the rest; ending early still closes `rest`. */
async function* startingWith(
  first: IteratorResult<Buffer>,
  rest: AsyncGenerator<Buffer>,
): AsyncGenerator<Buffer> {
  try {
    if (first.done) return;
    yield first.value;
    yield* rest;
  } finally {
    await rest.return(undefined);
  }
}

/**
 * Decrypts chunk by chunk; a chunk is emitted only after its tag checks. With `rehash`, the plaintext is
 * hashed too and the last chunk emitted only after the digest matches.
 */
async function* decrypt(
  reader: ObjectReader,
  header: ParsedHeader,
  dek: Buffer,
  digest: string,
  rehash: boolean,
): AsyncGenerator<Buffer> {
  const { chunkSize, size, salt } = header;
  const count = chunkCount(size, chunkSize);
  const hash = rehash ? createHash('sha256') : null;
  // Two sealed buffers, reused: one is read into (on libuv's pool) while the other is decrypted, which
  // makes a fresh plaintext buffer (the one handed on); nothing else is allocated per chunk. A read left
  // behind by an error is awaited by close(); its rejection is not unhandled.
  const sealedSize = Math.min(chunkSize, Math.max(size, 0)) + TAG;
  const buffers = [Buffer.allocUnsafe(sealedSize), Buffer.allocUnsafe(count > 1 ? sealedSize : 0)];
  const read = (index: number) => {
    const final = index === count - 1;
    const length = (final ? size - (count - 1) * chunkSize : chunkSize) + TAG;
    const got = reader
      .read(HEADER_SIZE + index * (chunkSize + TAG), length, buffers[index % 2])
      .then((sealed) => ({ sealed, length }));
    got.catch(() => {});
    return got;
  };
  try {
    let ahead = read(0);
    for (let index = 0; index < count; index++) {
      const final = index === count - 1;
      const { sealed, length } = await ahead;
      if (!final) ahead = read(index + 1);
      const plain = sealed.length === length ? openChunk(dek, salt, index, final, sealed) : null;
      if (!plain) throw blobIntegrity(digest);
      if (hash) {
        hash.update(plain);
        if (final && !sameDigest(digest, hash.digest('hex'))) throw blobIntegrity(digest);
      }
      yield plain;
    }
  } finally {
    dek.fill(0);
    await reader.close();
  }
}

/**
 * Whether any encrypted blob is stored, so a missing keyring must not be replaced. Blobs of the plain
 * store (no `WDNE` magic) do not count: no key was ever needed for them.
 */
export async function hasEncryptedBlobs(objects: ObjectStore): Promise<boolean> {
  for await (const key of objects.list('sha256/')) {
    const reader = await objects.get(key).catch(() => null);
    if (!reader) continue;
    try {
      if ((await reader.read(0, MAGIC.length)).equals(MAGIC)) return true;
    } catch {
      // An object that cannot be read is no evidence of a key.
    } finally {
      await reader.close();
    }
  }
  return false;
}
