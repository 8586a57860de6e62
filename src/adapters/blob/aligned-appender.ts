// A pending object's appends, gathered into aligned 1 MiB blocks and written past the page cache.
import type { FileHandle } from 'node:fs/promises';
import {
  alignedBuffers,
  DIRECT_BLOCK,
  directWriter,
  type OpenDirect,
  type PositionalWriter,
} from '../../platform/direct-write.js';

const BLOCK = 1024 * 1024;
/** Blocks being written at once; one more is being filled. */
const IN_FLIGHT = 2;

export interface AlignedAppender {
  /** Copies the pieces after those of every earlier call; resolves once they are copied (not yet written). */
  append(pieces: readonly Buffer[]): Promise<void>;
  /** Writes what is gathered, waits for every write and cuts the file to its size; returns the size. */
  flush(): Promise<number>;
  /** Waits for the writes under way (their failures ignored) and closes the direct descriptor. */
  close(): Promise<void>;
}

/**
 * The encrypting store appends sealed chunks of 1 MiB + 16 bytes after a 4 KiB header, so no append lands
 * on a block boundary; a direct write needs one. Here the pieces are copied into aligned blocks (one more
 * copy of every byte, cheaper on this kind of VM than the page-cache copy it replaces: bench/README.md,
 * round 5) and each full block is written at an aligned position. Null when direct writes cannot be had
 * (not Linux, no aligned memory, `start` not aligned, the filesystem refuses O_DIRECT): the caller then
 * writes its pieces as they are, without the copy.
 */
export async function createAlignedAppender(
  path: string,
  fh: FileHandle,
  start: number,
  openDirect?: OpenDirect,
): Promise<AlignedAppender | null> {
  if (start % DIRECT_BLOCK !== 0) return null;
  const { buffers, aligned } = alignedBuffers(IN_FLIGHT + 1, BLOCK);
  if (!aligned) return null;
  const writer: PositionalWriter = await directWriter(path, fh, {
    aligned,
    ...(openDirect ? { openDirect } : {}),
  });
  if (!writer.direct) {
    await writer.close();
    return null;
  }
  const writes: Promise<void>[] = buffers.map(() => Promise.resolve());
  let current = 0;
  let used = 0;
  let position = start;
  let failed: unknown = null;
  // Appends run one after another: a call that waits for a free block must not let a later call's bytes in first.
  let queue: Promise<void> = Promise.resolve();

  const writeCurrent = async () => {
    const write = writer.write(buffers[current] as Buffer, used, position);
    write.catch((err: unknown) => {
      failed ??= err;
    });
    writes[current] = write;
    position += used;
    current = (current + 1) % buffers.length;
    used = 0;
    await writes[current];
  };

  const copy = async (pieces: readonly Buffer[]) => {
    if (failed) throw failed;
    for (const piece of pieces) {
      let offset = 0;
      while (offset < piece.length) {
        const n = Math.min(BLOCK - used, piece.length - offset);
        piece.copy(buffers[current] as Buffer, used, offset, offset + n);
        used += n;
        offset += n;
        if (used === BLOCK) await writeCurrent();
      }
    }
    if (failed) throw failed;
  };

  const enqueue = (job: () => Promise<void>) => {
    const run = queue.then(job);
    queue = run.catch(() => {});
    return run;
  };

  return {
    append: (pieces) => enqueue(() => copy(pieces)),
    async flush() {
      await enqueue(async () => {
        // Only this last block may be short; the direct writer pads it and end() cuts the file back.
        if (used > 0) await writeCurrent();
      });
      await Promise.all(writes);
      await writer.end(position);
      return position;
    },
    async close() {
      await queue;
      await Promise.allSettled(writes);
      await writer.close();
    },
  };
}
