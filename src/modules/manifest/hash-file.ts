import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { modelSpecialFile, modelSymlink } from './manifest-errors.js';

const CHUNK = 1024 * 1024;
// O_NOFOLLOW: a file swapped for a symlink after it was listed is refused, not followed.
// O_NONBLOCK: a file swapped for a FIFO does not hang the open; regular files ignore the flag.
const FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

export interface FileDigest {
  /** SHA-256, lowercase hex. */
  digest: string;
  size: number;
}

/** Streams a regular file through SHA-256 in 1 MiB reads; `onProgress` gets the bytes read so far. */
export async function sha256File(
  path: string,
  onProgress?: (bytesDone: number) => void,
): Promise<FileDigest> {
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(path, FLAGS);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw modelSymlink(path);
    throw err;
  }
  try {
    if (!(await fh.stat()).isFile()) throw modelSpecialFile(path);
    const hash = createHash('sha256');
    // One buffer for the whole file: update() consumes it synchronously before the next read.
    const buffer = Buffer.allocUnsafe(CHUNK);
    let size = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buffer, 0, CHUNK, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      size += bytesRead;
      onProgress?.(size);
    }
    return { digest: hash.digest('hex'), size };
  } finally {
    await fh.close();
  }
}
