import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, type SqlDatabase } from '../../src/adapters/sql/db.js';
import { createSqlStores } from '../../src/adapters/sql/unit-of-work.js';
import type { RegistryStore } from '../../src/modules/registry/registry.ports.js';
import type { ModelRecord } from '../../src/modules/registry/registry.types.js';
import { databaseFactories, type TestDatabase, type TestDatabaseFactory } from '../fixtures/databases.js';
import { seedModels } from '../fixtures/registry-seed.js';
import { aModel, anAlias, at, aVersion, someFiles } from './registry-records.js';

const backends = databaseFactories().map((f): [string, TestDatabaseFactory] => [f.name, f]);

/** Every name of the list, walked a page at a time through `next`. */
async function walk(
  store: RegistryStore,
  query: { tag?: string; nameContains?: string; limit: number },
): Promise<{ names: string[]; pages: number }> {
  const names: string[] = [];
  let after: string | undefined;
  let pages = 0;
  for (;;) {
    const page = await store.listModels({ ...query, ...(after ? { after } : {}) });
    pages++;
    names.push(...page.items.map((m) => m.name));
    if (page.next === null) return { names, pages };
    after = page.next;
  }
}

describe.each(backends)('RegistryStore model list (%s)', (_name, factory) => {
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
  const names = async (query: { nameContains?: string; tag?: string }) =>
    (await store.listModels({ ...query, limit: 100 })).items.map((m) => m.name);

  it('filters by a name substring, case-insensitively, with the tag filter and paging', async () => {
    for (const [name, tags] of [
      ['fraud-detector', ['prod']],
      ['churn', ['prod']],
      ['fraud-scorer', []],
      ['anti-fraud', ['prod']],
      ['fraud-v2', ['prod']],
    ] as const)
      await insertModel({ name, tags: [...tags] });
    expect(await names({ nameContains: 'fraud' })).toEqual([
      'anti-fraud',
      'fraud-detector',
      'fraud-scorer',
      'fraud-v2',
    ]);
    expect(await names({ nameContains: 'FrAuD-' })).toEqual(['fraud-detector', 'fraud-scorer', 'fraud-v2']);
    expect(await names({ nameContains: 'fraud', tag: 'prod' })).toEqual([
      'anti-fraud',
      'fraud-detector',
      'fraud-v2',
    ]);
    expect(await names({ nameContains: 'nothing-like-it' })).toEqual([]);
    const p1 = await store.listModels({ nameContains: 'fraud', limit: 2 });
    expect(p1.items.map((m) => m.name)).toEqual(['anti-fraud', 'fraud-detector']);
    expect(p1.next).toBe('fraud-detector');
    const p2 = await store.listModels({ nameContains: 'fraud', limit: 2, after: 'fraud-detector' });
    expect(p2).toMatchObject({ next: null });
    expect(p2.items.map((m) => m.name)).toEqual(['fraud-scorer', 'fraud-v2']);
  });

  it('matches %, _, backslashes and quotes literally, never as wildcards or SQL', async () => {
    // The store takes any name; the service only ever stores slugs. These prove the escaping.
    for (const name of ['a%b', 'a_b', 'axb', "o'brien", 'back\\slash', 'plain']) await insertModel({ name });
    expect(await names({ nameContains: '%' })).toEqual(['a%b']);
    expect(await names({ nameContains: '_' })).toEqual(['a_b']);
    expect(await names({ nameContains: 'a_b' })).toEqual(['a_b']);
    expect(await names({ nameContains: '\\' })).toEqual(['back\\slash']);
    expect(await names({ nameContains: "'" })).toEqual(["o'brien"]);
    expect(await names({ nameContains: "' or '1'='1" })).toEqual([]);
    expect(await names({ nameContains: '"' })).toEqual([]);
    expect(await names({ nameContains: '%%' })).toEqual([]);
  });

  it('summarizes a page of models: the newest live version and each alias with its version', async () => {
    const a = await insertModel({ name: 'a' });
    const b = await insertModel({ name: 'b' });
    const empty = await insertModel({ name: 'c' });
    const a1 = aVersion(a, 1);
    const a2 = aVersion(a, 2);
    const a3 = aVersion(a, 3);
    const b1 = aVersion(b, 1);
    for (const v of [a1, a2, a3, b1]) await store.insertVersion(v, someFiles(1, v.id));
    await store.markVersionDeleted(a3.id, { at: at(20), by: 'alice', byName: 'Alice', reason: 'bad' });
    await store.upsertAlias(anAlias(a2, 'prod'));
    await store.upsertAlias(anAlias(a1, 'canary'));
    await store.upsertAlias(anAlias(b1, 'prod'));
    const summaries = await store.summarizeModels([a.id, b.id, empty.id]);
    expect(Object.fromEntries(summaries)).toEqual({
      [a.id]: {
        latestVersion: 2,
        aliases: [
          { name: 'canary', version: 1 },
          { name: 'prod', version: 2 },
        ],
      },
      [b.id]: { latestVersion: 1, aliases: [{ name: 'prod', version: 1 }] },
      [empty.id]: { latestVersion: null, aliases: [] },
    });
    expect((await store.summarizeModels([])).size).toBe(0);
  });

  it('pages through 10,000 models in name order, whole and filtered, with nothing repeated or missed', async () => {
    const all = await seedModels(database, {
      count: 10_000,
      model: (i) => ({ tags: i % 10 === 0 ? ['tenth'] : [] }),
    });
    const whole = await walk(store, { limit: 500 });
    expect(whole.names).toEqual(all.map((m) => m.name));
    expect(whole.pages).toBe(20);
    const sevens = await walk(store, { nameContains: '7', limit: 97 });
    expect(sevens.names).toEqual(all.map((m) => m.name).filter((n) => n.includes('7')));
    const tenths = await walk(store, { tag: 'tenth', nameContains: '-0', limit: 50 });
    expect(tenths.names).toEqual(
      all.filter((m, i) => i % 10 === 0 && m.name.includes('-0')).map((m) => m.name),
    );
  });
});
