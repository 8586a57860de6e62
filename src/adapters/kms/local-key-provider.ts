import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import path from 'node:path';
import {
  type KekInfo,
  type KeyProvider,
  kekInUse,
  kekNotFound,
  keyRotationUnsupported,
  masterKeyInvalid,
  masterKeyMismatch,
  masterKeyMissing,
  wrappedKeyInvalid,
} from '../../modules/keys/index.js';
import { type Keyring, type KeyringEntry, kekIdOf, readKeyring, writeKeyring } from './local-keyring-file.js';

/** Where the local provider keeps its keyring, relative to the data directory. */
export const keyringPath = (dataDir: string) => path.join(dataDir, 'keys', 'master-keys.json');

export interface LocalKeyProviderOptions {
  dataDir: string;
  /** A KEK given by configuration (base64 of 32 bytes); when set, the keyring file is neither read nor made. */
  masterKey?: string | null;
  /** Whether a missing keyring may be created; pass false when encrypted blobs already exist. */
  allowCreate: boolean;
  now?: () => Date;
}

const NONCE = 12;
const TAG = 16;

/**
 * Key-encryption keys on local disk: `<dataDir>/keys/master-keys.json` (0600, folder 0700), or one key from
 * configuration. A missing keyring is created only when `allowCreate` says no data depends on one.
 */
export async function openLocalKeyProvider(options: LocalKeyProviderOptions): Promise<KeyProvider> {
  const now = options.now ?? (() => new Date());
  const file = keyringPath(options.dataDir);
  const fromConfig = options.masterKey !== undefined && options.masterKey !== null;
  let keyring: Keyring;
  if (fromConfig) {
    keyring = configuredKeyring(options.masterKey as string, now);
  } else {
    const existing = await readKeyring(file);
    if (existing) keyring = existing;
    else if (!options.allowCreate) throw masterKeyMissing(file);
    else {
      keyring = { current: '', entries: [] };
      keyring = withNewKey(keyring, now);
      await writeKeyring(file, keyring);
    }
  }

  const refuseInConfigMode = () => {
    if (fromConfig)
      throw keyRotationUnsupported(
        'the master key comes from configuration (WARDEN_MASTER_KEY); change it there and re-wrap offline',
      );
  };
  const entry = (kekId: string): KeyringEntry | undefined => keyring.entries.find((e) => e.id === kekId);

  return {
    currentKekId: () => keyring.current,

    async wrap(dek, aad) {
      const kek = entry(keyring.current)?.key;
      if (!kek) throw masterKeyMismatch(keyring.current, 'retired');
      const nonce = randomBytes(NONCE);
      const cipher = createCipheriv('aes-256-gcm', kek, nonce, { authTagLength: TAG });
      cipher.setAAD(aad);
      const body = Buffer.concat([cipher.update(dek), cipher.final()]);
      return { kekId: keyring.current, wrapped: Buffer.concat([nonce, body, cipher.getAuthTag()]) };
    },

    async unwrap(kekId, wrapped, aad) {
      const found = entry(kekId);
      if (!found) throw masterKeyMismatch(kekId, 'unknown');
      if (!found.key) throw masterKeyMismatch(kekId, 'retired');
      if (wrapped.length < NONCE + TAG) throw wrappedKeyInvalid(kekId);
      try {
        const decipher = createDecipheriv('aes-256-gcm', found.key, wrapped.subarray(0, NONCE), {
          authTagLength: TAG,
        });
        decipher.setAAD(aad);
        decipher.setAuthTag(wrapped.subarray(wrapped.length - TAG));
        return Buffer.concat([
          decipher.update(wrapped.subarray(NONCE, wrapped.length - TAG)),
          decipher.final(),
        ]);
      } catch {
        throw wrappedKeyInvalid(kekId);
      }
    },

    async rotate() {
      refuseInConfigMode();
      const next = withNewKey(keyring, now);
      await writeKeyring(file, next);
      keyring = next;
      return { kekId: keyring.current };
    },

    async retire(kekId) {
      refuseInConfigMode();
      const found = entry(kekId);
      if (!found) throw kekNotFound(kekId);
      if (kekId === keyring.current) throw kekInUse(kekId, 'it is the current key; rotate first');
      if (!found.key) return;
      const next: Keyring = {
        current: keyring.current,
        entries: keyring.entries.map((e) =>
          e.id === kekId ? { ...e, key: null, retiredAt: now().toISOString() } : e,
        ),
      };
      await writeKeyring(file, next);
      keyring = next;
      found.key.fill(0);
    },

    async listKeks(): Promise<KekInfo[]> {
      return keyring.entries.map((e) => ({
        id: e.id,
        createdAt: e.createdAt,
        current: e.id === keyring.current,
        retired: e.key === null,
      }));
    },
  };
}

function configuredKeyring(value: string, now: () => Date): Keyring {
  const key = Buffer.from(value.trim(), 'base64');
  if (key.length !== 32 || key.toString('base64') !== value.trim())
    throw masterKeyInvalid('configuration (WARDEN_MASTER_KEY)', 'it must be the base64 of exactly 32 bytes');
  const id = kekIdOf(key);
  return { current: id, entries: [{ id, createdAt: now().toISOString(), key, retiredAt: null }] };
}

function withNewKey(keyring: Keyring, now: () => Date): Keyring {
  let key = randomBytes(32);
  // 32-bit ids: a clash among a handful of keys is improbable, but cheap to rule out.
  while (keyring.entries.some((e) => e.id === kekIdOf(key))) key = randomBytes(32);
  const id = kekIdOf(key);
  return {
    current: id,
    entries: [...keyring.entries, { id, createdAt: now().toISOString(), key, retiredAt: null }],
  };
}
