import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  encryptLegacyBlobs,
  encryptLegacyBlobsOnce,
  LEGACY_DONE_MARKER,
} from '../../src/adapters/blob/legacy-plaintext-migration.js';
import { keyringPath, openLocalKeyProvider } from '../../src/adapters/kms/local-key-provider.js';
import { loadConfig } from '../../src/config/index.js';
import { createContainer } from '../../src/container.js';
import { buildApp } from '../../src/http/build-app.js';
import { encryptedFileSize, MAGIC } from '../../src/modules/artifacts/envelope-format.js';
import type { BlobStore } from '../../src/modules/artifacts/index.js';
import type { KeyProvider } from '../../src/modules/keys/index.js';
import { createLogger } from '../../src/platform/logger.js';
import { sqliteFactory } from '../fixtures/databases.js';
import { createEncryptedFsBlobStore, hasStoredBlobs } from '../fixtures/fs-blob-stores.js';
import { createModel, push } from '../fixtures/http-helpers.js';
import { createTestApp } from '../fixtures/test-app.js';
import { blobFile, filesUnder, MiB, readVerified, sha256, storeBlob, tempDirs } from './blob-helpers.js';

const MARKER = Buffer.from('LEGACY-PLAINTEXT-MARKER');

/** Plaintext bytes that carry MARKER at the start, across the chunk boundaries and at the end. */
function legacyBytes(size: number): Buffer {
  const data = randomBytes(size);
  if (size < MARKER.length) return data;
  for (const at of [0, MiB - 5, 2 * MiB - 5, size - MARKER.length])
    if (at >= 0 && at + MARKER.length <= size) MARKER.copy(data, at);
  return data;
}

/** Writes `data` where a Warden release before encryption kept it: plaintext, under its own digest. */
async function writeLegacy(root: string, data: Buffer, name = sha256(data)): Promise<string> {
  await mkdir(join(root, 'sha256', name.slice(0, 2)), { recursive: true });
  await writeFile(blobFile(root, name), data);
  return name;
}

/** Every file under `root` with the SHA-256 of its bytes (cheaper to compare than the bytes). */
const snapshot = async (root: string) =>
  new Map(
    await Promise.all((await filesUnder(root)).map(async (f) => [f, sha256(await readFile(f))] as const)),
  );

