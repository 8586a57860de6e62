import { createHash } from 'node:crypto';
import { type FileHandle, open, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
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
} from '../../modules/artifacts/envelope-format.js';
import {
  assertSha256Digest,
  type BlobStaging,
  type BlobStat,
  type BlobStore,
  blobIntegrity,
  blobNotFound,
  sameDigest,
} from '../../modules/artifacts/index.js';
import { type KeyProvider, wrappedKeyInvalid } from '../../modules/keys/index.js';
import { encryptToFile } from './encrypted-blob-writer.js';
import { errCode, readFully } from './fs-blob-files.js';
import { createStagingArea, sweepStagingAreas } from './staging-area.js';

export interface EncryptedFsBlobStoreOptions {
  /** Directory that holds the store, e.g. `<dataDir>/blobs`. */
  root: string;
  keys: Pick<KeyProvider, 'wrap' | 'unwrap'>;
}

/** Where a blob lives under `root`: `sha256/ab/cdef…`, as in the plaintext store. */
export const encryptedBlobPath = (root: string, digest: string): string => {
  assertSha256Digest(digest);
  return join(root, 'sha256', digest.slice(0, 2), digest.slice(2));
};

/** The header of the blob open in `fh`, checked to be the blob named `digest`; blob_integrity otherwise. */
export async function readBlobHeader(fh: FileHandle, digest: string): Promise<ParsedHeader> {
  const buf = Buffer.alloc(HEADER_SIZE);
  const header = (await readFully(fh, buf, 0)) === HEADER_SIZE ? parseHeader(buf) : null;
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

async function openBlob(root: string, digest: string, mode: 'r' | 'r+' = 'r'): Promise<FileHandle> {
  try {
    return await open(encryptedBlobPath(root, digest), mode);
  } catch (err) {
    if (errCode(err) === 'ENOENT') throw blobNotFound(digest);
    throw err;
  }
}

/**
 * A blob store that keeps every blob encrypted under its own data key (AES-256-GCM, 1 MiB authenticated
 * chunks), the key wrapped by the key provider. Same layout and staging rules as the plaintext fs store.
 */
export function createEncryptedFsBlobStore(options: EncryptedFsBlobStoreOptions): BlobStore {
  const { root, keys } = options;
  const stagingRoot = join(root, '.staging');
  const blobPath = (digest: string) => encryptedBlobPath(root, digest);

  const createStaging = (): Promise<BlobStaging> =>
    createStagingArea({
      stagingRoot,
      blobPath,
      writeFile: (source, temp, writeOptions) => encryptToFile(source, temp, writeOptions, keys),
    });

  async function openVerified(digest: string) {
    const fh = await openBlob(root, digest);
    let header: ParsedHeader;
    let dek: Buffer;
    try {
      header = await readBlobHeader(fh, digest);
      dek = (await unwrapDataKey(keys, header, digest)).dek;
      // The size is authenticated by the unwrap, so a file of any other length was truncated or padded.
      if ((await fh.stat()).size !== encryptedFileSize(header.size, header.chunkSize)) {
        dek.fill(0);
        throw blobIntegrity(digest);
      }
    } catch (err) {
      await fh.close();
      throw err;
    }
    // The first chunk is authenticated before the caller gets the stream, so a damaged small blob is refused
    // before a response starts; every later chunk is checked before it is emitted.
    const chunks = decrypt(fh, header, dek, digest);
    const first = await chunks.next();
    return {
      size: header.size,
      stream: Readable.from(startingWith(first, chunks), { objectMode: false }),
    };
  }

  return {
    releasesOnlyVerifiedBytes: true,
    createStaging,
    openVerified,

    async stat(digest): Promise<BlobStat | null> {
      let fh: FileHandle;
      try {
        fh = await openBlob(root, digest);
      } catch (err) {
        if (blobNotFound.is(err)) return null;
        throw err;
      }
      try {
        return { digest, size: (await readBlobHeader(fh, digest)).size };
      } finally {
        await fh.close();
      }
    },

    async verify(digest) {
      const { size, stream } = await openVerified(digest);
      for await (const _ of stream) {
        // Draining is the check: the stream errors instead of ending on a mismatch.
      }
      return { digest, size };
    },

    async delete(digest) {
      const file = blobPath(digest);
      // Overwriting the wrapped data key first is the crypto-shredding step; unlinking alone leaves it on disk.
      try {
        const fh = await open(file, 'r+');
        try {
          await fh.write(Buffer.alloc(HEADER_SIZE), 0, HEADER_SIZE, 0);
          await fh.sync();
        } finally {
          await fh.close();
        }
        await unlink(file);
      } catch (err) {
        if (errCode(err) !== 'ENOENT') throw err;
      }
    },

    sweepStaging: () => sweepStagingAreas(stagingRoot),
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

/** Decrypts chunk by chunk; a chunk is emitted only after its tag checks, the last only after the digest does. */
async function* decrypt(
  fh: FileHandle,
  header: ParsedHeader,
  dek: Buffer,
  digest: string,
): AsyncGenerator<Buffer> {
  const { chunkSize, size, salt } = header;
  const count = chunkCount(size, chunkSize);
  const hash = createHash('sha256');
  // One chunk is read ahead (on libuv's pool) while this one is decrypted, hashed and sent: two chunks in
  // memory at most. A read left behind by an error is awaited by close(); its rejection is not unhandled.
  const read = (index: number) => {
    const final = index === count - 1;
    const sealed = Buffer.allocUnsafe((final ? size - (count - 1) * chunkSize : chunkSize) + TAG);
    const got = readFully(fh, sealed, HEADER_SIZE + index * (chunkSize + TAG)).then((n) => ({ sealed, n }));
    got.catch(() => {});
    return got;
  };
  try {
    let ahead = read(0);
    for (let index = 0; index < count; index++) {
      const final = index === count - 1;
      const { sealed, n } = await ahead;
      if (!final) ahead = read(index + 1);
      const plain = n === sealed.length ? openChunk(dek, salt, index, final, sealed) : null;
      if (!plain) throw blobIntegrity(digest);
      hash.update(plain);
      if (final && !sameDigest(digest, hash.digest('hex'))) throw blobIntegrity(digest);
      yield plain;
    }
  } finally {
    dek.fill(0);
    await fh.close();
  }
}

/**
 * Whether any encrypted blob is stored under `root`, so a missing keyring must not be replaced. Blobs of
 * the plaintext store (no `WDNE` magic) do not count: no key was ever needed for them.
 */
export async function hasStoredBlobs(root: string): Promise<boolean> {
  let fanOut: string[];
  try {
    fanOut = await readdir(join(root, 'sha256'));
  } catch (err) {
    if (errCode(err) === 'ENOENT') return false;
    throw err;
  }
  const magic = Buffer.alloc(MAGIC.length);
  for (const dir of fanOut) {
    const names = await readdir(join(root, 'sha256', dir)).catch(() => [] as string[]);
    for (const name of names) {
      const fh = await open(join(root, 'sha256', dir, name), 'r').catch(() => null);
      if (!fh) continue;
      try {
        // A directory under a blob's name opens on POSIX but cannot be read; it is no blob.
        if (!(await fh.stat()).isFile()) continue;
        if ((await readFully(fh, magic, 0)) === MAGIC.length && magic.equals(MAGIC)) return true;
      } finally {
        await fh.close();
      }
    }
  }
  return false;
}
