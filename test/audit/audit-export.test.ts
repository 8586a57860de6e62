import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditSqlStore } from '../../src/adapters/sql/audit.sql-store.js';
import { migrateToLatest, type SqlDatabase } from '../../src/adapters/sql/db.js';
import { auditVerify } from '../../src/cli/commands/audit.js';
import type { CliContext } from '../../src/cli/context.js';
import {
  type AuditEntry,
  type AuditLog,
  type AuditQueryService,
  type AuditStore,
  createAuditLog,
  createAuditQueryService,
  entryHash,
} from '../../src/modules/audit/index.js';
import { AppError } from '../../src/platform/errors.js';
import { testSigner } from '../fixtures/audit-signer.js';
import {
  databaseFactories,
  sqliteFactory,
  type TestDatabase,
  type TestDatabaseFactory,
} from '../fixtures/databases.js';

const backends = databaseFactories().map((f): [string, TestDatabaseFactory] => [f.name, f]);

function cli(cwd: string) {
  const out = { stdout: '', stderr: '' };
  const sink = (key: 'stdout' | 'stderr') =>
    new Writable({
      write(chunk, _enc, cb) {
        out[key] += String(chunk);
        cb();
      },
    });
  const ctx: CliContext = { cwd, env: {}, io: { stdout: sink('stdout'), stderr: sink('stderr') } };
  return { ctx, out };
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe.each(backends)('audit export on %s', (_name, factory) => {
  let t: TestDatabase;
  let database: SqlDatabase;
  let store: AuditStore;
  let log: AuditLog;
  let audit: AuditQueryService;
  let dir: string;
  let keyFile: string;
  const run = <T>(work: (a: AuditStore) => Promise<T>) =>
    database.db.transaction().execute((trx) => work(createAuditSqlStore(trx, database.capabilities)));
  const append = (n: number) =>
    (async () => {
      for (let i = 0; i < n; i++)
        await run((a) =>
          log.append(a, {
            action: 'registry:alias:set',
            outcome: i % 5 === 4 ? 'denied' : 'success',
            principal: `service:ci-${i % 2}`,
            resource: `model:iris@${i}`,
            requestId: `req-${i}`,
            clientAddress: '192.0.2.7',
            details: { alias: 'prod', version: i, note: 'ünïcødé ✓' },
          }),
        );
    })();
  const exportTo = async (name: string) => {
    let text = '';
    for await (const chunk of audit.exportLines()) text += chunk;
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const verifyFile = (file: string, extra: { key?: string; checkpoint?: string[]; json?: boolean } = {}) => {
    const c = cli(dir);
    return { out: c.out, done: auditVerify(c.ctx, { file, key: keyFile, ...extra }) };
  };

  beforeEach(async () => {
    t = await factory.create();
    database = t.open();
    await migrateToLatest(database.db);
    store = createAuditSqlStore(database.db, database.capabilities);
    const signer = testSigner();
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
    dir = mkdtempSync(path.join(tmpdir(), 'warden-audit-export-'));
    keyFile = path.join(dir, 'audit.pub');
    writeFileSync(keyFile, `${audit.pubkey().vkey}\n`);
  });
  afterEach(async () => {
    await database.close();
    await t.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes every entry, then every checkpoint, ending on a fresh one that signs the last entry', async () => {
    await append(12);
    const file = await exportTo('a.jsonl');
    const records = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records.map((r) => r.type)).toEqual([...Array(12).fill('entry'), ...Array(3).fill('checkpoint')]);
    expect(records.slice(12).map((r) => r.size)).toEqual([5, 10, 12]);
    expect(records[14].hash).toBe(records[11].hash);
    expect(records[0]).toMatchObject({ type: 'entry', seq: 1, details: { note: 'ünïcødé ✓' } });
    // Signing the head again is not needed while it has not moved.
    await exportTo('b.jsonl');
    expect((await store.listCheckpoints()).map((c) => c.size)).toEqual([5, 10, 12]);
  });

  it('verifies an export offline with the key file', async () => {
    await append(12);
    const v = verifyFile(await exportTo('a.jsonl'));
    await v.done;
    expect(v.out.stdout).toMatch(/^Export: ok — 12 entries, 3 checkpoints, head 12 /);
  });

  it('verifies the export of an empty log', async () => {
    const file = await exportTo('empty.jsonl');
    expect(readFileSync(file, 'utf8')).toMatch(/^\{"type":"checkpoint","size":0,/);
    await verifyFile(file).done;
  });

  it('exports the checkpoints of a truncated log, so the export shows the truncation', async () => {
    await append(12);
    const rows = await store.list({ limit: 1, order: 'asc', after: 7 });
    await sql`delete from audit_entries where seq > 8`.execute(database.db);
    await sql`update audit_head set seq = 8, hash = ${rows.items[0]?.hash ?? ''}`.execute(database.db);
    const err = await failure(verifyFile(await exportTo('cut.jsonl')).done);
    expect(err).toMatchObject({ code: 'audit_chain_broken', details: { seq: 9, reason: 'truncated' } });
  });
});

describe('offline verification of an altered export', () => {
  let database: SqlDatabase;
  let t: TestDatabase;
  let dir: string;
  let keyFile: string;
  let lines: string[];
  let entries: AuditEntry[];

  beforeEach(async () => {
    t = await sqliteFactory().create();
    database = t.open();
    await migrateToLatest(database.db);
    const store = createAuditSqlStore(database.db, database.capabilities);
    const run = <T>(work: (a: AuditStore) => Promise<T>) =>
      database.db.transaction().execute((trx) => work(createAuditSqlStore(trx, database.capabilities)));
    const log = createAuditLog({
      clock: { now: () => new Date() },
      signer: testSigner(),
      origin: 'warden/audit',
      checkpointEvery: 5,
    });
    const audit = createAuditQueryService({
      read: store,
      uow: { run: (work) => run((audit) => work({ audit })) },
      log,
    });
    for (let i = 1; i <= 12; i++)
      await run((a) =>
        log.append(a, {
          action: 'registry:version:push',
          outcome: 'success',
          principal: 'user:alice',
          resource: `model:m@${i}`,
          requestId: null,
          clientAddress: null,
        }),
      );
    let text = '';
    for await (const chunk of audit.exportLines()) text += chunk;
    lines = text.trimEnd().split('\n');
    entries = lines.slice(0, 12).map((l) => {
      const { type: _t, ...e } = JSON.parse(l);
      return e;
    });
    dir = mkdtempSync(path.join(tmpdir(), 'warden-audit-offline-'));
    keyFile = path.join(dir, 'audit.pub');
    writeFileSync(keyFile, `# the audit key\n${audit.pubkey().vkey}\n`);
  });
  afterEach(async () => {
    await database.close();
    await t.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, content: string[]) => {
    const file = path.join(dir, name);
    writeFileSync(file, `${content.join('\n')}\n`);
    return file;
  };
  const verify = (file: string, extra: { key?: string; checkpoint?: string[] } = {}) =>
    auditVerify(cli(dir).ctx, { file, key: keyFile, ...extra });
  const entryLine = (e: AuditEntry) => JSON.stringify({ type: 'entry', ...e });

  it('accepts the file as exported', async () => {
    await verify(write('ok.jsonl', lines));
  });

  it.each([
    [
      'an altered field',
      (l: string[]) => l.with(5, l[5]?.replace('"user:alice"', '"user:bob"') ?? ''),
      6,
      'hash_mismatch',
    ],
    ['a deleted entry', (l: string[]) => l.toSpliced(5, 1), 6, 'seq_gap'],
    ['a repeated entry', (l: string[]) => l.toSpliced(6, 0, l[5] ?? ''), 7, 'seq_order'],
    ['two swapped entries', (l: string[]) => l.with(3, l[8] ?? '').with(8, l[3] ?? ''), 4, 'seq_gap'],
    ['entries cut off after a checkpoint', (l: string[]) => l.toSpliced(9, 3), 10, 'truncated'],
  ])('names the first bad entry for %s', async (_what, alter, seq, reason) => {
    const err = await failure(verify(write('bad.jsonl', alter(lines))));
    expect(err).toMatchObject({ code: 'audit_chain_broken', kind: 'integrity', details: { seq, reason } });
    expect(err.message).toContain(`entry ${seq} is bad`);
  });

  it('names the entry after a forged one inserted with a correct hash', async () => {
    const prev = entries[5] as AuditEntry;
    const { hash: _h, ...body } = {
      ...prev,
      seq: 7,
      id: 'forged',
      principal: 'user:alibi',
      prevHash: prev.hash,
    };
    const forged = { ...body, hash: entryHash(body) };
    const renumbered = entries.slice(6).map((e) => entryLine({ ...e, seq: e.seq + 1 }));
    const file = write('forged.jsonl', [
      ...lines.slice(0, 6),
      entryLine(forged),
      ...renumbered,
      ...lines.slice(12),
    ]);
    expect(await failure(verify(file))).toMatchObject({ details: { seq: 8, reason: 'prev_hash_mismatch' } });
  });

  it('reports an altered checkpoint', async () => {
    const cp = JSON.parse(lines[13] ?? '');
    const altered = JSON.stringify({
      ...cp,
      note: cp.note.replace('warden/audit\n10\n', 'warden/audit\n11\n'),
      size: 11,
    });
    const err = await failure(verify(write('cp.jsonl', lines.with(13, altered))));
    // The altered checkpoint does not count, so the one scheduled at 10 is missing as well.
    expect(err).toMatchObject({ code: 'audit_chain_broken', details: { checkpointProblems: 2 } });
  });

  it('requires a checkpoint that signs the last entry', async () => {
    // Entries cut between checkpoints, and the checkpoints past the cut removed with them.
    const file = write('unsigned.jsonl', [...lines.slice(0, 7), lines[12] ?? '']);
    const c = cli(dir);
    await failure(auditVerify(c.ctx, { file, key: keyFile }));
    expect(c.out.stdout).toContain('checkpoint 7: head_not_signed');
  });

  it('catches a cut back to an earlier checkpoint only with a checkpoint kept elsewhere', async () => {
    // Cut exactly at checkpoint 5, dropping later checkpoints: the file alone cannot tell (docs/audit.md).
    const cut = write('cut.jsonl', [...lines.slice(0, 5), lines[12] ?? '']);
    await verify(cut);
    // A checkpoint kept from an earlier export catches it: as the earlier export, or its last note alone.
    const earlier = write('earlier.jsonl', lines);
    const note = path.join(dir, 'checkpoint.note');
    writeFileSync(note, JSON.parse(lines[14] ?? '').note);
    for (const kept of [earlier, note]) {
      const err = await failure(verify(cut, { checkpoint: [kept] }));
      expect(err).toMatchObject({ details: { seq: 6, reason: 'truncated' } });
    }
  });

  it('refuses checkpoints signed by a key it was not given', async () => {
    const other = path.join(dir, 'other.pub');
    writeFileSync(other, `${testSigner().vkey}\n`);
    const c = cli(dir);
    await failure(auditVerify(c.ctx, { file: write('ok.jsonl', lines), key: other }));
    expect(c.out.stdout).toContain('unknown_key');
  });

  it('prints the report as JSON with --json', async () => {
    const c = cli(dir);
    await auditVerify(c.ctx, { file: write('ok.jsonl', lines), key: keyFile, json: true });
    expect(JSON.parse(c.out.stdout)).toMatchObject({ ok: true, entries: 12, checkpoints: 3 });
  });

  it('refuses a malformed line, naming it', async () => {
    const err = await failure(verify(write('junk.jsonl', lines.with(3, '{"type":"entry","seq":'))));
    expect(err).toMatchObject({ code: 'audit_export_malformed', kind: 'integrity', details: { line: 4 } });
    const extra = await failure(
      verify(write('extra.jsonl', lines.with(3, lines[3]?.replace('{', '{"x":1,') ?? ''))),
    );
    expect(extra).toMatchObject({ code: 'audit_export_malformed', details: { line: 4 } });
  });

  it('needs --key with --file, and files it can read', async () => {
    const file = write('ok.jsonl', lines);
    expect(await failure(auditVerify(cli(dir).ctx, { file }))).toMatchObject({ code: 'invalid_option' });
    expect(await failure(verify(path.join(dir, 'missing.jsonl')))).toMatchObject({
      code: 'audit_file_unreadable',
    });
    expect(await failure(verify(file, { key: path.join(dir, 'none.pub') }))).toMatchObject({
      code: 'audit_file_unreadable',
    });
    writeFileSync(path.join(dir, 'bad.pub'), 'not-a-key\n');
    expect(await failure(verify(file, { key: path.join(dir, 'bad.pub') }))).toMatchObject({
      code: 'audit_vkey_invalid',
    });
  });
});