describe('legacy plaintext blobs are encrypted in place at start-up', () => {
  const dirs = tempDirs();
  let root: string;
  let dataDir: string;
  let keys: KeyProvider;
  let store: BlobStore;

  beforeEach(async () => {
    root = await dirs.make('warden-legacy-blobs-');
    dataDir = await dirs.make('warden-legacy-data-');
  });
  afterEach(() => dirs.cleanup());

  /** Opens keys and store the way start-up does. */
  async function start() {
    keys = await openLocalKeyProvider({ dataDir, allowCreate: !(await hasStoredBlobs(root)) });
    store = createEncryptedFsBlobStore({ root, keys });
  }

  it('encrypts every plaintext blob, multi-chunk ones too; they read back identically and no plaintext is left', async () => {
    const legacy = new Map<string, Buffer>();
    for (const size of [0, 11, 2 * MiB, 3 * MiB + 7]) {
      const data = legacyBytes(size);
      legacy.set(await writeLegacy(root, data), data);
    }
    // Only plaintext blobs: no key was ever needed, so a new keyring may be made.
    expect(await hasStoredBlobs(root)).toBe(false);
    await start();
    const already = randomBytes(1000);
    const alreadyDigest = await storeBlob(store, already);
    const alreadyBytes = await readFile(blobFile(root, alreadyDigest));

    expect(await encryptLegacyBlobs({ root, keys })).toEqual({ encrypted: 4, skipped: [] });

    for (const [digest, data] of legacy) {
      const file = await readFile(blobFile(root, digest));
      expect(file.subarray(0, MAGIC.length).equals(MAGIC)).toBe(true);
      expect(file.length).toBe(encryptedFileSize(data.length, MiB));
      const { emitted, error } = await readVerified(store, digest);
      expect(error).toBeNull();
      expect(emitted.equals(data)).toBe(true);
      await expect(store.verify(digest)).resolves.toEqual({ digest, size: data.length });
    }
    // The blob that was already encrypted is left byte for byte.
    expect((await readFile(blobFile(root, alreadyDigest))).equals(alreadyBytes)).toBe(true);
    // Nothing of the plaintext is left in the tree, and the work folder in .staging is gone.
    const files = await filesUnder(root);
    expect(files.sort()).toEqual([...legacy.keys(), alreadyDigest].map((d) => blobFile(root, d)).sort());
    for (const file of files) expect((await readFile(file)).includes(MARKER)).toBe(false);
    expect(await readdir(join(root, '.staging'))).toEqual([]);
    expect(await hasStoredBlobs(root)).toBe(true);
    // A fresh process (keyring now required) reads them too.
    const reopened = createEncryptedFsBlobStore({
      root,
      keys: await openLocalKeyProvider({ dataDir, allowCreate: false }),
    });
    for (const [digest, data] of legacy)
      expect((await readVerified(reopened, digest)).emitted.equals(data)).toBe(true);
  });

  it('leaves a file whose bytes do not match its name untouched, and reports it', async () => {
    const good = legacyBytes(500);
    const goodDigest = await writeLegacy(root, good);
    const wrongName = sha256(Buffer.from('something else'));
    const misplaced = legacyBytes(2 * MiB + 1);
    await writeLegacy(root, misplaced, wrongName);
    // A plaintext blob with one flipped byte (bit rot on the old store) is no better.
    const rotten = legacyBytes(700);
    const rottenDigest = sha256(rotten);
    rotten[300] = rotten[300]! ^ 1;
    await writeLegacy(root, rotten, rottenDigest);
    await start();

    const result = await encryptLegacyBlobs({ root, keys });
    expect(result.encrypted).toBe(1);
    expect(result.skipped).toEqual(
      [
        { digest: wrongName, reason: 'digest_mismatch' },
        { digest: rottenDigest, reason: 'digest_mismatch' },
      ].sort((a, b) => a.digest.localeCompare(b.digest)),
    );
    expect((await readFile(blobFile(root, wrongName))).equals(misplaced)).toBe(true);
    expect((await readFile(blobFile(root, rottenDigest))).equals(rotten)).toBe(true);
    expect((await readVerified(store, goodDigest)).emitted.equals(good)).toBe(true);
    // Reads of the skipped ones still fail as before: nothing was given a name it does not hash to.
    expect((await readVerified(store, wrongName)).error).toMatchObject({ code: 'blob_integrity' });
    expect(await readdir(join(root, '.staging'))).toEqual([]);
  });

  it('reports an encrypted blob with a damaged header without touching it', async () => {
    await start();
    const digest = await storeBlob(store, randomBytes(3000));
    const file = blobFile(root, digest);
    const bytes = await readFile(file);
    bytes[30] = bytes[30]! ^ 1; // the digest field: no key slot's checksum holds any more
    await writeFile(file, bytes);

    expect(await encryptLegacyBlobs({ root, keys })).toEqual({
      encrypted: 0,
      skipped: [{ digest, reason: 'damaged_header' }],
    });
    expect((await readFile(file)).equals(bytes)).toBe(true);
  });

  it('is a no-op the second time, and finishes an interrupted run', async () => {
    const legacy = new Map<string, Buffer>();
    for (const size of [5, 1500, MiB + 3]) {
      const data = legacyBytes(size);
      legacy.set(await writeLegacy(root, data), data);
    }
    await start();
    // An interrupted run: one blob done, the others still plaintext, a half-written temporary left behind.
    const [firstDigest] = legacy.keys();
    const partial = join(root, '.staging', 'crashed-run');
    await mkdir(partial, { recursive: true });
    await writeFile(join(partial, 'x.part'), randomBytes(4096));
    await rm(blobFile(root, firstDigest!));
    await storeBlob(store, legacy.get(firstDigest!)!);
    expect(await store.sweepStaging()).toBe(1);

    expect(await encryptLegacyBlobs({ root, keys })).toEqual({ encrypted: 2, skipped: [] });
    const after = await snapshot(root);
    expect(await encryptLegacyBlobs({ root, keys })).toEqual({ encrypted: 0, skipped: [] });
    expect(await snapshot(root)).toEqual(after);
    for (const [digest, data] of legacy)
      expect((await readVerified(store, digest)).emitted.equals(data)).toBe(true);
  });

  it('runs at start-up until a pass leaves nothing behind, then not again unless its marker is removed', async () => {
    const good = legacyBytes(2048);
    const bad = legacyBytes(100);
    await writeLegacy(root, good);
    const badName = await writeLegacy(root, bad, sha256(Buffer.from('another content')));
    await start();
    const marker = join(root, LEGACY_DONE_MARKER);

    // A pass that skipped a blob leaves no marker: the blob is reported again at the next start.
    expect(await encryptLegacyBlobsOnce({ root, keys })).toMatchObject({
      encrypted: 1,
      skipped: [{ digest: badName }],
    });
    await expect(stat(marker)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await encryptLegacyBlobsOnce({ root, keys })).skipped).toHaveLength(1);

    // Once dealt with, the next pass is clean and writes the marker; later starts read no blob.
    await rm(blobFile(root, badName));
    expect(await encryptLegacyBlobsOnce({ root, keys })).toEqual({ encrypted: 0, skipped: [] });
    expect((await stat(marker)).isFile()).toBe(true);
    const late = legacyBytes(300);
    const lateName = await writeLegacy(root, late);
    expect(await encryptLegacyBlobsOnce({ root, keys })).toEqual({ encrypted: 0, skipped: [] });
    expect((await readFile(blobFile(root, lateName))).equals(late)).toBe(true);

    // Removing the marker (say, after restoring blob files from an old backup) asks for a new pass.
    await rm(marker);
    expect(await encryptLegacyBlobsOnce({ root, keys })).toEqual({ encrypted: 1, skipped: [] });
    expect((await readVerified(store, lateName)).emitted.equals(late)).toBe(true);
  });

  it('reports a blob it cannot migrate with the error, leaves it as it was, and goes on', async () => {
    const data = legacyBytes(900);
    const digest = await writeLegacy(root, data);
    await start();
    // The staging area is not a folder, so no temporary file can be made.
    await writeFile(join(root, '.staging'), 'in the way');

    expect(await encryptLegacyBlobs({ root, keys })).toEqual({
      encrypted: 0,
      skipped: [{ digest, reason: 'failed', code: expect.stringMatching(/^E[A-Z]+$/) }],
    });
    expect((await readFile(blobFile(root, digest))).equals(data)).toBe(true);
    await rm(join(root, '.staging'));
    expect(await encryptLegacyBlobs({ root, keys })).toEqual({ encrypted: 1, skipped: [] });
    expect((await readVerified(store, digest)).emitted.equals(data)).toBe(true);
  });

  it('encrypts plaintext that happens to start with "WDNE" (an encrypted blob file stored as an artifact)', async () => {
    await start();
    const inner = await storeBlob(store, randomBytes(100));
    const artifact = await readFile(blobFile(root, inner));
    await rm(blobFile(root, inner));
    const digest = await writeLegacy(root, artifact);

    expect(await encryptLegacyBlobs({ root, keys })).toEqual({ encrypted: 1, skipped: [] });
    expect((await readVerified(store, digest)).emitted.equals(artifact)).toBe(true);
  });

  it('ignores names that are not blobs, and reports a blob name that is not a regular file', async () => {
    const data = legacyBytes(64);
    const digest = sha256(data);
    const strays = [
      join(root, 'sha256', 'README'),
      join(root, 'sha256', 'zz', digest.slice(2)),
      join(root, 'sha256', digest.slice(0, 2), digest.slice(2, 40)),
      join(root, 'sha256', digest.slice(0, 2), digest.slice(2).toUpperCase()),
      join(root, 'sha256', digest.slice(0, 3), digest.slice(3)),
      join(root, 'sha256', digest.slice(0, 2), `${digest.slice(2)}.part`),
    ];
    for (const file of strays) {
      await mkdir(join(file, '..'), { recursive: true });
      await writeFile(file, data);
    }
    const dirName = sha256(Buffer.from('a directory'));
    await mkdir(blobFile(root, dirName), { recursive: true });
    const expected = [{ digest: dirName, reason: 'not_a_file' }];
    if (process.platform !== 'win32') {
      const target = join(root, 'elsewhere');
      await writeFile(target, data);
      await mkdir(join(root, 'sha256', digest.slice(0, 2)), { recursive: true });
      await symlink(target, blobFile(root, digest));
      expected.push({ digest, reason: 'not_a_file' });
    }
    const before = await snapshot(root);
    await start();

    const result = await encryptLegacyBlobs({ root, keys });
    expect(result.encrypted).toBe(0);
    expect(result.skipped).toEqual(expected.sort((a, b) => a.digest.localeCompare(b.digest)));
    expect(await snapshot(root)).toEqual(before);
  });
});

