import { internalError } from '../../platform/errors.js';
import { assertSha256Digest, sameDigest } from '../manifest/index.js';
import { blobDigestMismatch, blobNotFound } from './artifact-errors.js';
import { blobKey } from './blob-objects.js';
import type { BlobStaging, StagedBlob, WriteOptions } from './blob-store.port.js';
import type { ObjectStore, PendingArea, PendingObject } from './object-store.port.js';

/** Writes one blob's bytes into the area as the store keeps them (plain, or sealed), hashing the plaintext. */
export type BlobWriter = (
  area: PendingArea,
  source: AsyncIterable<Uint8Array>,
  options: WriteOptions,
) => Promise<StagedBlob & { object: PendingObject }>;

/**
 * One upload's private pending area, shared by the plain and the encrypting store: blobs are written as
 * pending objects, checked against a declared digest, and only published by `commit`, which keeps an
 * already stored blob (dedup) and reports the ones it created.
 */
export async function createBlobStaging(objects: ObjectStore, writeBlob: BlobWriter): Promise<BlobStaging> {
  const area = await objects.createPending();
  const staged = new Map<string, PendingObject>();
  let closed = false;
  const ensureOpen = () => {
    if (closed) throw internalError();
  };

  return {
    async write(source, writeOptions) {
      ensureOpen();
      const expected = writeOptions.expectedDigest;
      if (expected !== undefined) assertSha256Digest(expected);
      const { object, digest, size } = await writeBlob(area, source, writeOptions);
      if ((expected !== undefined && !sameDigest(expected, digest)) || staged.has(digest)) {
        await object.discard();
        if (expected !== undefined && !sameDigest(expected, digest))
          throw blobDigestMismatch(expected, digest);
      } else {
        staged.set(digest, object);
      }
      return { digest, size };
    },

    async commit(digests) {
      ensureOpen();
      const wanted = digests ?? [...staged.keys()];
      for (const digest of wanted) if (!staged.has(assertSha256Digest(digest))) throw blobNotFound(digest);
      const created: string[] = [];
      try {
        // An already stored blob is kept as it is; the new copy goes with the area.
        for (const digest of new Set(wanted)) {
          if (await staged.get(digest)!.publish(blobKey(digest))) created.push(digest);
        }
      } finally {
        closed = true;
        await area.close();
      }
      return { created };
    },

    async discard() {
      closed = true;
      await area.close();
    },
  };
}
