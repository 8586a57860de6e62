import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { openLocalKeyProvider } from '../../src/adapters/kms/local-key-provider.js';
import { lockDataDir } from '../../src/adapters/local/data-dir-lock.js';
import { keysList, keysRetire, keysRotate } from '../../src/cli/commands/keys.js';
import type { CliContext } from '../../src/cli/context.js';
import { createEncryptedFsBlobStore } from '../fixtures/fs-blob-stores.js';
import { readVerified, storeBlob, tempDirs } from './blob-helpers.js';

function context(cwd: string): { ctx: CliContext; out: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let text = '';
  stdout.on('data', (d: Buffer) => {
    text += d.toString();
  });
  stderr.resume();
  return { ctx: { cwd, env: {}, io: { stdout, stderr } }, out: () => text };
}

describe('warden keys (offline, on the data directory)', () => {
  const dirs = tempDirs();
  afterEach(() => dirs.cleanup());

  it('lists, rotates and retires, holding the data-directory lock', async () => {
    const dataDir = await dirs.make('warden-data-');
    const root = path.join(dataDir, 'blobs');
    await mkdir(root);
    const keys = await openLocalKeyProvider({ dataDir, allowCreate: true });
    const data = randomBytes(5000);
    const digest = await storeBlob(createEncryptedFsBlobStore({ root, keys }), data);
    const old = keys.currentKekId();

    const list = context(dataDir);
    await keysList(list.ctx, { dataDir, json: true });
    expect(JSON.parse(list.out())).toEqual({
      keys: [{ id: old, createdAt: expect.any(String), state: 'current', blobs: 1 }],
      unreadable: [],
    });

    const lock = await lockDataDir(dataDir);
    await expect(keysRotate(context(dataDir).ctx, { dataDir })).rejects.toMatchObject({
      code: 'data_dir_in_use',
    });
    await lock.release();

    const rotate = context(dataDir);
    await keysRotate(rotate.ctx, { dataDir, json: true });
    const result = JSON.parse(rotate.out()) as { kekId: string; rewrapped: number };
    expect(result).toMatchObject({ rewrapped: 1, unchanged: 0, failed: [] });

    await keysRetire(context(dataDir).ctx, old, { dataDir });
    const reopened = await openLocalKeyProvider({ dataDir, allowCreate: false });
    expect(
      (await readVerified(createEncryptedFsBlobStore({ root, keys: reopened }), digest)).emitted,
    ).toEqual(data);
  });

  it('refuses a data directory that does not exist', async () => {
    const dataDir = path.join(await dirs.make('warden-none-'), 'missing');
    await expect(keysList(context(dataDir).ctx, { dataDir })).rejects.toMatchObject({
      code: 'invalid_option',
    });
  });
});
