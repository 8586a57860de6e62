import type { Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';

const CHUNK = 1024 * 1024;
/** Writes in flight at once, each at its own position: copying into the page cache is a large share of a
 * pull's CPU, and two of libuv's threads do it side by side. */
const IN_FLIGHT = 2;

async function writeAllAt(handle: FileHandle, buf: Buffer, position: number): Promise<void> {
  let offset = 0;
  while (offset < buf.length)
    offset += (await handle.write(buf, offset, buf.length - offset, position + offset)).bytesWritten;
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
): Promise<number> {
  const buffers = Array.from({ length: IN_FLIGHT + 1 }, () => Buffer.allocUnsafe(CHUNK));
  // The write (if any) still using each buffer; a buffer is filled again only once its write has finished.
  const writes: Promise<void>[] = buffers.map(() => Promise.resolve());
  let current = 0;
  let used = 0;
  let size = 0;
  let position = 0;
  let failed: unknown = null;
  const flush = async () => {
    const filled = (buffers[current] as Buffer).subarray(0, used);
    // Hashed as gathered, 1 MiB per call rather than one call per 64 KiB network piece.
    hash.update(filled);
    const write = writeAllAt(handle, filled, position);
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
    return size;
  } finally {
    await Promise.allSettled(writes);
  }
}
