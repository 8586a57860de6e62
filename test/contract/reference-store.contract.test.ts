import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, type SqlDatabase } from '../../src/adapters/sql/db.js';
import type { Stores } from '../../src/adapters/sql/stores.js';
import { createSqlStores } from '../../src/adapters/sql/unit-of-work.js';
import type { ReferenceProfile, ReferenceRecord } from '../../src/modules/monitor/index.js';
import type { ModelRecord, VersionRecord } from '../../src/modules/registry/registry.types.js';
import { databaseFactories, type TestDatabase, type TestDatabaseFactory } from '../fixtures/databases.js';
import { aModel, at, aVersion, sha256, someFiles } from './registry-records.js';

const backends = databaseFactories().map((f): [string, TestDatabaseFactory] => [f.name, f]);

const profileOf = (text: string, rows: number): ReferenceProfile => ({
  datasetDigest: sha256(text),
  format: 'csv',
  rows,
  columns: [
    { name: 'x', role: 'feature', kind: 'numeric', source: { side: 'input', tensor: 'x', index: null } },
  ],
  samples: { x: { kind: 'numeric', count: rows, missing: 1, values: [1.5, 2, -3] } },
});

describe.each(backends)('ReferenceStore contract and blob bookkeeping (%s)', (_name, factory) => {
  let t: TestDatabase;
  let database: SqlDatabase;
  let stores: Stores;
  let model: ModelRecord;
  let version: VersionRecord;

  const record = (text: string, rows: number): ReferenceRecord => ({
    versionId: version.id,
    modelId: model.id,
    version: version.number,
    profile: profileOf(text, rows),
    size: 4 * 1024 ** 3,
    setBy: 'token:abc',
    setByName: 'ci',
    setAt: at(5),
  });

  beforeEach(async () => {
    t = await factory.create();
    database = t.open();
    await migrateToLatest(database.db);
    stores = createSqlStores(database.db, database.capabilities);
    model = aModel();
    await stores.registry.insertModel(model);
    version = aVersion(model, 1);
    await stores.registry.insertVersion(version, someFiles(1, version.id));
  });
  afterEach(async () => {
    await database.close();
    await t.cleanup();
  });

  it('saves, finds and replaces one reference per version, profile intact', async () => {
    expect(await stores.references.find(version.id)).toBeNull();
    await stores.references.save(record('first', 10));
    expect(await stores.references.find(version.id)).toEqual(record('first', 10));
    await stores.references.save(record('second', 20));
    expect(await stores.references.find(version.id)).toEqual(record('second', 20));
  });

  it("counts a live version's reference as a reference to its blob, and not once the version is deleted", async () => {
    const digest = sha256('first');
    expect(await stores.registry.countLiveBlobReferences(digest)).toBe(0);
    await stores.references.save(record('first', 10));
    expect(await stores.registry.countLiveBlobReferences(digest)).toBe(1);
    await stores.references.save(record('second', 10));
    expect(await stores.registry.countLiveBlobReferences(digest)).toBe(0);
    expect(await stores.registry.countLiveBlobReferences(sha256('second'))).toBe(1);
    await stores.registry.markVersionDeleted(version.id, {
      at: at(9),
      by: 'token:abc',
      byName: null,
      reason: 'x',
    });
    expect(await stores.registry.countLiveBlobReferences(sha256('second'))).toBe(0);
  });

  it("lists a version's blobs with its reference dataset, and forgets the reference (its sampled rows) when the version is deleted", async () => {
    await stores.references.save(record('first', 10));
    const files = (await stores.registry.listVersionFiles(version.id)).map((f) => f.digest);
    expect(await stores.registry.listVersionBlobs(version.id)).toEqual(
      [...new Set([...files, sha256('first')])].sort(),
    );
    await stores.registry.markVersionDeleted(version.id, {
      at: at(9),
      by: 'token:abc',
      byName: null,
      reason: 'x',
    });
    expect(await stores.references.find(version.id)).toBeNull();
    expect(await stores.registry.listVersionBlobs(version.id)).toEqual([...new Set(files)].sort());
  });
});
