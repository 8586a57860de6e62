import type { Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { alignedBuffers, directWriter, type OpenDirect } from '../platform/direct-write.js';

const CHUNK = 1024 * 1024;
/** Writes in flight at once, each at its own position: the disk (or, buffered, libuv's threads copying into
 * the page cache) works on one while the next MiB arrives. */
const IN_FLIGHT = 2;

export interface WriteHashedOptions {
  /**
   * The path of `handle`'s file, in a folder nobody else writes to: given, the chunks are written past the
   * page cache (O_DIRECT) where the filesystem takes it (platform/direct-write.ts), the file cut back to
   * its size at the end. The caller still flushes (sync) and closes `handle`.
   */
  directPath?: string;
  /** Tests: opens the direct descriptor (to play a filesystem that refuses O_DIRECT). */
  openDirect?: OpenDirect;
}

/**
 * Writes a download to `handle` as it arrives, hashing every byte: the network's small pieces are gathered
 * into 1 MiB chunks, each hashed and then written at its position, with up to two writes running (on
 * libuv's pool) while the next MiB arrives. Three buffers, reused: memory stays at 3 MiB whatever the size.
 * Returns the number of bytes written.
 */
export async function writeHashedStream(
  body: AsyncIterable<Uint8Array>,
  handle: FileHandle,
  hash: Hash,
  onBytes: (n: number) => void,
  options: WriteHashedOptions = {},
): Promise<number> {
  const { buffers, aligned } = options.directPath
    ? alignedBuffers(IN_FLIGHT + 1, CHUNK)
    : { buffers: Array.from({ length: IN_FLIGHT + 1 }, () => Buffer.allocUnsafe(CHUNK)), aligned: false };
  const writer = await directWriter(options.directPath ?? '', handle, {
    aligned: aligned && options.directPath !== undefined,
    ...(options.openDirect ? { openDirect: options.openDirect } : {}),
  });
  // The write (if any) still using each buffer; a buffer is filled again only once its write has finished.
  const writes: Promise<void>[] = buffers.map(() => Promise.resolve());
  let current = 0;
  let used = 0;
  let size = 0;
  let position = 0;
  let failed: unknown = null;
  const flush = async () => {
    const buffer = buffers[current] as Buffer;
    // Hashed as gathered, 1 MiB per call rather than one call per 64 KiB network piece.
    hash.update(buffer.subarray(0, used));
    // Only the last chunk can be short (every earlier one is full), as a direct writer requires.
    const write = writer.write(buffer, used, position);
    write.catch((err: unknown) => {
      failed ??= err;
    });
    writes[current] = write;
    position += used;
    current = (current + 1) % buffers.length;
    used = 0;
    await writes[current];
  };
  try {
    for await (const piece of body) {
      if (failed) throw failed;
      size += piece.length;
      onBytes(piece.length);
      let offset = 0;
      while (offset < piece.length) {
        const n = Math.min(CHUNK - used, piece.length - offset);
        (buffers[current] as Buffer).set(piece.subarray(offset, offset + n), used);
        used += n;
        offset += n;
        if (used === CHUNK) await flush();
      }
    }
    if (used > 0) await flush();
    await Promise.all(writes);
    await writer.end(size);
    return size;
  } finally {
    await Promise.allSettled(writes);
    await writer.close();
  }
}
