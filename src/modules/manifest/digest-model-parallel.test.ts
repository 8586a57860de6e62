import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestModel } from './digest-model.js';
import { type FileDigest, sha256File } from './hash-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warden-digest-'));
  await mkdir(join(dir, 'sub'));
  await writeFile(join(dir, 'b.bin'), Buffer.alloc(5 * 1024 * 1024, 7));
  await writeFile(join(dir, 'a.txt'), 'hello');
  await writeFile(join(dir, 'sub', 'c'), 'world');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A stand-in for the CLI's worker pool: hashes concurrently and answers in the order given. */
function concurrentHasher(seen: string[][]) {
  return async (
    paths: readonly string[],
    onProgress?: (bytesDone: number) => void,
  ): Promise<FileDigest[]> => {
    seen.push([...paths]);
    let done = 0;
    return Promise.all(
      paths.map(async (p) => {
        const d = await sha256File(p);
        done += d.size;
        onProgress?.(done);
        return d;
      }),
    );
  };
}

describe('digestModel with a parallel file hasher', () => {
  it('gives the same manifest and root digest as hashing one file at a time', async () => {
    const seen: string[][] = [];
    const sequential = await digestModel(dir);
    const parallel = await digestModel(dir, { hashFiles: concurrentHasher(seen) });
    expect(parallel).toEqual(sequential);
    // Asked once, for every file, in manifest order.
    expect(seen).toEqual([['a.txt', 'b.bin', 'sub/c'].map((p) => join(dir, p))]);
  });

  it('reports progress against the listed total', async () => {
    const calls: [number, number][] = [];
    await digestModel(dir, { hashFiles: concurrentHasher([]), onProgress: (d, t) => calls.push([d, t]) });
    const total = 5 * 1024 * 1024 + 10;
    expect(calls.at(-1)).toEqual([total, total]);
  });

  it('hashes a single file here, without the pool (one SHA-256 cannot be split)', async () => {
    const seen: string[][] = [];
    const model = await digestModel(join(dir, 'b.bin'), { hashFiles: concurrentHasher(seen) });
    expect(seen).toEqual([]);
    expect(model.resources).toEqual([{ name: '.', digest: expect.any(String), size: 5 * 1024 * 1024 }]);
  });
});
