import { createHash } from 'node:crypto';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256File } from './hash-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warden-hash-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('sha256File', () => {
  it('hashes a file across several 4 MiB reads and reports progress', async () => {
    const data = Buffer.alloc(10.5 * 1024 * 1024);
    for (let i = 0; i < data.length; i += 4096) data[i] = i % 256;
    await writeFile(join(dir, 'f'), data);
    const progress: number[] = [];
    const result = await sha256File(join(dir, 'f'), (n) => progress.push(n));
    expect(result).toEqual({ digest: createHash('sha256').update(data).digest('hex'), size: data.length });
    expect(progress).toEqual([4 * 1024 * 1024, 8 * 1024 * 1024, data.length]);
  });

  it('hashes an empty file', async () => {
    await writeFile(join(dir, 'empty'), '');
    expect(await sha256File(join(dir, 'empty'))).toEqual({
      digest: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      size: 0,
    });
  });

  it.skipIf(process.platform === 'win32')('refuses to follow a symlink', async () => {
    await writeFile(join(dir, 'target'), 'x');
    await symlink(join(dir, 'target'), join(dir, 'link'));
    await expect(sha256File(join(dir, 'link'))).rejects.toMatchObject({ code: 'model_symlink' });
  });
});
