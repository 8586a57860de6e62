import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digest } from '../../src/cli/commands/digest.js';
import { exitOf, memoryCtx } from './helpers.js';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest();
/** The OMS root digest, computed independently: SHA-256 over the files' raw digests in manifest order. */
const rootOf = (files: (Buffer | string)[]) =>
  createHash('sha256')
    .update(Buffer.concat(files.map((f) => sha(f))))
    .digest('hex');

let dir: string;
// More than one 256 KiB read, and not a multiple of it; bytes vary so a skipped or repeated read shows.
const big = Buffer.alloc(5 * 256 * 1024 + 333);
for (let i = 0; i < big.length; i += 7) big[i] = (i * 31) % 256;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warden-digest-cli-'));
  await mkdir(join(dir, 'model', 'sub'), { recursive: true });
  await writeFile(join(dir, 'model', 'weights.bin'), big);
  await writeFile(join(dir, 'model', 'a.txt'), 'hello');
  await writeFile(join(dir, 'model', 'sub', 'config.json'), '{}');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('warden digest', () => {
  it('prints the root digest of one file, hashed on the main thread', async () => {
    const { ctx, out } = memoryCtx(dir);
    await digest(ctx, 'model/weights.bin', {});
    expect(out()).toBe(`${rootOf([big])}\n`);
  });

  it('prints the root digest of a folder, hashed by the thread pool, files in manifest order', async () => {
    const { ctx, out } = memoryCtx(dir);
    await digest(ctx, 'model', { json: true });
    const printed = JSON.parse(out());
    expect(printed.digest).toBe(`sha256:${rootOf(['hello', '{}', big])}`);
    expect(printed.resources).toEqual([
      { name: 'a.txt', digest: sha('hello').toString('hex'), size: 5 },
      { name: 'sub/config.json', digest: sha('{}').toString('hex'), size: 2 },
      { name: 'weights.bin', digest: sha(big).toString('hex'), size: big.length },
    ]);
  });

  it('refuses a symlinked file with model_symlink', async () => {
    await symlink(join(dir, 'model', 'weights.bin'), join(dir, 'link.bin'));
    const { ctx } = memoryCtx(dir);
    expect(await exitOf(() => digest(ctx, 'link.bin', {}))).toMatchObject({
      error: { code: 'model_symlink' },
    });
  });
});
