import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPolicyEngine } from '../../src/adapters/cedar/index.js';
import { createAuditSqlStore } from '../../src/adapters/sql/audit.sql-store.js';
import { migrateToLatest, type SqlDatabase } from '../../src/adapters/sql/db.js';
import {
  auditCheckpoint,
  auditExport,
  auditList,
  auditPubkey,
  auditVerify,
} from '../../src/cli/commands/audit.js';
import type { CliContext } from '../../src/cli/context.js';
import { registerErrorHandler } from '../../src/http/plugins/error-handler.js';
import { enforceRouteActions } from '../../src/http/plugins/route-actions.js';
import { auditRoutes } from '../../src/http/routes/audit.routes.js';
import { AuditEntry, Checkpoint } from '../../src/http/schemas/audit.schemas.js';
import { Problem } from '../../src/http/schemas/common.schemas.js';
import {
  type AuditLog,
  type AuditStore,
  createAuditLog,
  createAuditQueryService,
  createAuditService,
} from '../../src/modules/audit/index.js';
import { createAccessGuard, createAuthorizer } from '../../src/modules/policy/index.js';
import type { CallContext } from '../../src/platform/call-context.js';
import { newId } from '../../src/platform/ids.js';
import type { Principal } from '../../src/platform/principal.js';
import { testSigner } from '../fixtures/audit-signer.js';
import { databaseFactories, type TestDatabase, type TestDatabaseFactory } from '../fixtures/databases.js';

const backends = databaseFactories().map((f): [string, TestDatabaseFactory] => [f.name, f]);

function cli(cwd: string, url: string) {
  const out = { stdout: '', stderr: '' };
  const sink = (key: 'stdout' | 'stderr') =>
    new Writable({
      write(chunk, _enc, cb) {
        out[key] += String(chunk);
        cb();
      },
    });
  const ctx: CliContext = {
    cwd,
    env: { WARDEN_URL: url },
    io: { stdout: sink('stdout'), stderr: sink('stderr') },
  };
  return { ctx, out };
}

