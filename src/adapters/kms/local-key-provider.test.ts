import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keyringPath, openLocalKeyProvider } from './local-key-provider.js';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'warden-kms-'));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

describe('local key provider', () => {
  it('creates a private keyring once and wraps keys bound to their associated data', async () => {
    const keys = await openLocalKeyProvider({ dataDir, allowCreate: true });
    if (process.platform !== 'win32') {
      expect((await stat(keyringPath(dataDir))).mode & 0o777).toBe(0o600);
      expect((await stat(path.dirname(keyringPath(dataDir)))).mode & 0o777).toBe(0o700);
    }
    const dek = randomBytes(32);
    const aad = Buffer.from('digest-a');
    const { kekId, wrapped } = await keys.wrap(dek, aad);
    expect(kekId).toMatch(/^[0-9a-f]{8}$/);
    expect((await keys.unwrap(kekId, wrapped, aad)).equals(dek)).toBe(true);
    await expect(keys.unwrap(kekId, wrapped, Buffer.from('digest-b'))).rejects.toMatchObject({
      code: 'wrapped_key_invalid',
    });
    await expect(keys.unwrap('00000000', wrapped, aad)).rejects.toMatchObject({
      code: 'master_key_mismatch',
    });
    // A second start reads the same keyring rather than making another.
    const again = await openLocalKeyProvider({ dataDir, allowCreate: true });
    expect(again.currentKekId()).toBe(kekId);
  });

  it('refuses to make a keyring when told data depends on one', async () => {
    await expect(openLocalKeyProvider({ dataDir, allowCreate: false })).rejects.toMatchObject({
      code: 'master_key_missing',
    });
  });

  it('rotates to a new current key, keeps the old one until retired, then destroys it', async () => {
    const keys = await openLocalKeyProvider({ dataDir, allowCreate: true });
    const old = keys.currentKekId();
    const dek = randomBytes(32);
    const { wrapped } = await keys.wrap(dek, Buffer.alloc(0));
    const { kekId } = await keys.rotate();
    expect(kekId).not.toBe(old);
    expect((await keys.unwrap(old, wrapped, Buffer.alloc(0))).equals(dek)).toBe(true);
    await expect(keys.retire(kekId)).rejects.toMatchObject({ code: 'kek_in_use' });
    await keys.retire(old);
    await keys.retire(old);
    await expect(keys.unwrap(old, wrapped, Buffer.alloc(0))).rejects.toMatchObject({
      code: 'master_key_mismatch',
      details: { reason: 'retired' },
    });
    const reopened = await openLocalKeyProvider({ dataDir, allowCreate: false });
    expect((await reopened.listKeks()).map((k) => [k.id, k.current, k.retired])).toEqual([
      [old, false, true],
      [kekId, true, false],
    ]);
  });
});
