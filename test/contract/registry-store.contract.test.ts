import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, type SqlDatabase } from '../../src/adapters/sql/db.js';
import { createSqlStores } from '../../src/adapters/sql/unit-of-work.js';
import type { RegistryStore } from '../../src/modules/registry/registry.ports.js';
import type { ModelRecord, VersionRecord } from '../../src/modules/registry/registry.types.js';
import { databaseFactories, type TestDatabase, type TestDatabaseFactory } from '../fixtures/databases.js';
import {
  aModel,
  anAlias,
  anAliasEvent,
  at,
  aVersion,
  byPath,
  sha256,
  someFiles,
} from './registry-records.js';

const backends = databaseFactories().map((f): [string, TestDatabaseFactory] => [f.name, f]);

describe.each(backends)('RegistryStore contract (%s)', (_name, factory) => {
  let t: TestDatabase;
  let database: SqlDatabase;
  let store: RegistryStore;

  beforeEach(async () => {
    t = await factory.create();
    database = t.open();
    await migrateToLatest(database.db);
    store = createSqlStores(database.db, database.capabilities).registry;
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

  describe('models', () => {
    it('finds an inserted model by name and by id, tags sorted', async () => {
      const m = await insertModel({ name: 'churn', tags: ['vision', 'prod', 'beta'] });
      const expected = { ...m, tags: ['beta', 'prod', 'vision'] };
      expect(await store.findModelByName('churn')).toEqual(expected);
      expect(await store.findModelById(m.id)).toEqual(expected);
    });

    it('returns null for a model that does not exist', async () => {
      await insertModel({ name: 'churn' });
      expect(await store.findModelByName('Churn')).toBeNull();
      expect(await store.findModelById(aModel().id)).toBeNull();
    });

    it('updates the description and replaces the tags', async () => {
      const m = await insertModel({ description: 'old', tags: ['a', 'b'] });
      await store.updateModel(m.id, { description: 'new', tags: ['c', 'a'], updatedAt: at(5) });
      expect(await store.findModelById(m.id)).toEqual({
        ...m,
        description: 'new',
        tags: ['a', 'c'],
        updatedAt: at(5),
      });
    });

    it('keeps what a patch leaves out, and clears tags with an empty list', async () => {
      const m = await insertModel({ description: 'kept', tags: ['a'] });
      await store.updateModel(m.id, { updatedAt: at(6) });
      expect(await store.findModelById(m.id)).toEqual({ ...m, updatedAt: at(6) });
      await store.updateModel(m.id, { tags: [], updatedAt: at(7) });
      expect(await store.findModelById(m.id)).toEqual({ ...m, tags: [], updatedAt: at(7) });
    });

    it('does not touch other models when updating one', async () => {
      const a = await insertModel({ tags: ['x'] });
      const b = await insertModel({ tags: ['x'] });
      await store.updateModel(a.id, { description: 'changed', tags: ['y'], updatedAt: at(9) });
      expect(await store.findModelById(b.id)).toEqual(b);
    });

    it('lists models by name, a page at a time', async () => {
      for (const name of ['delta', 'alpha', 'echo', 'charlie', 'bravo']) await insertModel({ name });
      const p1 = await store.listModels({ limit: 2 });
      expect(p1.items.map((m) => m.name)).toEqual(['alpha', 'bravo']);
      expect(p1.next).toBe('bravo');
      const p2 = await store.listModels({ limit: 2, after: p1.next ?? undefined });
      expect(p2.items.map((m) => m.name)).toEqual(['charlie', 'delta']);
      expect(p2.next).toBe('delta');
      const p3 = await store.listModels({ limit: 2, after: p2.next ?? undefined });
      expect(p3.items.map((m) => m.name)).toEqual(['echo']);
      expect(p3.next).toBeNull();
    });

    it('says there is no next page when the last page is exactly full', async () => {
      for (const name of ['a', 'b']) await insertModel({ name });
      const page = await store.listModels({ limit: 2 });
      expect(page.items).toHaveLength(2);
      expect(page.next).toBeNull();
      expect(await store.listModels({ limit: 2, after: 'b' })).toEqual({ items: [], next: null });
    });

    it('filters the list by tag, with tags on every item', async () => {
      await insertModel({ name: 'a', tags: ['prod', 'cv'] });
      await insertModel({ name: 'b', tags: ['dev'] });
      await insertModel({ name: 'c', tags: ['prod'] });
      await insertModel({ name: 'd', tags: ['prod'] });
      const p1 = await store.listModels({ tag: 'prod', limit: 2 });
      expect(p1.items.map((m) => [m.name, m.tags])).toEqual([
        ['a', ['cv', 'prod']],
        ['c', ['prod']],
      ]);
      expect(p1.next).toBe('c');
      const p2 = await store.listModels({ tag: 'prod', limit: 2, after: 'c' });
      expect(p2.items.map((m) => m.name)).toEqual(['d']);
      expect(p2.next).toBeNull();
      expect(await store.listModels({ tag: 'none', limit: 10 })).toEqual({ items: [], next: null });
    });
  });

  describe('versions', () => {
    it('numbers versions per model, starting at 1', async () => {
      const a = await insertModel();
      const b = await insertModel();
      expect(await store.nextVersionNumber(a.id)).toBe(1);
      await insertVersion(a, 1);
      await insertVersion(a, 2);
      expect(await store.nextVersionNumber(a.id)).toBe(3);
      expect(await store.nextVersionNumber(b.id)).toBe(1);
    });

    it('round-trips every field of a version, sizes past 2^32 as numbers', async () => {
      const m = await insertModel();
      const parent = await insertVersion(m, 1);
      const v = aVersion(m, 2, {
        kind: 'directory',
        format: 'safetensors',
        size: 5_000_000_000,
        fileCount: 2,
        ioSignature: {
          inputs: [{ name: 'x', dtype: 'float32', shape: ['batch', 4, null] }],
          outputs: [{ name: 'y', dtype: 'int64', shape: null }],
          irVersion: 9,
          opsets: [{ domain: '', version: 17 }],
          producer: 'skl2onnx',
        },
        metrics: { accuracy: 0.9731, loss: 1.5e-3, epochs: 12 },
        params: {
          optimizer: { name: 'adam', betas: [0.9, 0.999] },
          layers: [64, 32],
          dropout: null,
          x: true,
        },
        metadata: { framework: 'torch', 'git.branch': 'main', note: 'ünïcode ✓' },
        lineage: {
          datasetDigests: [sha256('train'), sha256('eval')],
          trainingRun: 'run-42',
          parentVersionId: parent.id,
          sourceCommit: 'abc1234',
        },
        createdBy: 'bob',
        createdAt: '2025-03-04T05:06:07.089Z',
      });
      const files = [
        { path: 'weights.bin', digest: sha256('w'), size: 4_999_999_000 },
        { path: 'config.json', digest: sha256('c'), size: 1000 },
      ];
      await store.insertVersion(v, files);

      const byId = await store.findVersionById(v.id);
      expect(byId).toEqual(v);
      expect(typeof byId?.size).toBe('number');
      expect(await store.findVersionByNumber(m.id, 2)).toEqual(v);
      const stored = await store.listVersionFiles(v.id);
      expect(stored.sort(byPath)).toEqual([...files].sort(byPath));
      expect(stored.every((f) => typeof f.size === 'number')).toBe(true);
    });

    it('stores a thousand files in one version', async () => {
      const m = await insertModel();
      const v = aVersion(m, 1, { kind: 'directory', fileCount: 1000 });
      const files = someFiles(1000);
      await store.insertVersion(v, files);
      expect((await store.listVersionFiles(v.id)).sort(byPath)).toEqual(files);
    });

    it('stores a version without files', async () => {
      const m = await insertModel();
      const v = aVersion(m, 1, { fileCount: 0, size: 0 });
      await store.insertVersion(v, []);
      expect(await store.findVersionById(v.id)).toEqual(v);
      expect(await store.listVersionFiles(v.id)).toEqual([]);
    });

    it('returns null for versions that do not exist', async () => {
      const m = await insertModel();
      await insertVersion(m, 1);
      expect(await store.findVersionByNumber(m.id, 2)).toBeNull();
      expect(await store.findVersionByNumber(aModel().id, 1)).toBeNull();
      expect(await store.findVersionById(aModel().id)).toBeNull();
      expect(await store.listVersionFiles(aModel().id)).toEqual([]);
    });

    it('finds versions by digest prefix within one model, at most two', async () => {
      const a = await insertModel();
      const b = await insertModel();
      const d1 = `ab12${sha256('1').slice(4)}`;
      const d2 = `ab34${sha256('2').slice(4)}`;
      const d3 = `ab35${sha256('3').slice(4)}`;
      const d4 = `cd00${sha256('4').slice(4)}`;
      const v1 = await insertVersion(a, 1, { digest: d1 });
      const v2 = await insertVersion(a, 2, { digest: d2 });
      await insertVersion(a, 3, { digest: d4 });
      await insertVersion(b, 1, { digest: d1 });
      await insertVersion(b, 2, { digest: d3 });

      expect(await store.findVersionsByDigestPrefix(a.id, d1)).toEqual([v1]);
      expect(await store.findVersionsByDigestPrefix(a.id, 'ab1')).toEqual([v1]);
      const ambiguous = await store.findVersionsByDigestPrefix(a.id, 'ab');
      expect(ambiguous.map((v) => v.id).sort()).toEqual([v1.id, v2.id].sort());
      expect(await store.findVersionsByDigestPrefix(a.id, 'ab35')).toEqual([]);
      expect(await store.findVersionsByDigestPrefix(a.id, 'ef')).toEqual([]);

      await insertVersion(a, 4, { digest: d3 });
      expect(await store.findVersionsByDigestPrefix(a.id, 'ab')).toHaveLength(2);
      expect(await store.findVersionsByDigestPrefix(b.id, 'cd')).toEqual([]);
    });

    it('lists versions newest first, a page at a time', async () => {
      const m = await insertModel();
      const other = await insertModel();
      for (let n = 1; n <= 5; n++) await insertVersion(m, n);
      await insertVersion(other, 1);
      const p1 = await store.listVersions(m.id, { limit: 2 });
      expect(p1.items.map((v) => v.number)).toEqual([5, 4]);
      expect(p1.next).toBe('4');
      const p2 = await store.listVersions(m.id, { limit: 2, after: p1.next ?? undefined });
      expect(p2.items.map((v) => v.number)).toEqual([3, 2]);
      expect(p2.next).toBe('2');
      const p3 = await store.listVersions(m.id, { limit: 2, after: p2.next ?? undefined });
      expect(p3.items.map((v) => v.number)).toEqual([1]);
      expect(p3.next).toBeNull();
      expect(p3.items[0]).toEqual(await store.findVersionByNumber(m.id, 1));
      expect(await store.listVersions(aModel().id, { limit: 2 })).toEqual({ items: [], next: null });
    });

    it('counts blob references across versions of every model', async () => {
      const a = await insertModel();
      const b = await insertModel();
      const shared = sha256('shared blob');
      await store.insertVersion(aVersion(a, 1), [
        { path: 'w.bin', digest: shared, size: 10 },
        { path: 'copy/w.bin', digest: shared, size: 10 },
        { path: 'other.bin', digest: sha256('other'), size: 3 },
      ]);
      await store.insertVersion(aVersion(a, 2), [{ path: 'w.bin', digest: shared, size: 10 }]);
      await store.insertVersion(aVersion(b, 1), [{ path: 'model.onnx', digest: shared, size: 10 }]);
      expect(await store.countLiveBlobReferences(shared)).toBe(4);
      expect(await store.countLiveBlobReferences(sha256('other'))).toBe(1);
      expect(await store.countLiveBlobReferences(sha256('nothing'))).toBe(0);
    });
  });

  describe('deletion and blob bookkeeping', () => {
    it('turns a version into a tombstone that keeps its record and files but no longer counts as a reference', async () => {
      const m = await insertModel();
      const shared = sha256('shared');
      const v1 = aVersion(m, 1);
      const v2 = aVersion(m, 2);
      await store.insertVersion(v1, [
        { path: 'a.bin', digest: shared, size: 6 },
        { path: 'b.bin', digest: sha256('only v1'), size: 7 },
      ]);
      await store.insertVersion(v2, [{ path: 'a.bin', digest: shared, size: 6 }]);
      const deletion = { at: at(50), by: 'carol', byName: 'Carol', reason: 'trained on revoked data' };
      await store.markVersionDeleted(v1.id, deletion);

      expect(await store.findVersionById(v1.id)).toEqual({ ...v1, deleted: deletion });
      expect(await store.findVersionByNumber(m.id, 1)).toEqual({ ...v1, deleted: deletion });
      expect(await store.findVersionsByDigestPrefix(m.id, v1.digest)).toEqual([{ ...v1, deleted: deletion }]);
      expect((await store.listVersionFiles(v1.id)).map((f) => f.path).sort()).toEqual(['a.bin', 'b.bin']);
      expect(await store.countLiveBlobReferences(shared)).toBe(1);
      expect(await store.countLiveBlobReferences(sha256('only v1'))).toBe(0);
      expect((await store.listVersions(m.id, { limit: 10 })).items.map((v) => v.number)).toEqual([2]);
      const all = await store.listVersions(m.id, { limit: 10, includeDeleted: true });
      expect(all.items.map((v) => [v.number, v.deleted?.by ?? null])).toEqual([
        [2, null],
        [1, 'carol'],
      ]);
      // Numbers are never reused: the tombstone still holds 1.
      await store.markVersionDeleted(v2.id, deletion);
      expect(await store.nextVersionNumber(m.id)).toBe(3);
    });

    it('records collection requests, clears them when a push claims the blob, and forgets destroyed blobs', async () => {
      const [d1, d2, d3] = [sha256('one'), sha256('two'), sha256('three')];
      expect(await store.lockBlob(d1)).toBeNull();
      await store.claimBlobs([d2, d1, d1]);
      expect(await store.lockBlob(d1)).toEqual({ collectRequestedAt: null });
      await store.requestBlobCollection([d1, d3], at(10));
      expect(await store.lockBlob(d1)).toEqual({ collectRequestedAt: at(10) });
      expect(await store.lockBlob(d3)).toEqual({ collectRequestedAt: at(10) });
      expect(await store.listBlobsAwaitingCollection(10)).toEqual([d1, d3].sort());
      expect(await store.listBlobsAwaitingCollection(1)).toEqual([[d1, d3].sort()[0]]);

      await store.claimBlobs([d3]);
      expect(await store.lockBlob(d3)).toEqual({ collectRequestedAt: null });
      await store.settleBlob(d1, 'destroyed');
      expect(await store.lockBlob(d1)).toBeNull();
      await store.requestBlobCollection([d2], at(20));
      await store.settleBlob(d2, 'kept');
      expect(await store.lockBlob(d2)).toEqual({ collectRequestedAt: null });
      expect(await store.listBlobsAwaitingCollection(10)).toEqual([]);
    });
  });

  describe('aliases', () => {
    it('inserts, moves, lists and deletes aliases', async () => {
      const m = await insertModel();
      const other = await insertModel();
      const v1 = await insertVersion(m, 1);
      const v2 = await insertVersion(m, 2);
      const o1 = await insertVersion(other, 1);

      const prod = anAlias(v1, 'prod');
      await store.upsertAlias(prod);
      await store.upsertAlias(anAlias(v1, 'candidate'));
      await store.upsertAlias(anAlias(o1, 'prod'));
      expect(await store.findAlias(m.id, 'prod')).toEqual(prod);

      const moved = anAlias(v2, 'prod', { updatedBy: 'bob', updatedAt: at(30) });
      await store.upsertAlias(moved);
      expect(await store.findAlias(m.id, 'prod')).toEqual(moved);
      expect((await store.listAliases(m.id)).map((a) => [a.name, a.versionId])).toEqual([
        ['candidate', v1.id],
        ['prod', v2.id],
      ]);
      expect(await store.findAlias(other.id, 'prod')).toEqual(anAlias(o1, 'prod'));

      await store.deleteAlias(m.id, 'prod');
      expect(await store.findAlias(m.id, 'prod')).toBeNull();
      expect((await store.listAliases(m.id)).map((a) => a.name)).toEqual(['candidate']);
      expect(await store.findAlias(other.id, 'prod')).not.toBeNull();
      await expect(store.deleteAlias(m.id, 'missing')).resolves.toBeUndefined();
      expect(await store.listAliases(aModel().id)).toEqual([]);
    });

    it('lists alias events newest first, a page at a time', async () => {
      const m = await insertModel();
      const v1 = await insertVersion(m, 1);
      const v2 = await insertVersion(m, 2);
      const events = [
        anAliasEvent(v1, 'prod', { reason: 'first release' }),
        anAliasEvent(v2, 'prod', { fromVersionId: v1.id, actor: 'bob' }),
        anAliasEvent(v1, 'prod', { fromVersionId: v2.id, reason: 'rollback' }),
        anAliasEvent(v1, 'prod', { fromVersionId: v1.id, toVersionId: null, reason: 'retired' }),
      ];
      for (const e of events) await store.insertAliasEvent(e);
      await store.insertAliasEvent(anAliasEvent(v1, 'staging'));
      const newestFirst = [...events].reverse();

      const p1 = await store.listAliasEvents(m.id, 'prod', { limit: 3 });
      expect(p1.items).toEqual(newestFirst.slice(0, 3));
      expect(p1.next).toBe(newestFirst[2]?.id);
      const p2 = await store.listAliasEvents(m.id, 'prod', { limit: 3, after: p1.next ?? undefined });
      expect(p2).toEqual({ items: newestFirst.slice(3), next: null });
      expect(await store.listAliasEvents(m.id, 'none', { limit: 3 })).toEqual({ items: [], next: null });
    });
  });
});
