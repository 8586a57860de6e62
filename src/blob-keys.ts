import path from 'node:path';
import { createFsObjectStore } from './adapters/blob/fs-object-store.js';
import { openLocalKeyProvider } from './adapters/kms/local-key-provider.js';
import { lockDataDir } from './adapters/local/data-dir-lock.js';
import type { Config } from './config/index.js';
import { hasEncryptedBlobs, type ObjectStore } from './modules/artifacts/index.js';

/**
 * The blob store's key provider (the keyring under the data directory). A new keyring may be created only
 * while no blob exists, so losing the key file can never silently start a second one.
 */
export async function openBlobKeys(config: Readonly<Config>, objects: ObjectStore, allowCreate = true) {
  return openLocalKeyProvider({
    dataDir: config.dataDir,
    masterKey: config.encryption.masterKey,
    allowCreate: allowCreate && !(await hasEncryptedBlobs(objects)),
  });
}

/**
 * What `warden keys` works on, offline: the data directory's lock, held until `close`, its blob objects
 * and its blob keyring.
 * Beside `openBlobKeys`, so that the CLI opens the keyring exactly as the server does.
 */
export async function openKeyAdministration(config: Readonly<Config>) {
  const lock = await lockDataDir(config.dataDir);
  try {
    const objects = createFsObjectStore({ root: path.join(config.dataDir, 'blobs') });
    const keys = await openBlobKeys(config, objects);
    return { objects, keys, close: () => lock.release() };
  } catch (err) {
    await lock.release();
    throw err;
  }
}
