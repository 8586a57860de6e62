import { createHash } from 'node:crypto';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashFileHere } from './hash-file-here.js';

let dir: string;
const KiB = 1024;
// Several 256 KiB reads and a short last one.
const data = Buffer.alloc(4 * 1024 * KiB + 5);
for (let i = 0; i < data.length; i += 4093) data[i] = i % 251;
const sha = (b: Buffer, algorithm = 'sha256') => createHash(algorithm).update(b).digest('hex');

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warden-hash-here-'));
  await writeFile(join(dir, 'f'), data);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('hashFileHere', () => {
  it('hashes a whole file in 256 KiB reads and reports the bytes after each', async () => {
    const progress: number[] = [];
    const result = await hashFileHere(join(dir, 'f'), { onProgress: (n) => progress.push(n) });
    expect(result).toEqual({ digest: sha(data), size: data.length });
    expect(progress).toHaveLength(Math.ceil(data.length / (256 * KiB)));
    expect(progress.slice(0, 2)).toEqual([256 * KiB, 512 * KiB]);
    expect(progress.at(-1)).toBe(data.length);
  });

  it('lets timers run while it hashes (it yields every 32 MiB)', async () => {
    // From the second turn on a turn passes the timers phase: 72 MiB gives two.
    await writeFile(join(dir, 'big'), Buffer.alloc(72 * 1024 * KiB, 1));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const result = await hashFileHere(join(dir, 'big'));
    clearInterval(timer);
    expect(result.size).toBe(72 * 1024 * KiB);
    expect(ticks).toBeGreaterThan(0);
  });

  it('hashes a byte range with another algorithm, and answers the bytes a short file had', async () => {
    const start = 300 * KiB + 1;
    const end = 900 * KiB + 7;
    expect(await hashFileHere(join(dir, 'f'), { algorithm: 'blake2b512', start, end })).toEqual({
      digest: sha(data.subarray(start, end), 'blake2b512'),
      size: end - start,
    });
    const tail = await hashFileHere(join(dir, 'f'), { start: data.length - 10, end: data.length + 100 });
    expect(tail).toEqual({ digest: sha(data.subarray(data.length - 10)), size: 10 });
  });

  it('stops after the read on which stopped() turns true', async () => {
    let reads = 0;
    const result = await hashFileHere(join(dir, 'f'), { stopped: () => ++reads === 3 });
    expect(result.size).toBe(3 * 256 * KiB);
  });

  it('refuses a symlink, a directory and a missing file', async () => {
    await symlink(join(dir, 'f'), join(dir, 'l'));
    await expect(hashFileHere(join(dir, 'l'))).rejects.toMatchObject({ code: 'model_symlink' });
    await expect(hashFileHere(dir)).rejects.toMatchObject({ code: 'model_special_file' });
    await expect(hashFileHere(join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
