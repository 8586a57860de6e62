import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditSqlStore } from '../../src/adapters/sql/audit.sql-store.js';
import { migrateToLatest, type SqlDatabase } from '../../src/adapters/sql/db.js';
import {
  type AuditEvent,
  type AuditLog,
  type AuditStore,
  createAuditLog,
  genesisHash,
} from '../../src/modules/audit/index.js';
import type { Clock } from '../../src/platform/clock.js';
import { testSigner } from '../fixtures/audit-signer.js';
import { databaseFactories, type TestDatabase, type TestDatabaseFactory } from '../fixtures/databases.js';

const backends = databaseFactories().map((f): [string, TestDatabaseFactory] => [f.name, f]);

/** A clock that ticks one second per reading, from 2026-01-01T00:00:00Z. */
function tickingClock(): Clock {
  let t = Date.UTC(2026, 0, 1);
  return {
    now: () => {
      t += 1000;
      return new Date(t);
    },
  };
}

const event = (overrides: Partial<AuditEvent> = {}): AuditEvent => ({
  action: 'registry:model:create',
  outcome: 'success',
  principal: 'user:alice',
  resource: 'model:iris',
  requestId: 'req-1',
  clientAddress: '127.0.0.1',
  ...overrides,
});

describe.each(backends)('AuditStore contract (%s)', (_name, factory) => {
  let t: TestDatabase;
  let database: SqlDatabase;
  let store: AuditStore;
  let log: AuditLog;
  const inTransaction = <T>(work: (audit: AuditStore) => Promise<T>) =>
    database.db.transaction().execute((trx) => work(createAuditSqlStore(trx, database.capabilities)));
  const append = (e: Partial<AuditEvent> = {}) => inTransaction((audit) => log.append(audit, event(e)));

  beforeEach(async () => {
    t = await factory.create();
    database = t.open();
    await migrateToLatest(database.db);
    store = createAuditSqlStore(database.db, database.capabilities);
    log = createAuditLog({
      clock: tickingClock(),
      signer: testSigner(),
      origin: 'warden/audit',
      checkpointEvery: 5,
    });
  });
  afterEach(async () => {
    await database.close();
    await t.cleanup();
  });

  it('starts empty, at the genesis head', async () => {
    expect(await store.head()).toEqual({ seq: 0, hash: genesisHash });
    expect(await store.count()).toBe(0);
    expect(await store.listCheckpoints()).toEqual([]);
    expect(await store.latestCheckpoint()).toBeNull();
    expect(await store.list({ limit: 10, order: 'desc' })).toEqual({ items: [], next: null });
  });

  it('appends in order, links each entry to the one before, and moves the head', async () => {
    const a = await append();
    const b = await append({
      action: 'registry:alias:set',
      details: { alias: 'prod', version: 3, forced: false, why: null },
    });
    expect([a.seq, b.seq]).toEqual([1, 2]);
    expect(a.prevHash).toBe(genesisHash);
    expect(b.prevHash).toBe(a.hash);
    expect(await store.head()).toEqual({ seq: 2, hash: b.hash });
    expect(await store.count()).toBe(2);
    // Read back exactly as written, details and all (an entry without details has no details key).
    expect((await store.list({ limit: 10, order: 'asc' })).items).toEqual([a, b]);
    expect('details' in a).toBe(false);
  });

  it('keeps empty details apart from absent details', async () => {
    const withEmpty = await append({ details: {} });
    const [read] = (await store.list({ limit: 1, order: 'asc' })).items;
    expect(read).toEqual(withEmpty);
    expect(read?.details).toEqual({});
  });

  it('keeps a valid chain with no repeated seq under 20 concurrent appends', async () => {
    const written = await Promise.all(
      Array.from({ length: 20 }, (_, i) => append({ requestId: `req-${i}`, resource: `model:m${i}` })),
    );
    expect(written.map((e) => e.seq).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    const entries = [];
    for await (const e of store.scan(1, 7)) entries.push(e);
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const report = await log.verify(entries, await store.listCheckpoints(), {
      head: (await store.head()) ?? undefined,
    });
    expect(report).toMatchObject({ ok: true, entries: 20, checkpoints: 4 });
  });

  it('writes a checkpoint every N entries, on the appending transaction', async () => {
    for (let i = 0; i < 11; i++) await append();
    const cps = await store.listCheckpoints();
    expect(cps.map((c) => c.size)).toEqual([5, 10]);
    const entries = (await store.list({ limit: 20, order: 'asc' })).items;
    expect(cps[1]?.hash).toBe(entries[9]?.hash);
    // The body, then the interval it was signed under (an extension line), then the signature.
    expect(cps[1]?.note).toMatch(
      /^warden\/audit\n10\n[A-Za-z0-9+/]{43}=\ncheckpoint-every 5\n\n\u2014 warden-audit \S+\n$/,
    );
    expect(await store.latestCheckpoint()).toEqual(cps[1]);
  });

  it('signs the current head on demand, once per size', async () => {
    await append();
    await append();
    const cp = await inTransaction((audit) => log.checkpoint(audit));
    expect(cp.size).toBe(2);
    expect(await inTransaction((audit) => log.checkpoint(audit))).toEqual(cp);
    expect(await store.listCheckpoints()).toEqual([cp]);
  });

  it('refuses a second checkpoint of the same size', async () => {
    const cp = { size: 1, hash: genesisHash, note: 'n', at: '2026-01-01T00:00:00.000Z' };
    await store.insertCheckpoint(cp);
    await expect(store.insertCheckpoint({ ...cp, note: 'other' })).rejects.toThrow();
    expect(await store.listCheckpoints()).toEqual([cp]);
  });

  it('refuses an entry whose seq is taken', async () => {
    const a = await append();
    await expect(store.insert({ ...a, id: 'another-id' })).rejects.toThrow();
    expect(await store.count()).toBe(1);
  });

  it('scans from any seq in batches, in seq order', async () => {
    for (let i = 0; i < 12; i++) await append();
    const seqs = async (from: number, batch: number) => {
      const out: number[] = [];
      for await (const e of store.scan(from, batch)) out.push(e.seq);
      return out;
    };
    expect(await seqs(1, 5)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(await seqs(10, 3)).toEqual([10, 11, 12]);
    expect(await seqs(13, 3)).toEqual([]);
    expect(await seqs(1, 12)).toHaveLength(12);
  });

  describe('list', () => {
    beforeEach(async () => {
      // seq:      1        2      3        4      5        6
      // principal alice    bob    alice    bob    alice    (none)
      const principals = ['user:alice', 'user:bob', 'user:alice', 'user:bob', 'user:alice', null];
      for (const [i, principal] of principals.entries()) {
        await append({
          principal,
          action: i % 2 ? 'registry:alias:set' : 'registry:model:create',
          resource: i < 3 ? 'model:iris' : 'model:churn',
          outcome: principal ? 'success' : 'failed',
        });
      }
    });
    const seqs = async (q: Parameters<AuditStore['list']>[0]) =>
      (await store.list(q)).items.map((e) => e.seq);

    it('pages newest first by default, and oldest first when asked', async () => {
      const first = await store.list({ limit: 4, order: 'desc' });
      expect(first.items.map((e) => e.seq)).toEqual([6, 5, 4, 3]);
      expect(first.next).toBe('3');
      const second = await store.list({ limit: 4, order: 'desc', after: 3 });
      expect(second).toMatchObject({ next: null });
      expect(second.items.map((e) => e.seq)).toEqual([2, 1]);
      expect(await seqs({ limit: 4, order: 'asc', after: 2 })).toEqual([3, 4, 5, 6]);
      expect((await store.list({ limit: 6, order: 'asc' })).next).toBeNull();
    });

    it('filters by principal, action and resource, together', async () => {
      expect(await seqs({ limit: 10, order: 'asc', principal: 'user:alice' })).toEqual([1, 3, 5]);
      expect(await seqs({ limit: 10, order: 'asc', action: 'registry:alias:set' })).toEqual([2, 4, 6]);
      expect(await seqs({ limit: 10, order: 'asc', resource: 'model:churn' })).toEqual([4, 5, 6]);
      expect(await seqs({ limit: 10, order: 'asc', principal: 'user:bob', resource: 'model:churn' })).toEqual(
        [4],
      );
      expect(await seqs({ limit: 10, order: 'asc', principal: 'user:nobody' })).toEqual([]);
    });

    it('filters by a time range, since inclusive and until exclusive', async () => {
      const all = (await store.list({ limit: 10, order: 'asc' })).items;
      const at = (seq: number) => all[seq - 1]?.at ?? '';
      expect(await seqs({ limit: 10, order: 'asc', since: at(2), until: at(5) })).toEqual([2, 3, 4]);
      expect(await seqs({ limit: 10, order: 'desc', since: at(5) })).toEqual([6, 5]);
    });

    it('pages through a filtered list without skipping or repeating', async () => {
      const page1 = await store.list({ limit: 2, order: 'desc', principal: 'user:alice' });
      expect(page1.items.map((e) => e.seq)).toEqual([5, 3]);
      const page2 = await store.list({
        limit: 2,
        order: 'desc',
        principal: 'user:alice',
        after: Number(page1.next),
      });
      expect(page2.items.map((e) => e.seq)).toEqual([1]);
      expect(page2.next).toBeNull();
    });
  });

  it('has no way to change or remove an entry', () => {
    const methods = Object.keys(store).sort();
    expect(methods).toEqual(
      [
        'count',
        'head',
        'insert',
        'insertCheckpoint',
        'latestCheckpoint',
        'list',
        'listCheckpoints',
        'lockHead',
        'scan',
        'setHead',
      ].sort(),
    );
  });
});
