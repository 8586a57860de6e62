import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { modelSpecialFile, modelSymlink } from './manifest-errors.js';

// 4 MiB reads, two buffers: the next read runs on libuv's thread pool (the other core) while this
// thread hashes the previous chunk, so a file hashes at SHA-256 speed rather than read + hash in turn.
const CHUNK = 4 * 1024 * 1024;
// O_NOFOLLOW: a file swapped for a symlink after it was listed is refused, not followed.
// O_NONBLOCK: a file swapped for a FIFO does not hang the open; regular files ignore the flag.
const FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

export interface FileDigest {
  /** SHA-256, lowercase hex. */
  digest: string;
  size: number;
}

/** Streams a regular file through SHA-256 in 4 MiB reads, reading ahead one chunk; `onProgress` gets the bytes read so far. */
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
    const buffers: Buffer[] = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
    let size = 0;
    let current = 0;
    let pending = fh.read(buffers[0] as Buffer, 0, CHUNK, 0);
    for (;;) {
      const { bytesRead } = await pending;
      if (bytesRead === 0) break;
      const filled = buffers[current] as Buffer;
      size += bytesRead;
      current ^= 1;
      // Explicit positions: the read ahead must not depend on a shared file offset.
      pending = fh.read(buffers[current] as Buffer, 0, CHUNK, size);
      hash.update(filled.subarray(0, bytesRead));
      onProgress?.(size);
    }
    return { digest: hash.digest('hex'), size };
  } finally {
    await fh.close();
  }
}
