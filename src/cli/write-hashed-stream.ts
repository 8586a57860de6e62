import type { Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { alignedBuffers, directWriter, type OpenDirect } from '../platform/direct-write.js';
import type { DownloadBody } from './api-client.js';
import type { BodySink } from './raw-download.js';

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
  body: DownloadBody,
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
  const busy = buffers.map(() => false);
  let current = 0;
  let used = 0;
  let size = 0;
  let position = 0;
  let failed: unknown = null;
  const flush = () => {
    const at = current;
    const buffer = buffers[at] as Buffer;
    // Hashed as gathered, 1 MiB per call rather than one call per network piece.
    hash.update(buffer.subarray(0, used));
    // Only the last chunk can be short (every earlier one is full), as a direct writer requires.
    busy[at] = true;
    writes[at] = writer.write(buffer, used, position).then(
      () => {
        busy[at] = false;
      },
      (err: unknown) => {
        failed ??= err;
      },
    );
    position += used;
    current = (current + 1) % buffers.length;
    used = 0;
  };
  const sink: BodySink = {
    take(piece) {
      let taken = 0;
      while (!failed && taken < piece.length && !busy[current]) {
        const n = Math.min(CHUNK - used, piece.length - taken);
        (buffers[current] as Buffer).set(piece.subarray(taken, taken + n), used);
        used += n;
        taken += n;
        if (used === CHUNK) flush();
      }
      size += taken;
      if (taken > 0) onBytes(taken);
      return taken;
    },
    async ready() {
      await writes[current];
      if (failed) throw failed;
    },
  };
  try {
    if (Symbol.asyncIterator in body) {
      for await (const piece of body) {
        const bytes = Buffer.from(piece.buffer, piece.byteOffset, piece.length);
        for (let at = sink.take(bytes); at < bytes.length; at += sink.take(bytes.subarray(at)))
          await sink.ready();
      }
    } else {
      await body.readInto(sink);
    }
    if (failed) throw failed;
    if (used > 0) flush();
    await Promise.all(writes);
    if (failed) throw failed;
    await writer.end(size);
    return size;
  } finally {
    await Promise.allSettled(writes);
    await writer.close();
  }
}
