import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, type SqlDatabase } from '../../src/adapters/sql/db.js';
import { createSqlUnitOfWork } from '../../src/adapters/sql/unit-of-work.js';
import type { BlobStore } from '../../src/modules/artifacts/index.js';
import { type BlobCollector, createBlobCollector } from '../../src/modules/artifacts/index.js';
import type { UnitOfWork } from '../../src/modules/registry/registry.ports.js';
import { createLogger } from '../../src/platform/logger.js';
import { blobBackends, blobFile, storeBlob, type TempDirs, tempDirs } from '../encryption/blob-helpers.js';
import { databaseFactories, type TestDatabase, type TestDatabaseFactory } from '../fixtures/databases.js';
import { aModel, at, aVersion } from './registry-records.js';

const encrypted = blobBackends.find((b) => b.name.includes('encrypted'));
const backends = databaseFactories().map((f): [string, TestDatabaseFactory] => [f.name, f]);

describe.each(backends)('blob collector (%s)', (_name, factory) => {
  let t: TestDatabase;
  let database: SqlDatabase;
  let dirs: TempDirs;
  let root: string;
  let blobs: BlobStore;
  let uow: UnitOfWork;
  let collector: BlobCollector;

  beforeEach(async () => {
    t = await factory.create();
    database = t.open();
    await migrateToLatest(database.db);
    uow = createSqlUnitOfWork(database.db, database.capabilities);
    dirs = tempDirs();
    root = await dirs.make('warden-collector-');
    if (!encrypted) throw new Error('no encrypted blob backend');
    blobs = await encrypted.open(root, dirs);
    collector = createBlobCollector({ uow, blobs, logger: createLogger({ level: 'silent' }) });
  });
  afterEach(async () => {
    await database.close();
    await t.cleanup();
    await dirs.cleanup();
  });

  /** Publishes a live version of a fresh model whose one file is `digest`, as a push's transaction does. */
  const publish = (digest: string, during?: () => Promise<void>) =>
    uow.run(async ({ registry }) => {
      await registry.claimBlobs([digest]);
      await during?.();
      const model = aModel();
      await registry.insertModel(model);
      await registry.insertVersion(aVersion(model, 1), [{ path: 'w.bin', digest, size: 1 }]);
    });
  const request = (digests: string[]) =>
    uow.run(({ registry }) => registry.requestBlobCollection(digests, at(1)));

  it('destroys a requested blob no live version names, and forgets it', async () => {
    const digest = await storeBlob(blobs, Buffer.from('orphan'));
    await request([digest]);
    expect(await collector.collect([digest])).toEqual({ destroyed: [digest], kept: [], failed: [] });
    expect(existsSync(blobFile(root, digest))).toBe(false);
    expect(await blobs.stat(digest)).toBeNull();
    expect(await uow.run(({ registry }) => registry.lockBlob(digest))).toBeNull();
  });

  it('keeps a blob a live version names, and clears the request', async () => {
    const digest = await storeBlob(blobs, Buffer.from('in use'));
    await publish(digest);
    await request([digest]);
    expect(await collector.collect([digest])).toEqual({ destroyed: [], kept: [digest], failed: [] });
    expect((await blobs.stat(digest))?.size).toBe(6);
    expect(await uow.run(({ registry }) => registry.listBlobsAwaitingCollection(10))).toEqual([]);
  });

  it('never destroys a blob under a version being published: the collector waits for the claim to settle', async () => {
    const digest = await storeBlob(blobs, Buffer.from('being pushed again'));
    await request([digest]);
    let claimed!: () => void;
    const claimedNow = new Promise<void>((resolve) => {
      claimed = resolve;
    });
    const publishing = publish(digest, async () => {
      claimed();
      // Hold the claim while the collector starts: it must wait for this transaction to end.
      await new Promise((resolve) => setTimeout(resolve, 200));
    });
    await claimedNow;
    const collecting = collector.collect([digest]);
    await publishing;
    expect(await collecting).toEqual({ destroyed: [], kept: [digest], failed: [] });
    expect((await blobs.stat(digest))?.size).toBe(18);
  });

  it('leaves a blob whose destruction fails marked, and finishes it on a later pass', async () => {
    const good = await storeBlob(blobs, Buffer.from('goes'));
    const stuck = await storeBlob(blobs, Buffer.from('stuck'));
    await request([good, stuck]);
    // A directory where the blob's file should be: overwriting its key slot fails.
    const file = blobFile(root, stuck);
    await rename(file, `${file}.aside`);
    await mkdir(file);
    expect(await collector.collectPending()).toEqual({ destroyed: [good], kept: [], failed: [stuck] });
    expect(await uow.run(({ registry }) => registry.listBlobsAwaitingCollection(10))).toEqual([stuck]);

    await rm(file, { recursive: true });
    await rename(`${file}.aside`, file);
    expect(await collector.collectPending()).toEqual({ destroyed: [stuck], kept: [], failed: [] });
    expect(existsSync(file)).toBe(false);
  });

  it('release marks and collects in one call, keeping what is still named', async () => {
    const named = await storeBlob(blobs, Buffer.from('named'));
    const loose = await storeBlob(blobs, Buffer.from('loose'));
    await publish(named);
    const result = await collector.release([loose, named], at(2));
    expect(result).toEqual({ destroyed: [loose], kept: [named], failed: [] });
  });
});
