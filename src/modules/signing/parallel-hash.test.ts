import { createHash } from 'node:crypto';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashRanges } from './parallel-hash.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warden-phash-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('hashRanges', () => {
  it('hashes byte ranges across several 1 MiB reads, in task order, on a pool', async () => {
    const data = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < data.length; i += 999) data[i] = i % 251;
    await writeFile(join(dir, 'f'), data);
    const cuts = [0, 1, 1024 * 1024 + 3, 2 * 1024 * 1024, data.length];
    const tasks = cuts.slice(1).map((end, i) => ({ path: join(dir, 'f'), start: cuts[i] as number, end }));
    const out = await hashRanges([...tasks, { path: join(dir, 'f'), start: 0, end: -1 }], {
      algorithm: 'sha256',
      workers: 3,
    });
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(out).toEqual([
      ...tasks.map((t) => ({ digest: sha(data.subarray(t.start, t.end)), size: t.end - t.start })),
      { digest: sha(data), size: data.length },
    ]);
  });

  it('refuses a symlink and a file that shrank', async () => {
    await writeFile(join(dir, 'f'), 'abc');
    await symlink(join(dir, 'f'), join(dir, 'l'));
    await expect(
      hashRanges([{ path: join(dir, 'l'), start: 0, end: -1 }], { algorithm: 'sha256' }),
    ).rejects.toMatchObject({
      code: 'model_symlink',
    });
    await expect(
      hashRanges([{ path: join(dir, 'f'), start: 0, end: 10 }], { algorithm: 'sha256' }),
    ).rejects.toMatchObject({
      code: 'model_changed_while_hashing',
    });
  });

  it('starts the largest tasks first and still answers in task order', async () => {
    const sizes = [10, 1000, 100];
    for (const [i, n] of sizes.entries()) await writeFile(join(dir, `f${i}`), Buffer.alloc(n, i));
    const progress: number[] = [];
    const out = await hashRanges(
      sizes.map((n, i) => ({ path: join(dir, `f${i}`), start: 0, end: -1, size: n })),
      { algorithm: 'sha256', workers: 1, onProgress: (done) => progress.push(done) },
    );
    // One worker, one task at a time: the running total shows the order 1000, 100, 10.
    expect(progress).toEqual([1000, 1100, 1110]);
    expect(out.map((d) => d.size)).toEqual(sizes);
  });

  it('reports a missing file as model_path_not_found, whichever thread takes it', async () => {
    await writeFile(join(dir, 'big'), Buffer.alloc(40 * 1024 * 1024, 1));
    const missing = { path: join(dir, 'missing'), start: 0, end: -1, size: 0 };
    const big = { path: join(dir, 'big'), start: 0, end: -1, size: 40 * 1024 * 1024 };
    // Alone, the calling thread takes it; behind a 40 MiB task that keeps the calling thread busy while
    // the worker starts, the worker (almost always) does.
    for (const tasks of [[missing], [big, missing]])
      await expect(hashRanges(tasks, { algorithm: 'sha256', workers: 2 })).rejects.toMatchObject({
        code: 'model_path_not_found',
        details: { path: missing.path },
      });
  });

  it('stops every thread at the first failure and rejects with it', async () => {
    await writeFile(join(dir, 'f'), Buffer.alloc(1024 * 1024, 2));
    const tasks = Array.from({ length: 40 }, (_, i) => ({
      path: join(dir, 'f'),
      start: 0,
      end: -1,
      size: 40 - i,
    }));
    tasks.splice(5, 0, { path: join(dir, 'f'), start: 0, end: 2 * 1024 * 1024, size: 30 });
    await expect(hashRanges(tasks, { algorithm: 'sha256', workers: 2 })).rejects.toMatchObject({
      code: 'model_changed_while_hashing',
    });
  });
});
