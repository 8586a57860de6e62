import { randomBytes } from 'node:crypto';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alignedBuffers, DIRECT_BLOCK, directWriter, directWritesSuit } from './direct-write.js';

const MiB = 1024 * 1024;

describe('direct writes', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'warden-direct-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('falls back to buffered writes when the kernel refuses a direct write (unaligned memory)', async () => {
    const target = path.join(dir, 'unaligned');
    const handle = await open(target, 'wx');
    // Buffers from malloc are not page-aligned: claiming they are makes the kernel refuse (EINVAL) on
    // filesystems that check, and the writer must still produce the bytes.
    const buf = Buffer.allocUnsafeSlow(2 * DIRECT_BLOCK + 1).subarray(1);
    randomBytes(buf.length).copy(buf);
    const writer = await directWriter(target, handle, { aligned: true });
    try {
      await writer.write(buf, DIRECT_BLOCK, 0);
      await writer.write(buf.subarray(DIRECT_BLOCK), DIRECT_BLOCK - 10, DIRECT_BLOCK);
      await writer.end(2 * DIRECT_BLOCK - 10);
      await handle.sync();
    } finally {
      await writer.close();
      await handle.close();
    }
    expect((await readFile(target)).equals(buf.subarray(0, 2 * DIRECT_BLOCK - 10))).toBe(true);
  });

  it('tries direct writes on local block filesystems only', () => {
    expect(directWritesSuit(0xef53)).toBe(true); // ext2/3/4
    expect(directWritesSuit(0x58465342)).toBe(true); // XFS
    expect(directWritesSuit(0x6969)).toBe(false); // NFS
    expect(directWritesSuit(0xfe534d42)).toBe(false); // SMB2
    expect(directWritesSuit(0x65735546)).toBe(false); // FUSE
    expect(directWritesSuit(0x01021994)).toBe(false); // tmpfs
    expect(directWritesSuit(0x794c7630)).toBe(false); // overlay
  });

  it.runIf(process.platform === 'linux')('keeps the page cache on a tmpfs (/dev/shm)', async () => {
    const shm = await mkdtemp('/dev/shm/warden-direct-');
    try {
      const target = path.join(shm, 'file');
      const handle = await open(target, 'wx');
      const { buffers, aligned } = alignedBuffers(1, DIRECT_BLOCK);
      const writer = await directWriter(target, handle, { aligned });
      try {
        expect(writer.direct).toBe(false);
        const buf = buffers[0] as Buffer;
        randomBytes(buf.length).copy(buf);
        await writer.write(buf, 100, 0);
        await writer.end(100);
      } finally {
        await writer.close();
        await handle.close();
      }
      expect((await readFile(target)).equals((buffers[0] as Buffer).subarray(0, 100))).toBe(true);
    } finally {
      await rm(shm, { recursive: true, force: true });
    }
  });

  it('hands out page-aligned buffers where it can, and refuses sizes that are not whole blocks', () => {
    const { buffers, aligned } = alignedBuffers(3, MiB);
    expect(buffers.map((b) => b.length)).toEqual([MiB, MiB, MiB]);
    // Distinct memory: filling one leaves the others alone.
    buffers[0]?.fill(1);
    buffers[1]?.fill(2);
    expect(buffers[0]?.every((b) => b === 1)).toBe(true);
    expect(aligned).toBe(process.platform === 'linux');
    expect(() => alignedBuffers(1, 1000)).toThrow(RangeError);
  });
});
