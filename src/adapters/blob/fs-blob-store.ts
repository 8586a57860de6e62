import { createHash } from 'node:crypto';
import { type FileHandle, open, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline, Transform } from 'node:stream';
import {
  assertSha256Digest,
  type BlobStaging,
  type BlobStat,
  type BlobStore,
  blobIntegrity,
  blobNotFound,
  sameDigest,
} from '../../modules/artifacts/index.js';
import { CHUNK, errCode, streamToFile } from './fs-blob-files.js';
import { createStagingArea, sweepStagingAreas } from './staging-area.js';

export interface FsBlobStoreOptions {
  /** Directory that holds the store, e.g. `<dataDir>/blobs`. */
  root: string;
}

/** A blob store on a local filesystem: `root/sha256/ab/cdef…`, uploads staged under `root/.staging/`. */
export function createFsBlobStore(options: FsBlobStoreOptions): BlobStore {
  const stagingRoot = join(options.root, '.staging');
  const blobPath = (digest: string): string => {
    assertSha256Digest(digest);
    return join(options.root, 'sha256', digest.slice(0, 2), digest.slice(2));
  };

  const createStaging = (): Promise<BlobStaging> =>
    createStagingArea({ stagingRoot, blobPath, writeFile: streamToFile });

  async function openVerified(digest: string) {
    const file = blobPath(digest);
    let fh: FileHandle;
    try {
      fh = await open(file, 'r');
    } catch (err) {
      if (errCode(err) === 'ENOENT') throw blobNotFound(digest);
      throw err;
    }
    let size: number;
    try {
      size = (await fh.stat()).size;
    } catch (err) {
      await fh.close();
      throw err;
    }
    const hash = createHash('sha256');
    const check = new Transform({
      highWaterMark: CHUNK,
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        callback(null, chunk);
      },
      // Failing at flush means a consumer never sees 'end' for bytes that do not match their name.
      flush(callback) {
        callback(sameDigest(digest, hash.digest('hex')) ? null : blobIntegrity(digest));
      },
    });
    // pipeline forwards a read error to `check` and closes the file if the consumer stops early.
    pipeline(fh.createReadStream({ highWaterMark: CHUNK }), check, () => {});
    return { size, stream: check };
  }

  return {
    // A mismatch shows only once the whole blob has been read: downloads verify it first.
    releasesOnlyVerifiedBytes: false,
    createStaging,
    openVerified,

    async stat(digest): Promise<BlobStat | null> {
      try {
        const st = await stat(blobPath(digest));
        return st.isFile() ? { digest, size: st.size } : null;
      } catch (err) {
        if (errCode(err) === 'ENOENT') return null;
        throw err;
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
      await unlink(blobPath(digest)).catch((err: unknown) => {
        if (errCode(err) !== 'ENOENT') throw err;
      });
    },

    sweepStaging: () => sweepStagingAreas(stagingRoot),
  };
}
