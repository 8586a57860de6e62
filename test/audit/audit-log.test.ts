import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditSqlStore } from '../../src/adapters/sql/audit.sql-store.js';
import { migrateToLatest, type SqlDatabase } from '../../src/adapters/sql/db.js';
import { createRegistrySqlStore } from '../../src/adapters/sql/registry.sql-store.js';
import {
  type AuditEntry,
  type AuditEvent,
  type AuditLog,
  type AuditQueryService,
  type AuditStore,
  createAuditLog,
  createAuditQueryService,
  entryHash,
} from '../../src/modules/audit/index.js';
import { aModel } from '../contract/registry-records.js';
import { testSigner } from '../fixtures/audit-signer.js';
import { databaseFactories, type TestDatabase, type TestDatabaseFactory } from '../fixtures/databases.js';

const backends = databaseFactories().map((f): [string, TestDatabaseFactory] => [f.name, f]);

const event = (i: number): AuditEvent => ({
  action: 'registry:model:create',
  outcome: 'success',
  principal: `user:u${i % 3}`,
  resource: `model:m${i}`,
  requestId: `req-${i}`,
  clientAddress: '10.0.0.1',
  details: { index: i },
});

describe.each(backends)('audit log on %s', (_name, factory) => {
  let t: TestDatabase;
  let database: SqlDatabase;
  let store: AuditStore;
  let log: AuditLog;
  let audit: AuditQueryService;
  let signer: ReturnType<typeof testSigner>;
  const run = <T>(work: (a: AuditStore) => Promise<T>) =>
    database.db.transaction().execute((trx) => work(createAuditSqlStore(trx, database.capabilities)));
  const exec = (query: ReturnType<typeof sql>) => query.execute(database.db);
  const entry = async (seq: number): Promise<AuditEntry> => {
    const found = (await store.list({ limit: 1, order: 'asc', after: seq - 1 })).items[0];
    if (found?.seq !== seq) throw new Error(`no entry ${seq}`);
    return found;
  };

  beforeEach(async () => {
    t = await factory.create();
    database = t.open();
    await migrateToLatest(database.db);
    store = createAuditSqlStore(database.db, database.capabilities);
    signer = testSigner();
    log = createAuditLog({
      clock: { now: () => new Date() },
      signer,
      origin: 'warden/audit',
      checkpointEvery: 5,
    });
    audit = createAuditQueryService({
      read: store,
      uow: { run: (work) => run((audit) => work({ audit })) },
      log,
    });
    // 15 entries; checkpoints at 5, 10 and 15.
    for (let i = 1; i <= 15; i++) await run((a) => log.append(a, event(i)));
  });
  afterEach(async () => {
    await database.close();
    await t.cleanup();
  });

  it('verifies an untouched log', async () => {
    expect(await audit.verify()).toMatchObject({
      ok: true,
      entries: 15,
      checkpoints: 3,
      firstBad: null,
      checkpointProblems: [],
    });
  });

  describe('names the first bad entry when someone with database access', () => {
    it('alters a field', async () => {
      await exec(sql`update audit_entries set principal = 'user:mallory' where seq = 7`);
      expect(await audit.verify()).toMatchObject({
        ok: false,
        firstBad: { seq: 7, reason: 'hash_mismatch' },
      });
    });

    it('alters details', async () => {
      await exec(sql`update audit_entries set details = '{"index":70}' where seq = 7`);
      expect((await audit.verify()).firstBad).toMatchObject({ seq: 7, reason: 'hash_mismatch' });
    });

    it('alters a field and recomputes that entry’s hash', async () => {
      const e = await entry(7);
      const forged = { ...e, outcome: 'denied' as const };
      await exec(sql`update audit_entries set outcome = 'denied', hash = ${entryHash(forged)} where seq = 7`);
      expect((await audit.verify()).firstBad).toMatchObject({ seq: 8, reason: 'prev_hash_mismatch' });
    });

    it('deletes an entry in the middle', async () => {
      await exec(sql`delete from audit_entries where seq = 7`);
      expect((await audit.verify()).firstBad).toMatchObject({ seq: 7, reason: 'seq_gap' });
    });

    it('inserts a forged entry, renumbering the ones after it', async () => {
      const prev = await entry(7);
      await exec(sql`update audit_entries set seq = -seq where seq >= 8`);
      await exec(sql`update audit_entries set seq = 1 - seq where seq < 0`);
      const { hash: _h, ...forged } = {
        ...prev,
        seq: 8,
        id: '01900000-0000-7000-8000-000000000000',
        principal: 'user:alibi',
        prevHash: prev.hash,
      };
      const hash = entryHash(forged);
      await exec(sql`insert into audit_entries (seq, id, at, action, outcome, principal, resource, request_id,
        client_address, details, prev_hash, hash) values (8, ${forged.id}, ${forged.at}, ${forged.action},
        ${forged.outcome}, ${forged.principal}, ${forged.resource}, ${forged.requestId}, ${forged.clientAddress},
        ${JSON.stringify(forged.details)}, ${forged.prevHash}, ${hash})`);
      expect((await audit.verify()).firstBad).toMatchObject({ seq: 9, reason: 'prev_hash_mismatch' });
    });

    it('slips a row in past the head', async () => {
      const last = await entry(15);
      const { hash: _h, ...next } = {
        ...last,
        seq: 16,
        id: '01900000-0000-7000-8000-000000000001',
        prevHash: last.hash,
      };
      await exec(sql`insert into audit_entries (seq, id, at, action, outcome, principal, resource, request_id,
        client_address, details, prev_hash, hash) values (16, ${next.id}, ${next.at}, ${next.action},
        ${next.outcome}, ${next.principal}, ${next.resource}, ${next.requestId}, ${next.clientAddress},
        ${JSON.stringify(next.details)}, ${next.prevHash}, ${entryHash(next)})`);
      expect(await audit.verify()).toMatchObject({
        ok: false,
        firstBad: { seq: 16, reason: 'head_mismatch' },
      });
    });

    it('swaps two entries’ contents', async () => {
      const [a, b] = [await entry(3), await entry(9)];
      const set = (target: number, e: AuditEntry) =>
        exec(sql`update audit_entries set id = ${`${e.id}-x`}, at = ${e.at}, principal = ${e.principal},
          resource = ${e.resource}, request_id = ${e.requestId}, details = ${JSON.stringify(e.details)},
          prev_hash = ${e.prevHash}, hash = ${e.hash} where seq = ${target}`);
      await set(3, b);
      await set(9, a);
      expect((await audit.verify()).firstBad).toMatchObject({ seq: 3, reason: 'prev_hash_mismatch' });
    });

    it('deletes the newest entries after a checkpoint, head included', async () => {
      const keep = await entry(12);
      await exec(sql`delete from audit_entries where seq > 12`);
      await exec(sql`update audit_head set seq = 12, hash = ${keep.hash}`);
      const report = await audit.verify();
      expect(report).toMatchObject({ ok: false, firstBad: { seq: 13, reason: 'truncated' } });
      expect(report.checkpointProblems).toMatchObject([{ size: 15, reason: 'log_shorter_than_checkpoint' }]);
    });

    it('deletes the newest entries but not the head', async () => {
      await exec(sql`delete from audit_entries where seq > 13`);
      expect((await audit.verify()).firstBad).toMatchObject({ seq: 14, reason: 'truncated' });
    });

    it('alters a checkpoint note', async () => {
      const cp = (await store.listCheckpoints()).find((c) => c.size === 10);
      const altered = cp?.note.replace('warden/audit\n10\n', 'warden/audit\n9\n') ?? '';
      const nine = await entry(9);
      await exec(
        sql`update audit_checkpoints set size = 9, hash = ${nine.hash}, note = ${altered} where size = 10`,
      );
      const report = await audit.verify();
      expect(report.ok).toBe(false);
      // The forged checkpoint does not count, so the one scheduled at 10 is missing too.
      expect(report.checkpointProblems).toMatchObject([
        { size: 9, reason: 'bad_signature' },
        { size: 10, reason: 'checkpoint_missing' },
      ]);
    });
  });

  describe('notices missing checkpoints when someone with database access', () => {
    /** Rewrites entries from..15 consistently (each links to the one before), as someone without the key would. */
    const rewriteFrom = async (from: number) => {
      let prevHash = from === 1 ? '0'.repeat(64) : (await entry(from - 1)).hash;
      for (let seq = from; seq <= 15; seq++) {
        const { hash: _h, ...e } = { ...(await entry(seq)), principal: 'user:alibi', prevHash };
        prevHash = entryHash(e);
        await exec(sql`update audit_entries set principal = ${e.principal}, prev_hash = ${e.prevHash},
          hash = ${prevHash} where seq = ${seq}`);
      }
      await exec(sql`update audit_head set hash = ${prevHash}`);
    };

    it('deletes one scheduled checkpoint', async () => {
      await exec(sql`delete from audit_checkpoints where size = 10`);
      const report = await audit.verify();
      expect(report).toMatchObject({ ok: false, firstBad: null });
      expect(report.checkpointProblems).toMatchObject([{ size: 10, reason: 'checkpoint_missing' }]);
    });

    it('deletes the newest checkpoint, leaving the tail unsigned', async () => {
      await exec(sql`delete from audit_checkpoints where size = 15`);
      expect((await audit.verify()).checkpointProblems).toMatchObject([
        { size: 15, reason: 'tail_unsigned' },
      ]);
    });

    it('deletes every checkpoint', async () => {
      await exec(sql`delete from audit_checkpoints`);
      const report = await audit.verify();
      expect(report.ok).toBe(false);
      expect(report.checkpointProblems).toMatchObject([{ size: 5, reason: 'tail_unsigned' }]);
    });

    it('rewrites history consistently and keeps the checkpoints', async () => {
      await rewriteFrom(7);
      const report = await audit.verify();
      expect(report).toMatchObject({ ok: false, firstBad: null });
      expect(report.checkpointProblems.map((p) => p.reason)).toContain('hash_mismatch');
    });

    it('rewrites history consistently and deletes every checkpoint', async () => {
      await rewriteFrom(1);
      await exec(sql`delete from audit_checkpoints`);
      const report = await audit.verify();
      expect(report).toMatchObject({ ok: false, firstBad: null });
      expect(report.checkpointProblems).toMatchObject([{ reason: 'tail_unsigned' }]);
    });

    it('rewrites history consistently and re-signs the checkpoints with another key', async () => {
      await rewriteFrom(1);
      const forger = createAuditLog({
        clock: { now: () => new Date() },
        signer: testSigner(),
        origin: 'warden/audit',
        checkpointEvery: 5,
      });
      await exec(sql`delete from audit_checkpoints`);
      const forged = await run((a) => forger.checkpoint(a));
      const report = await audit.verify();
      expect(report.ok).toBe(false);
      expect(report.checkpointProblems).toMatchObject([
        { size: 5, reason: 'tail_unsigned' },
        { size: forged.size, reason: 'unknown_key' },
      ]);
    });

    it('follows the interval each checkpoint records when the setting changes', async () => {
      // The server restarts with a longer interval: the checkpoints it signs from then on record it.
      const longer = createAuditLog({
        clock: { now: () => new Date() },
        signer,
        origin: 'warden/audit',
        checkpointEvery: 20,
      });
      const later = createAuditQueryService({
        read: store,
        uow: { run: (work) => run((audit) => work({ audit })) },
        log: longer,
      });
      for (let i = 16; i <= 41; i++) await run((a) => longer.append(a, event(i)));
      expect((await store.listCheckpoints()).map((c) => c.size)).toEqual([5, 10, 15, 20, 40]);
      expect(await later.verify()).toMatchObject({ ok: true, checkpointProblems: [] });
      await exec(sql`delete from audit_checkpoints where size = 20`);
      expect((await later.verify()).checkpointProblems).toMatchObject([
        { size: 20, reason: 'checkpoint_missing' },
      ]);
    });
  });

  it('keeps verifying while entries are appended concurrently', async () => {
    const appends = Promise.all(
      Array.from({ length: 10 }, (_, i) => run((a) => log.append(a, event(100 + i)))),
    );
    const reports = await Promise.all([audit.verify(), audit.verify()]);
    await appends;
    for (const r of reports) expect(r).toMatchObject({ ok: true, firstBad: null });
    expect(await audit.verify()).toMatchObject({ ok: true, entries: 25, checkpoints: 5 });
  });

  describe('fail-closed: a change and its audit entry commit together or not at all', () => {
    const change = (details: AuditEvent['details']) =>
      database.db.transaction().execute(async (trx) => {
        const model = aModel();
        await createRegistrySqlStore(trx, database.capabilities).insertModel(model);
        await log.append(createAuditSqlStore(trx, database.capabilities), { ...event(99), details });
        return model;
      });
    const models = async () =>
      (await sql<{ n: number }>`select count(*) as n from models`.execute(database.db)).rows[0]?.n;

    it('rolls back the change when its event cannot be recorded exactly', async () => {
      const err = await change({ ratio: Number.NaN }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'audit_event_invalid', kind: 'internal' });
      expect(Number(await models())).toBe(0);
      expect(await store.count()).toBe(15);
    });

    it('refuses details that look like a secret', async () => {
      await expect(change({ accessToken: 'abc' })).rejects.toMatchObject({ code: 'audit_event_invalid' });
      await expect(change({ password: 'hunter2' })).rejects.toMatchObject({ code: 'audit_event_invalid' });
      expect(Number(await models())).toBe(0);
      await change({ tokenId: 'tok_1' });
      expect(Number(await models())).toBe(1);
    });

    it('rolls back the change when the audit table cannot be written', async () => {
      await exec(sql`drop table audit_entries`);
      await expect(change({})).rejects.toThrow();
      expect(Number(await models())).toBe(0);
    });

    it('rolls back the entry and the head when its checkpoint cannot be written', async () => {
      // Append 16 and 17 fine; a checkpoint of size 20 already present makes append 20 fail at its last step.
      await exec(
        sql`insert into audit_checkpoints (size, hash, note, at) values (20, ${'0'.repeat(64)}, 'x', 'x')`,
      );
      for (let i = 16; i <= 19; i++) await run((a) => log.append(a, event(i)));
      const head = await store.head();
      await expect(run((a) => log.append(a, event(20)))).rejects.toThrow();
      expect(await store.head()).toEqual(head);
      expect(await store.count()).toBe(19);
    });
  });
});
