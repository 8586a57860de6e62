import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { sameDigest } from '../manifest/index.js';
import { blobIntegrity, blobNotFound } from './artifact-errors.js';
import { blobKey, CHUNK, createUploadMeter } from './blob-objects.js';
import { type BlobWriter, createBlobStaging } from './blob-staging.js';
import type { BlobStat, BlobStore } from './blob-store.port.js';
import type { ObjectReader, ObjectStore } from './object-store.port.js';

/** Streams `source` into a new pending object as it is, hashing and counting; at most 1 MiB held. */
const writePlain: BlobWriter = async (area, source, options) => {
  const writer = await area.create();
  const meter = createUploadMeter(options);
  const pending = Buffer.allocUnsafe(CHUNK);
  let used = 0;
  try {
    for await (const piece of source) {
      const chunk = meter.take(piece);
      // Small network chunks are gathered into 1 MiB writes; large ones go straight through.
      if (used + chunk.length > CHUNK) {
        await writer.append([pending.subarray(0, used)]);
        used = 0;
      }
      if (chunk.length >= CHUNK) await writer.append([chunk]);
      else {
        chunk.copy(pending, used);
        used += chunk.length;
      }
    }
    if (used > 0) await writer.append([pending.subarray(0, used)]);
    return { object: await writer.finish(), digest: meter.digest(), size: meter.size };
  } catch (err) {
    await writer.abort();
    throw err;
  }
};

/** The bytes in 1 MiB reads, one read ahead; fails with blob_integrity instead of ending on a mismatch. */
async function* readChecked(reader: ObjectReader, digest: string): AsyncGenerator<Buffer> {
  const hash = createHash('sha256');
  const read = (at: number) => {
    const got = reader.read(at, Math.min(CHUNK, reader.size - at));
    got.catch(() => {});
    return got;
  };
  try {
    let at = 0;
    let ahead = reader.size > 0 ? read(0) : null;
    while (ahead) {
      const piece = await ahead;
      at += piece.length;
      ahead = piece.length > 0 && at < reader.size ? read(at) : null;
      hash.update(piece);
      if (piece.length > 0) yield piece;
    }
    // Failing at the end means a consumer never sees the end of bytes that do not match their name.
    if (!sameDigest(digest, hash.digest('hex'))) throw blobIntegrity(digest);
  } finally {
    await reader.close();
  }
}

/**
 * A blob store that keeps blobs as they are over any ObjectStore: for tests and tools that need the
 * layout without keys. The server always uses the encrypting store.
 */
export function createPlainBlobStore(objects: ObjectStore): BlobStore {
  async function openVerified(digest: string) {
    const reader = await objects.get(blobKey(digest));
    if (!reader) throw blobNotFound(digest);
    return { size: reader.size, stream: Readable.from(readChecked(reader, digest), { objectMode: false }) };
  }
  return {
    // A mismatch shows only once the whole blob has been read: downloads verify it first.
    releasesOnlyVerifiedBytes: false,
    createStaging: () => createBlobStaging(objects, writePlain),
    openVerified,
    async stat(digest): Promise<BlobStat | null> {
      const reader = await objects.get(blobKey(digest));
      if (!reader) return null;
      await reader.close();
      return { digest, size: reader.size };
    },
    async verify(digest) {
      const { size, stream } = await openVerified(digest);
      for await (const _ of stream) {
        // Draining is the check: the stream errors instead of ending on a mismatch.
      }
      return { digest, size };
    },
    async delete(digest) {
      await objects.delete(blobKey(digest));
    },
    sweepStaging: () => objects.sweepPending(),
  };
}
