import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  assertSha256Digest,
  type BlobStaging,
  blobDigestMismatch,
  blobNotFound,
  type StagedBlob,
  sameDigest,
  type WriteOptions,
} from '../../modules/artifacts/index.js';
import { internalError } from '../../platform/errors.js';
import { DIR_MODE, errCode, place } from './fs-blob-files.js';

export interface StagingAreaOptions {
  /** `<root>/.staging`: one private folder per upload lives here. */
  stagingRoot: string;
  /** Where a committed blob lives (validates the digest). */
  blobPath(digest: string): string;
  /** Writes one blob's bytes to `temp` as this store keeps them (plain, or encrypted), hashing the plaintext. */
  writeFile(source: AsyncIterable<Uint8Array>, temp: string, options: WriteOptions): Promise<StagedBlob>;
}

/**
 * One upload's private staging folder, shared by the plaintext and the encrypted store: blobs are written
 * under temporary names, checked against a declared digest, and only linked into place by `commit`, which
 * keeps an already stored blob (dedup) and reports the ones it created.
 */
export async function createStagingArea(options: StagingAreaOptions): Promise<BlobStaging> {
  const dir = join(options.stagingRoot, randomUUID());
  await mkdir(dir, { recursive: true, mode: DIR_MODE });
  const staged = new Map<string, string>();
  let closed = false;
  const ensureOpen = () => {
    if (closed) throw internalError();
  };

  return {
    async write(source, writeOptions) {
      ensureOpen();
      const expected = writeOptions.expectedDigest;
      if (expected !== undefined) assertSha256Digest(expected);
      const temp = join(dir, `${randomUUID()}.part`);
      let kept = false;
      try {
        const blob = await options.writeFile(source, temp, writeOptions);
        if (expected !== undefined && !sameDigest(expected, blob.digest)) {
          throw blobDigestMismatch(expected, blob.digest);
        }
        if (!staged.has(blob.digest)) {
          staged.set(blob.digest, temp);
          kept = true;
        }
        return blob;
      } finally {
        if (!kept) await rm(temp, { force: true });
      }
    },

    async commit(digests) {
      ensureOpen();
      const wanted = digests ?? [...staged.keys()];
      for (const digest of wanted) if (!staged.has(assertSha256Digest(digest))) throw blobNotFound(digest);
      const created: string[] = [];
      try {
        // An already stored blob is kept as it is; the new copy goes with the staging folder.
        for (const digest of new Set(wanted)) {
          if (await place(staged.get(digest)!, options.blobPath(digest))) created.push(digest);
        }
      } finally {
        closed = true;
        await rm(dir, { recursive: true, force: true });
      }
      return { created };
    },

    async discard() {
      closed = true;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Removes every staging folder under `stagingRoot` (uploads a crash left behind); returns how many. */
export async function sweepStagingAreas(stagingRoot: string): Promise<number> {
  let entries: string[];
  try {
    entries = await readdir(stagingRoot);
  } catch (err) {
    if (errCode(err) === 'ENOENT') return 0;
    throw err;
  }
  for (const entry of entries) await rm(join(stagingRoot, entry), { recursive: true, force: true });
  return entries.length;
}