describe('upgrading a data directory written before encryption', () => {
  it('encrypts its blobs at start-up; a version pushed before downloads after the restart', async () => {
    // A data directory that outlives the app: createTestApp must not remove it on close.
    const db = await sqliteFactory().create();
    const factory = { name: 'sqlite' as const, create: async () => ({ ...db, cleanup: async () => {} }) };
    const secret = legacyBytes(MiB + 4321);
    try {
      const first = await createTestApp({ factory });
      await createModel(first, 'legacy');
      await push(first, 'legacy', { kind: 'file' }, [{ path: 'w.bin', content: secret }]);
      const adminToken = first.adminToken;
      await first.close();

      // Turn it into what an older Warden left: every blob in plaintext, and no keyring.
      const blobRoot = join(db.dataDir, 'blobs');
      const old = createEncryptedFsBlobStore({
        root: blobRoot,
        keys: await openLocalKeyProvider({ dataDir: db.dataDir, allowCreate: false }),
      });
      const plain = new Map<string, Buffer>();
      for (const file of await filesUnder(join(blobRoot, 'sha256'))) {
        const digest = file.split(/[\\/]/).slice(-2).join('');
        const { emitted, error } = await readVerified(old, digest);
        expect(error).toBeNull();
        await writeFile(file, emitted);
        plain.set(digest, emitted);
      }
      expect(plain.get(sha256(secret))?.equals(secret)).toBe(true);
      await rm(join(db.dataDir, 'keys'), { recursive: true });
      // An older Warden never wrote the marker of a finished pass.
      await rm(join(blobRoot, LEGACY_DONE_MARKER));
      expect(await hasStoredBlobs(blobRoot)).toBe(false);

      // Restart, capturing the log.
      let log = '';
      const destination = new Writable({
        write(chunk, _encoding, done) {
          log += String(chunk);
          done();
        },
      });
      const config = loadConfig({ env: {}, flags: { dataDir: db.dataDir, logLevel: 'info', port: 0 } });
      const container = await createContainer(config, createLogger({ level: 'info', destination }));
      const app = await buildApp({ ...container, version: 'test' });
      try {
        await app.ready();
        const res = await app.inject({
          method: 'GET',
          url: '/api/v1/models/legacy/versions/1/files/w.bin',
          headers: { authorization: `Bearer ${adminToken}` },
        });
        expect(res.statusCode, res.body).toBe(200);
        expect(res.rawPayload.equals(secret)).toBe(true);
      } finally {
        await app.close();
        await container.close();
      }

      const events = log
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(events.find((e) => e.event === 'blobs.encrypted_legacy')).toMatchObject({
        level: 30,
        count: plain.size,
      });
      expect(events.filter((e) => e.event === 'blobs.legacy_skipped')).toEqual([]);
      // No key material and no plaintext in the log.
      const keyring = JSON.parse(await readFile(keyringPath(db.dataDir), 'utf8')) as {
        keys: { key: string }[];
      };
      for (const { key } of keyring.keys) expect(log).not.toContain(key);
      expect(log).not.toContain(MARKER.toString());
      // Every blob is now encrypted, and no plaintext is left in the data directory's blobs.
      for (const digest of plain.keys()) {
        const file = await readFile(blobFile(blobRoot, digest));
        expect(file.subarray(0, MAGIC.length).equals(MAGIC)).toBe(true);
      }
      for (const file of await filesUnder(blobRoot))
        expect((await readFile(file)).includes(MARKER)).toBe(false);
      expect((await stat(keyringPath(db.dataDir))).isFile()).toBe(true);
    } finally {
      await db.cleanup();
    }
  });
});
