import { randomBytes } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLocalKeyProvider } from '../../src/adapters/kms/local-key-provider.js';
import { HEADER_SIZE, SLOT_SIZE, slotOffset } from '../../src/modules/artifacts/envelope-format.js';
import type { BlobStore } from '../../src/modules/artifacts/index.js';
import type { KeyProvider } from '../../src/modules/keys/index.js';
import {
  createEncryptedFsBlobStore,
  kekUsage,
  retireKek,
  rewrapBlobs,
  rotateKeys,
} from '../fixtures/fs-blob-stores.js';
import { blobFile, MiB, readVerified, storeBlob, tempDirs } from './blob-helpers.js';

describe('key rotation re-wraps data keys in place and never re-encrypts a blob', () => {
  const dirs = tempDirs();
  let root: string;
  let dataDir: string;
  let keys: KeyProvider;
  let store: BlobStore;
  const blobs = new Map<string, Buffer>();

  beforeEach(async () => {
    root = await dirs.make('warden-enc-');
    dataDir = await dirs.make('warden-data-');
    keys = await openLocalKeyProvider({ dataDir, allowCreate: true });
    store = createEncryptedFsBlobStore({ root, keys });
    blobs.clear();
    for (const size of [0, 10, MiB + 1]) {
      const data = randomBytes(size);
      blobs.set(await storeBlob(store, data), data);
    }
  });
  afterEach(() => dirs.cleanup());

  const bodies = async () =>
    new Map(
      await Promise.all(
        [...blobs.keys()].map(
          async (d) => [d, (await readFile(blobFile(root, d))).subarray(HEADER_SIZE)] as const,
        ),
      ),
    );
  const allReadable = async (s: BlobStore) => {
    for (const [digest, data] of blobs) {
      const { emitted, error } = await readVerified(s, digest);
      expect(error).toBeNull();
      expect(emitted.equals(data)).toBe(true);
    }
  };

  it('rotates, re-wraps every header, leaves bodies byte-identical, then retires the old key', async () => {
    const old = keys.currentKekId();
    const before = await bodies();
    const result = await rotateKeys({ root, keys });
    expect(result).toEqual({ kekId: keys.currentKekId(), rewrapped: 3, unchanged: 0, failed: [] });
    expect(result.kekId).not.toBe(old);
    const after = await bodies();
    for (const [digest, body] of before) expect(after.get(digest)!.equals(body)).toBe(true);
    expect((await kekUsage(root)).usage).toEqual(new Map([[result.kekId, 3]]));

    // Running it again is a no-op (what an interrupted rotation relies on).
    expect(await rewrapBlobs({ root, keys })).toMatchObject({ rewrapped: 0, unchanged: 3 });

    await retireKek({ root, keys }, old);
    expect(await keys.listKeks()).toEqual([
      expect.objectContaining({ id: old, current: false, retired: true }),
      expect.objectContaining({ id: result.kekId, current: true, retired: false }),
    ]);
    const keyring = JSON.parse(await readFile(`${dataDir}/keys/master-keys.json`, 'utf8')) as {
      keys: { id: string; key?: string }[];
    };
    expect(keyring.keys.find((k) => k.id === old)).not.toHaveProperty('key');
    // A fresh process with the rotated keyring reads everything, and new uploads use the new key.
    const reopened = await openLocalKeyProvider({ dataDir, allowCreate: false });
    const store2 = createEncryptedFsBlobStore({ root, keys: reopened });
    await allReadable(store2);
    expect(reopened.currentKekId()).toBe(result.kekId);
  });

  it('refuses to retire a key that still wraps blobs, or the current one', async () => {
    const old = keys.currentKekId();
    await expect(retireKek({ root, keys }, old)).rejects.toMatchObject({
      code: 'kek_in_use',
      kind: 'conflict',
    });
    await keys.rotate();
    await expect(retireKek({ root, keys }, old)).rejects.toMatchObject({ code: 'kek_in_use' });
    await expect(retireKek({ root, keys }, keys.currentKekId())).rejects.toMatchObject({
      code: 'kek_in_use',
    });
    await expect(retireKek({ root, keys }, 'nope')).rejects.toMatchObject({ code: 'kek_not_found' });
    await allReadable(store);
  });

  it('reports a blob it cannot re-wrap, leaves it untouched and re-wraps the rest', async () => {
    const [bad] = [...blobs.keys()];
    const file = blobFile(root, bad!);
    // The header prefix (here one salt byte) is bound into the wrapped key, so this key no longer opens.
    const fh = await open(file, 'r+');
    const salt = Buffer.alloc(1);
    await fh.read(salt, 0, 1, 20);
    await fh.write(Buffer.from([salt[0]! ^ 1]), 0, 1, 20);
    await fh.close();
    const damaged = await readFile(file);

    const result = await rotateKeys({ root, keys });
    expect(result.rewrapped).toBe(2);
    expect(result.failed).toEqual([{ digest: bad, code: 'blob_integrity', reason: expect.any(String) }]);
    expect((await readFile(file)).equals(damaged)).toBe(true);
  });

  it('falls back to the older key slot when the newer one was torn by a crash', async () => {
    await rotateKeys({ root, keys });
    for (const digest of blobs.keys()) {
      const fh = await open(blobFile(root, digest), 'r+');
      // Slot 1 now holds the newer wrapping; tear it.
      await fh.write(randomBytes(SLOT_SIZE / 2), 0, SLOT_SIZE / 2, slotOffset(1));
      await fh.close();
    }
    await allReadable(store);
    // Re-running the rotation repairs them onto the current key.
    expect(await rewrapBlobs({ root, keys })).toMatchObject({ rewrapped: 3, failed: [] });
    await allReadable(store);
  });
});