describe.each(backends)('audit API and CLI (%s)', (_name, factory) => {
  let t: TestDatabase;
  let database: SqlDatabase;
  let log: AuditLog;
  let app: FastifyInstance;
  let declared: string[];
  let dir: string;
  const retired = testSigner().vkey;
  const run = <T>(work: (a: AuditStore) => Promise<T>) =>
    database.db.transaction().execute((trx) => work(createAuditSqlStore(trx, database.capabilities)));
  const get = async (url: string) => app.inject({ method: 'GET', url: `/api/v1${url}` });

  beforeEach(async () => {
    t = await factory.create();
    database = t.open();
    await migrateToLatest(database.db);
    let tick = Date.UTC(2026, 0, 1);
    log = createAuditLog({
      clock: {
        now: () => {
          tick += 1000;
          return new Date(tick);
        },
      },
      signer: testSigner(),
      origin: 'warden/audit',
      checkpointEvery: 4,
    });
    const queries = createAuditQueryService({
      read: createAuditSqlStore(database.db, database.capabilities),
      uow: { run: (work) => run((audit) => work({ audit })) },
      log,
      retiredVkeys: [retired],
    });
    // The service authorizes each read itself, with the built-in policies (the caller is an admin).
    const { engine } = await loadPolicyEngine({ extraFiles: [] });
    const guard = createAccessGuard({
      authorizer: createAuthorizer({ engine }),
      log,
      uow: { run: (work) => run((a) => work({ audit: a })) },
    });
    const audit = createAuditService({ queries, guard });
    for (let i = 1; i <= 9; i++)
      await run((a) =>
        log.append(a, {
          action: i % 3 === 0 ? 'identity:token:authenticate' : 'registry:model:create',
          outcome: i % 3 === 0 ? 'failed' : 'success',
          principal: i % 3 === 0 ? null : `user:u${i % 2}`,
          resource: i % 3 === 0 ? null : `model:m${i}`,
          requestId: `req-${i}`,
          clientAddress: '203.0.113.9',
        }),
      );
    app = Fastify({ genReqId: () => newId() });
    app.setValidatorCompiler(TypeBoxValidatorCompiler);
    registerErrorHandler(app, { bodyLimit: 1024 * 1024 });
    declared = enforceRouteActions(app, { publicPrefixes: [] });
    for (const schema of [Problem, AuditEntry, Checkpoint]) app.addSchema(schema);
    // The app's authentication hook, reduced to its result: an unscoped administrator.
    app.decorateRequest('principal', undefined);
    app.addHook('onRequest', async (request) => {
      request.principal = {
        id: 'token:auditadmin01',
        kind: 'service',
        name: 'audit-admin',
        roles: ['admin'],
        teams: [],
        unscoped: true,
        via: { kind: 'token', tokenId: 'auditadmin01' },
      };
    });
    const contextOf = (request: FastifyRequest): CallContext => ({
      principal: request.principal as Principal,
      requestId: String(request.id),
      clientAddress: request.ip,
    });
    await app.register(auditRoutes, { prefix: '/api/v1', audit, contextOf });
    await app.ready();
    dir = mkdtempSync(path.join(tmpdir(), 'warden-audit-http-'));
  });
  afterEach(async () => {
    await app.close();
    await database.close();
    await t.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('declares an authorization action on every route', () => {
    expect(declared.sort()).toEqual([
      'GET /api/v1/audit audit:log:read',
      'GET /api/v1/audit/checkpoints audit:log:read',
      'GET /api/v1/audit/export audit:log:export',
      'GET /api/v1/audit/pubkey audit:key:read',
      'GET /api/v1/audit/verify audit:log:verify',
      // Fastify adds HEAD for every GET.
      'HEAD /api/v1/audit audit:log:read',
      'HEAD /api/v1/audit/checkpoints audit:log:read',
      'HEAD /api/v1/audit/export audit:log:export',
      'HEAD /api/v1/audit/pubkey audit:key:read',
      'HEAD /api/v1/audit/verify audit:log:verify',
    ]);
  });

  it('lists entries newest first, pages, and filters', async () => {
    const page = await get('/audit?limit=4');
    expect(page.statusCode).toBe(200);
    expect(page.json().items.map((e: { seq: number }) => e.seq)).toEqual([9, 8, 7, 6]);
    expect(page.json().next).toBe('6');
    const next = (await get('/audit?limit=4&after=6')).json();
    expect(next.items.map((e: { seq: number }) => e.seq)).toEqual([5, 4, 3, 2]);
    const failed = (await get('/audit?action=identity:token:authenticate&order=asc')).json();
    expect(failed.items.map((e: { seq: number; outcome: string }) => [e.seq, e.outcome])).toEqual([
      [3, 'failed'],
      [6, 'failed'],
      [9, 'failed'],
    ]);
    expect((await get('/audit?principal=user:u1&resource=model:m5')).json().items).toHaveLength(1);
    const byOutcome = (await get('/audit?outcome=failed&limit=2')).json();
    expect(byOutcome.items.map((e: { seq: number }) => e.seq)).toEqual([9, 6]);
    expect((await get(`/audit?outcome=failed&after=${byOutcome.next}`)).json().items).toMatchObject([
      { seq: 3, outcome: 'failed' },
    ]);
    expect((await get('/audit?outcome=success&action=identity:token:authenticate')).json().items).toEqual([]);
    const all = (await get('/audit?order=asc')).json().items;
    const since = encodeURIComponent(all[2].at);
    expect((await get(`/audit?since=${since}&order=asc`)).json().items[0].seq).toBe(3);
    expect(
      (await get(`/audit?until=${since}`)).json().items.every((e: { at: string }) => e.at < all[2].at),
    ).toBe(true);
    expect(Object.keys(all[0]).sort()).toEqual(
      [
        'action',
        'at',
        'clientAddress',
        'hash',
        'id',
        'outcome',
        'prevHash',
        'principal',
        'requestId',
        'resource',
        'seq',
      ].sort(),
    );
  });

  it.each([
    ['limit=0'],
    ['limit=501'],
    ['after=abc'],
    ['since=yesterday'],
    ['order=sideways'],
    ['outcome=allowed'],
    ['colour=blue'],
  ])('refuses ?%s', async (query) => {
    const res = await get(`/audit?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'invalid_request' });
  });

  it('lists checkpoints and the public key', async () => {
    const cps = (await get('/audit/checkpoints')).json();
    expect(cps.map((c: { size: number }) => c.size)).toEqual([4, 8]);
    expect(cps[0].note).toMatch(/^warden\/audit\n4\n/);
    expect((await get('/audit/pubkey')).json()).toEqual({ vkey: log.vkey, retired: [retired] });
  });

  it('verifies the chain, and reports tampering', async () => {
    expect((await get('/audit/verify')).json()).toMatchObject({ ok: true, entries: 9, checkpoints: 2 });
    await sql`update audit_entries set outcome = 'success' where seq = 6`.execute(database.db);
    const report = (await get('/audit/verify')).json();
    expect(report).toMatchObject({ ok: false, firstBad: { seq: 6, reason: 'hash_mismatch' } });
    expect(report.firstBad.message).toContain('entry 6');
  });

  it('exports JSON Lines ending on a signed checkpoint of the head', async () => {
    const res = await get('/audit/export');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const records = res.body
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records.map((r) => r.type)).toEqual([
      ...Array(9).fill('entry'),
      'checkpoint',
      'checkpoint',
      'checkpoint',
    ]);
    expect(records.at(-1)).toMatchObject({ size: 9, hash: records[8].hash });
  });

  it('answers an error, not a cut-off export, when the checkpoint cannot be signed', async () => {
    await sql`drop table audit_checkpoints`.execute(database.db);
    const res = await get('/audit/export');
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  describe('through the CLI', () => {
    let url: string;
    beforeEach(async () => {
      url = await app.listen({ port: 0, host: '127.0.0.1' });
    });

    it('lists entries as a table', async () => {
      const c = cli(dir, url);
      await auditList(c.ctx, { limit: '2', principal: 'user:u1' });
      const rows = c.out.stdout.trimEnd().split('\n');
      expect(rows[0]).toMatch(/^SEQ\s+AT\s+PRINCIPAL\s+ACTION\s+RESOURCE\s+OUTCOME$/);
      expect(rows.slice(1).map((r) => r.split(/\s+/)[0])).toEqual(['7', '5']);
      expect(c.out.stderr).toContain('--after 5');
    });

    it('prints the verifier keys, current first', async () => {
      const c = cli(dir, url);
      await auditPubkey(c.ctx, {});
      expect(c.out.stdout).toBe(`${log.vkey}\n${retired}\n`);
    });

    it('exports to a file atomically, and the file verifies offline with the printed key', async () => {
      const c = cli(dir, url);
      await auditExport(c.ctx, { out: 'audit.jsonl' });
      expect(c.out.stdout).toContain('Exported 9 entries and 3 checkpoints');
      expect(readdirSync(dir)).toEqual(['audit.jsonl']);
      if (process.platform !== 'win32')
        expect(statSync(path.join(dir, 'audit.jsonl')).mode & 0o777).toBe(0o600);
      writeFileSync(path.join(dir, 'audit.pub'), `${log.vkey}\n`);
      const v = cli(dir, 'http://127.0.0.1:1');
      await auditVerify(v.ctx, { file: 'audit.jsonl', key: 'audit.pub' });
      expect(v.out.stdout).toMatch(/^Export: ok — 9 entries/);
    });

    it('verifies online: the server’s report and the export checked here', async () => {
      const c = cli(dir, url);
      await auditVerify(c.ctx, {});
      expect(c.out.stdout).toMatch(/^Server: ok — 9 entries.*\nExport: ok — 9 entries/);
      const j = cli(dir, url);
      await auditVerify(j.ctx, { json: true });
      expect(JSON.parse(j.out.stdout)).toMatchObject({ server: { ok: true }, export: { ok: true } });
      expect(readdirSync(dir)).toEqual([]);
    });

    it('fails online verification when the stored chain was altered', async () => {
      await sql`delete from audit_entries where seq = 2`.execute(database.db);
      const c = cli(dir, url);
      const err = await auditVerify(c.ctx, {}).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'audit_chain_broken', details: { seq: 2, reason: 'seq_gap' } });
      expect(c.out.stdout).toContain('first bad entry: 2 (seq_gap)');
    });

    it('fails online verification when every checkpoint was deleted', async () => {
      await sql`delete from audit_checkpoints`.execute(database.db);
      const c = cli(dir, url);
      const err = await auditVerify(c.ctx, {}).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'audit_chain_broken' });
      // The export signed the head again, but the checkpoints scheduled at 4 and 8 stay missing.
      expect(c.out.stdout).toContain('checkpoint 4: checkpoint_missing');
    });

    it('saves a checkpoint note that later catches a log cut back and re-signed', async () => {
      const c = cli(dir, url);
      await auditCheckpoint(c.ctx, { out: 'trusted.note' });
      expect(c.out.stdout).toMatch(/^Saved the checkpoint of entry 9 /);
      const note = readFileSync(path.join(dir, 'trusted.note'), 'utf8');
      expect(note).toMatch(/^warden\/audit\n9\n.+\ncheckpoint-every 4\n\n— /);
      await auditVerify(cli(dir, url).ctx, { trustedCheckpoint: ['trusted.note'] });

      // Cut back to entry 8 with the head and the later checkpoints: on its own the log looks whole.
      const eight = await sql<{ hash: string }>`select hash from audit_entries where seq = 8`.execute(
        database.db,
      );
      await sql`delete from audit_entries where seq > 8`.execute(database.db);
      await sql`delete from audit_checkpoints where size > 8`.execute(database.db);
      await sql`update audit_head set seq = 8, hash = ${eight.rows[0]?.hash}`.execute(database.db);
      await auditVerify(cli(dir, url).ctx, {});
      const v = cli(dir, url);
      const err = await auditVerify(v.ctx, { trustedCheckpoint: ['trusted.note'] }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'audit_chain_broken', details: { seq: 9, reason: 'truncated' } });
      expect(v.out.stdout).toContain('checkpoint 9: log_shorter_than_checkpoint');
      // A monitor refreshing its note refuses to move on from a log that dropped what it saw.
      const m = cli(dir, url);
      await expect(
        auditCheckpoint(m.ctx, { out: 'trusted.note', trustedCheckpoint: ['trusted.note'] }),
      ).rejects.toMatchObject({ code: 'audit_chain_broken' });
      expect(readFileSync(path.join(dir, 'trusted.note'), 'utf8')).toBe(note);
    });

    it('fails online verification against a key the server does not sign with', async () => {
      writeFileSync(path.join(dir, 'other.pub'), `${testSigner().vkey}\n`);
      const c = cli(dir, url);
      const err = await auditVerify(c.ctx, { key: 'other.pub' }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'audit_chain_broken' });
      expect(readFileSync(path.join(dir, 'other.pub'), 'utf8')).not.toContain(log.vkey);
    });
  });
});
