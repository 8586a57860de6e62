import type { Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';

const CHUNK = 1024 * 1024;

async function writeAll(handle: FileHandle, buf: Buffer): Promise<void> {
  let offset = 0;
  while (offset < buf.length) offset += (await handle.write(buf, offset, buf.length - offset)).bytesWritten;
}

/**
 * Writes a download to `handle` as it arrives, hashing every byte: the network's small pieces are gathered
 * into 1 MiB chunks, each hashed and then written, and one write runs (on libuv's pool) while the next MiB
 * arrives. Two buffers, reused:
 * memory stays at 2 MiB whatever the size. Returns the number of bytes written.
 */
export async function writeHashedStream(
  body: AsyncIterable<Uint8Array>,
  handle: FileHandle,
  hash: Hash,
  onBytes: (n: number) => void,
): Promise<number> {
  const buffers = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
  let current = 0;
  let used = 0;
  let size = 0;
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    const filled = (buffers[current] as Buffer).subarray(0, used);
    // Hashed as gathered, 1 MiB per call rather than one call per 64 KiB network piece.
    hash.update(filled);
    // The other buffer is free again only once its write has finished.
    await writing;
    writing = writeAll(handle, filled);
    writing.catch(() => {});
    current ^= 1;
    used = 0;
  };
  try {
    for await (const piece of body) {
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
    await writing;
    return size;
  } finally {
    await writing.catch(() => {});
  }
}
