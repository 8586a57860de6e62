import { randomBytes } from 'node:crypto';
import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keyringPath, openLocalKeyProvider } from '../../src/adapters/kms/local-key-provider.js';
import { createEncryptedFsBlobStore, createFsBlobStore, hasStoredBlobs } from '../fixtures/fs-blob-stores.js';
import { blobFile, MiB, readVerified, storeBlob, tempDirs } from './blob-helpers.js';

/** Opens the store the way start-up does: a missing keyring may be made only while no blob exists. */
async function start(root: string, dataDir: string, masterKey?: string) {
  const keys = await openLocalKeyProvider({
    dataDir,
    masterKey: masterKey ?? null,
    allowCreate: !(await hasStoredBlobs(root)),
  });
  return { keys, store: createEncryptedFsBlobStore({ root, keys }) };
}

describe('master key faults: clear errors, nothing unverified served, nothing stored lost or replaced', () => {
  const dirs = tempDirs();
  let root: string;
  let dataDir: string;
  let data: Buffer;
  let digest: string;
  let stored: Buffer;

  beforeEach(async () => {
    root = await dirs.make('warden-enc-');
    dataDir = await dirs.make('warden-data-');
    const { store } = await start(root, dataDir);
    data = randomBytes(2 * MiB + 3);
    digest = await storeBlob(store, data);
    stored = await readFile(blobFile(root, digest));
  });
  afterEach(() => dirs.cleanup());

  const unchanged = async () => expect((await readFile(blobFile(root, digest))).equals(stored)).toBe(true);

  it('a lost keyring file stops the start with master_key_missing and makes no new key', async () => {
    const file = keyringPath(dataDir);
    await rename(file, `${file}.backup`);
    await expect(start(root, dataDir)).rejects.toMatchObject({
      code: 'master_key_missing',
      kind: 'unavailable',
    });
    await expect(readFile(file)).rejects.toMatchObject({ code: 'ENOENT' });
    await unchanged();
    // Restoring the backup brings every blob back.
    await rename(`${file}.backup`, file);
    const { store } = await start(root, dataDir);
    expect((await readVerified(store, digest)).emitted.equals(data)).toBe(true);
  });

  it('a different keyring (wrong master key) gives master_key_mismatch and serves nothing', async () => {
    const file = keyringPath(dataDir);
    const original = await readFile(file);
    const otherDir = await dirs.make('warden-other-');
    await openLocalKeyProvider({ dataDir: otherDir, allowCreate: true });
    await writeFile(file, await readFile(keyringPath(otherDir)), { mode: 0o600 });
    const { store } = await start(root, dataDir);
    const { emitted, error } = await readVerified(store, digest);
    expect(error).toMatchObject({ code: 'master_key_mismatch', kind: 'unavailable' });
    expect(emitted.length).toBe(0);
    await expect(store.verify(digest)).rejects.toMatchObject({ code: 'master_key_mismatch' });
    // Uploading the same bytes again under the wrong key does not replace the stored blob.
    const staging = await store.createStaging();
    await staging.write(
      (async function* () {
        yield data;
      })(),
      { maxBytes: 1e9 },
    );
    expect(await staging.commit()).toEqual({ created: [] });
    await unchanged();
    await writeFile(file, original);
    expect((await readVerified((await start(root, dataDir)).store, digest)).emitted.equals(data)).toBe(true);
  });

  it('a wrong master key from configuration gives master_key_mismatch', async () => {
    const { store } = await start(root, dataDir, randomBytes(32).toString('base64'));
    expect((await readVerified(store, digest)).error).toMatchObject({ code: 'master_key_mismatch' });
    await unchanged();
  });

  it('a malformed configured key, a damaged keyring, an exposed keyring: master_key_invalid', async () => {
    await expect(start(root, dataDir, 'c2hvcnQ=')).rejects.toMatchObject({ code: 'master_key_invalid' });
    const file = keyringPath(dataDir);
    const original = await readFile(file, 'utf8');
    await chmod(file, 0o644);
    if (process.platform !== 'win32')
      await expect(start(root, dataDir)).rejects.toMatchObject({ code: 'master_key_invalid' });
    await chmod(file, 0o600);
    const doc = JSON.parse(original) as { keys: { key: string }[] };
    const raw = Buffer.from(doc.keys[0]!.key, 'base64');
    raw[0] = raw[0]! ^ 1;
    doc.keys[0]!.key = raw.toString('base64');
    await writeFile(file, JSON.stringify(doc));
    await expect(start(root, dataDir)).rejects.toMatchObject({ code: 'master_key_invalid' });
    await writeFile(file, '{not json');
    await expect(start(root, dataDir)).rejects.toMatchObject({ code: 'master_key_invalid' });
    await unchanged();
  });

  it('a master key from configuration works on its own and refuses rotation', async () => {
    const key = randomBytes(32).toString('base64');
    const cfgRoot = await dirs.make('warden-enc-cfg-');
    const cfgData = await dirs.make('warden-data-cfg-');
    const first = await start(cfgRoot, cfgData, key);
    const d = await storeBlob(first.store, data);
    await expect(readFile(keyringPath(cfgData))).rejects.toMatchObject({ code: 'ENOENT' });
    const again = await start(cfgRoot, cfgData, key);
    expect((await readVerified(again.store, d)).emitted.equals(data)).toBe(true);
    await expect(again.keys.rotate()).rejects.toMatchObject({ code: 'key_rotation_unsupported' });
    await expect(again.keys.retire(again.keys.currentKekId())).rejects.toMatchObject({
      code: 'key_rotation_unsupported',
    });
  });
});

describe('start-up on a data directory of the plaintext store', () => {
  const dirs = tempDirs();
  afterEach(() => dirs.cleanup());

  it('counts only encrypted blobs as needing the keyring', async () => {
    const root = await dirs.make('warden-plain-');
    await storeBlob(createFsBlobStore({ root }), Buffer.from('plaintext blob'));
    expect(await hasStoredBlobs(root)).toBe(false);
    const { store } = await start(root, await dirs.make('warden-data-'));
    await storeBlob(store, Buffer.from('encrypted blob'));
    expect(await hasStoredBlobs(root)).toBe(true);
  });
});
