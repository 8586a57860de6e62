import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { FileDigest } from './hash-file.js';
import { modelSpecialFile, modelSymlink } from './manifest-errors.js';

// Why synchronous reads on the hashing thread (measured on the 2-core VM, 512 MiB from the page cache,
// bench/README.md "Digest, round 3"): a `readSync` into one small reused buffer, then `hash.update`, hashes at
// openssl's speed (SHA-256 0.29-0.30 s of CPU), because the hash reads bytes the kernel has just copied
// into this core's cache. Reading ahead on libuv's pool (4 MiB buffers, another core) made the hash read
// cold memory and cost 0.1 s more CPU; a reader thread filling a shared ring cost more still. 256 KiB:
// 64 KiB to 1 MiB measured the same; this stays well inside L2 with room for the hash state.
const CHUNK = 256 * 1024;
// Hand the event loop a turn every 32 MiB (about 20 ms of hashing): progress bars and worker messages
// keep flowing, at no measurable cost.
const YIELD_EVERY = 32 * 1024 * 1024;
// O_NOFOLLOW: a file swapped for a symlink after it was listed is refused, not followed.
// O_NONBLOCK: a file swapped for a FIFO does not hang the open; regular files ignore the flag.
const FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

export interface HashFileHereOptions {
  /** Node hash name (default sha256). */
  algorithm?: string;
  /** First byte (default 0). */
  start?: number;
  /** End of the range, exclusive; -1 (the default) means to the end of the file. */
  end?: number;
  /** Called after every read with the bytes hashed so far. */
  onProgress?(bytesDone: number): void;
  /** Checked after every read: true stops the hash early (its result is then meaningless). */
  stopped?(): boolean;
}

/**
 * Hashes a regular file, or a byte range of it, on this thread with synchronous reads. It blocks the event
 * loop for up to ~20 ms at a time, so it is for a command-line process with nothing else to do, not for a
 * server (which uses `sha256File`). Returns the bytes hashed: fewer than asked when the file is shorter.
 */
export async function hashFileHere(path: string, options: HashFileHereOptions = {}): Promise<FileDigest> {
  let fd: number;
  try {
    fd = openSync(path, FLAGS);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw modelSymlink(path);
    throw err;
  }
  try {
    if (!fstatSync(fd).isFile()) throw modelSpecialFile(path);
    const hash = createHash(options.algorithm ?? 'sha256');
    const buffer = Buffer.allocUnsafe(CHUNK);
    const start = options.start ?? 0;
    const end = options.end === undefined || options.end < 0 ? Number.POSITIVE_INFINITY : options.end;
    let pos = start;
    let nextYield = start + YIELD_EVERY;
    while (pos < end) {
      const n = readSync(fd, buffer, 0, Math.min(CHUNK, end - pos), pos);
      if (n === 0) break;
      pos += n;
      hash.update(n === CHUNK ? buffer : buffer.subarray(0, n));
      options.onProgress?.(pos - start);
      if (options.stopped?.()) break;
      if (pos >= nextYield) {
        nextYield += YIELD_EVERY;
        await nextTurn();
      }
    }
    return { digest: hash.digest('hex'), size: pos - start };
  } finally {
    closeSync(fd);
  }
}
