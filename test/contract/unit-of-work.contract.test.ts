import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isUniqueViolation, migrateToLatest, type SqlDatabase } from '../../src/adapters/sql/db.js';
import { createSqlStores, createSqlUnitOfWork } from '../../src/adapters/sql/unit-of-work.js';
import type { RegistryStore, UnitOfWork } from '../../src/modules/registry/registry.ports.js';
import type { ModelRecord, VersionRecord } from '../../src/modules/registry/registry.types.js';
import { databaseFactories, type TestDatabase, type TestDatabaseFactory } from '../fixtures/databases.js';
import { aModel, anAlias, aVersion, sha256, someFiles } from './registry-records.js';

const backends = databaseFactories().map((f): [string, TestDatabaseFactory] => [f.name, f]);

describe.each(backends)('UnitOfWork contract (%s)', (_name, factory) => {
  let t: TestDatabase;
  let database: SqlDatabase;
  let store: RegistryStore;
  let uow: UnitOfWork;

  beforeEach(async () => {
    t = await factory.create();
    database = t.open();
    await migrateToLatest(database.db);
    store = createSqlStores(database.db, database.capabilities).registry;
    uow = createSqlUnitOfWork(database.db, database.capabilities);
  });
  afterEach(async () => {
    await database.close();
    await t.cleanup();
  });

  const insertModel = async (overrides: Partial<ModelRecord> = {}): Promise<ModelRecord> => {
    const m = aModel(overrides);
    await store.insertModel(m);
    return m;
  };
  const insertVersion = async (
    model: ModelRecord,
    number: number,
    overrides: Partial<VersionRecord> = {},
  ): Promise<VersionRecord> => {
    const v = aVersion(model, number, overrides);
    await store.insertVersion(v, someFiles(1, v.id));
    return v;
  };

  it('commits what the work wrote and returns its result', async () => {
    const m = aModel({ tags: ['t'] });
    const v = aVersion(m, 1);
    const result = await uow.run(async ({ registry }) => {
      await registry.insertModel(m);
      await registry.lockModel(m.id);
      await registry.insertVersion(v, someFiles(3));
      expect(await registry.findVersionById(v.id)).toEqual(v);
      return 'done';
    });
    expect(result).toBe('done');
    expect(await store.findModelById(m.id)).toEqual(m);
    expect(await store.findVersionById(v.id)).toEqual(v);
    expect(await store.listVersionFiles(v.id)).toHaveLength(3);
  });

  it('rolls back everything written when the work throws', async () => {
    const m = aModel({ tags: ['t'] });
    const v = aVersion(m, 1);
    const files = someFiles(250);
    await expect(
      uow.run(async ({ registry }) => {
        await registry.insertModel(m);
        await registry.insertVersion(v, files);
        await registry.upsertAlias(anAlias(v, 'prod'));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.findModelById(m.id)).toBeNull();
    expect(await store.findModelByName(m.name)).toBeNull();
    expect(await store.findVersionById(v.id)).toBeNull();
    expect(await store.listVersionFiles(v.id)).toEqual([]);
    expect(await store.countLiveBlobReferences(files[0]?.digest ?? '')).toBe(0);
    expect(await store.listModels({ tag: 't', limit: 10 })).toEqual({ items: [], next: null });
  });

  it('rolls back a version whose files break a constraint part way', async () => {
    const m = await insertModel();
    const v = aVersion(m, 1);
    const files = [...someFiles(300), { path: 'f/00299.bin', digest: sha256('dup'), size: 1 }];
    const err = await uow.run(({ registry }) => registry.insertVersion(v, files)).catch((e: unknown) => e);
    expect(isUniqueViolation(err)).toBe(true);
    expect(await store.findVersionById(v.id)).toBeNull();
    expect(await store.listVersionFiles(v.id)).toEqual([]);
  });

  it('rejects a second model with the same name and keeps the first intact', async () => {
    const first = await insertModel({ name: 'churn', tags: ['a'] });
    const dup = aModel({ name: 'churn', tags: ['b'] });
    const err = await uow.run(({ registry }) => registry.insertModel(dup)).catch((e: unknown) => e);
    expect(isUniqueViolation(err)).toBe(true);
    expect(await store.findModelById(dup.id)).toBeNull();
    expect(await store.findModelByName('churn')).toEqual(first);
    expect(await store.listModels({ tag: 'b', limit: 10 })).toEqual({ items: [], next: null });
  });

  it('rejects a second version with the same number, leaving no trace of it', async () => {
    const m = await insertModel();
    const v1 = await insertVersion(m, 1);
    const dup = aVersion(m, 1, { digest: sha256('different') });
    const err = await uow
      .run(({ registry }) => registry.insertVersion(dup, someFiles(2, 'dup')))
      .catch((e: unknown) => e);
    expect(isUniqueViolation(err)).toBe(true);
    expect(await store.findVersionById(dup.id)).toBeNull();
    expect(await store.listVersionFiles(dup.id)).toEqual([]);
    expect(await store.findVersionByNumber(m.id, 1)).toEqual(v1);
  });

  it('rejects a second version with the same digest in one model, but not across models', async () => {
    const m = await insertModel();
    const other = await insertModel();
    const v1 = await insertVersion(m, 1);
    const dup = aVersion(m, 2, { digest: v1.digest });
    const err = await uow
      .run(({ registry }) => registry.insertVersion(dup, someFiles(2, 'dup')))
      .catch((e: unknown) => e);
    expect(isUniqueViolation(err)).toBe(true);
    expect(await store.findVersionById(dup.id)).toBeNull();
    expect(await store.nextVersionNumber(m.id)).toBe(2);
    await expect(insertVersion(other, 1, { digest: v1.digest })).resolves.toBeDefined();
  });

  it('gives concurrent writers of one model distinct version numbers', async () => {
    const m = await insertModel();
    const push = (label: string) =>
      uow.run(async ({ registry }) => {
        await registry.lockModel(m.id);
        const number = await registry.nextVersionNumber(m.id);
        await registry.insertVersion(aVersion(m, number, { digest: sha256(label) }), someFiles(2, label));
        return number;
      });
    const numbers = await Promise.all([push('a'), push('b')]);
    expect(numbers.sort()).toEqual([1, 2]);
    const more = await Promise.all(['c', 'd', 'e', 'f'].map(push));
    expect(more.sort()).toEqual([3, 4, 5, 6]);
    expect((await store.listVersions(m.id, { limit: 10 })).items.map((v) => v.number)).toEqual([
      6, 5, 4, 3, 2, 1,
    ]);
  });
});
