import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keygenCommand } from '../../src/cli/commands/keygen.js';
import { signCommand } from '../../src/cli/commands/sign.js';
import { verifyCommand } from '../../src/cli/commands/verify.js';
import { exitOf, interop, memoryCtx } from './helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warden-sign-cli-'));
  await mkdir(join(dir, 'model', 'sub'), { recursive: true });
  await writeFile(join(dir, 'model', 'weights.bin'), Buffer.alloc(3000, 7));
  await writeFile(join(dir, 'model', 'sub', 'config.json'), '{}');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('warden keygen / sign / verify', () => {
  it('makes a key pair, signs into ./model.sig by default and verifies (exit 0)', async () => {
    const { ctx, out } = memoryCtx(dir);
    await writeFile(join(dir, 'pw'), 'secret\n');
    expect(
      (await exitOf(() => keygenCommand(ctx, { out: 'key', curve: 'p384', passwordFile: 'pw' }))).code,
    ).toBe(0);
    expect((await stat(join(dir, 'key.pem'))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(dir, 'key.pem'), 'utf8')).toContain('BEGIN ENCRYPTED PRIVATE KEY');
    expect(await exitOf(() => keygenCommand(ctx, { out: 'key' }))).toMatchObject({
      code: 4,
      error: { code: 'key_file_exists' },
    });

    expect((await exitOf(() => signCommand(ctx, 'model', { key: 'key.pem', passwordFile: 'pw' }))).code).toBe(
      0,
    );
    expect(JSON.parse(await readFile(join(dir, 'model.sig'), 'utf8')).mediaType).toBe(
      'application/vnd.dev.sigstore.bundle.v0.3+json',
    );
    expect(
      (await exitOf(() => verifyCommand(ctx, 'model', { signature: 'model.sig', key: 'key.pub' }))).code,
    ).toBe(0);
    expect(out()).toContain('Verification succeeded');
  });

  it('signs with --shard-size into the model folder, ignoring the signature there', async () => {
    const { ctx, out } = memoryCtx(dir);
    await keygenCommand(memoryCtx(dir).ctx, { out: 'k' });
    const sig = join('model', 'model.sig');
    await signCommand(ctx, 'model', { key: 'k.pem', signature: sig, shardSize: '1024', json: true });
    expect(JSON.parse(out())).toMatchObject({ method: 'shards', resources: 4 });
    expect((await exitOf(() => verifyCommand(ctx, 'model', { signature: sig, key: 'k.pub' }))).code).toBe(0);
  });

  it('exits 5 naming each problem, and 2 for a malformed signature or a bad flag', async () => {
    const { ctx, out } = memoryCtx(dir);
    await keygenCommand(memoryCtx(dir).ctx, { out: 'k', curve: 'p521' });
    await signCommand(memoryCtx(dir).ctx, 'model', { key: 'k.pem' });
    await writeFile(join(dir, 'model', 'weights.bin'), 'changed');
    await writeFile(join(dir, 'model', 'new.txt'), 'new');
    const failed = await exitOf(() =>
      verifyCommand(ctx, 'model', { signature: 'model.sig', key: 'k.pub', json: true }),
    );
    expect(failed).toMatchObject({ code: 5, error: { code: 'model_verification_failed' } });
    expect(
      JSON.parse(out()).problems.map((p: { kind: string; path: string }) => `${p.kind}:${p.path}`),
    ).toEqual(['changed:weights.bin', 'extra:new.txt']);
    const text = await readFile(join(dir, 'model.sig'), 'utf8');
    await writeFile(join(dir, 'model.sig'), text.slice(0, 100));
    expect(
      await exitOf(() => verifyCommand(ctx, 'model', { signature: 'model.sig', key: 'k.pub' })),
    ).toMatchObject({
      code: 2,
      error: { code: 'signature_malformed' },
    });
    expect(
      await exitOf(() => verifyCommand(ctx, 'model', { signature: 'nope.sig', key: 'k.pub' })),
    ).toMatchObject({
      code: 3,
    });
    expect(await exitOf(() => signCommand(ctx, 'model', { key: 'k.pem', shardSize: '-1' }))).toMatchObject({
      code: 2,
    });
  });

  it('verifies the reference vector as the reference CLI is invoked', async () => {
    const { ctx } = memoryCtx(interop);
    const run = () =>
      verifyCommand(ctx, 'v1.1.0-elliptic-key', {
        signature: 'v1.1.0-elliptic-key/model.sig',
        key: 'signing-key-pub.pem',
        ignorePaths: ['v1.1.0-elliptic-key/ignore-me'],
      });
    expect((await exitOf(run)).code).toBe(0);
    await cp(join(interop, 'v1.0.0-elliptic-key'), join(dir, 'v1'), { recursive: true });
    const { ctx: here } = memoryCtx(dir);
    const one = () =>
      verifyCommand(here, 'v1/signme-1', {
        signature: 'v1/model.sig',
        key: join(interop, 'signing-key-pub.pem'),
      });
    expect((await exitOf(one)).code).toBe(0);
  });
});
