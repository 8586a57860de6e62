import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditSqlStore } from '../../src/adapters/sql/audit.sql-store.js';
import { migrateToLatest, type SqlDatabase } from '../../src/adapters/sql/db.js';
import {
  type AuditEvent,
  type AuditLog,
  type AuditQueryService,
  type AuditStore,
  createAuditLog,
  createAuditQueryService,
  parseExportLine,
} from '../../src/modules/audit/index.js';
import { canonicalJson } from '../../src/platform/canonical-json.js';
import { testSigner } from '../fixtures/audit-signer.js';
import { databaseFactories, type TestDatabase, type TestDatabaseFactory } from '../fixtures/databases.js';

// Every entry names exactly who acted (kind-qualified id, display name, credential) and the team it
// concerns; the fields added for that (migration 0007) enter an entry's hash only when present, so entries
// written before them still verify, and stripping or forging them breaks the chain.
const backends = databaseFactories().map((f): [string, TestDatabaseFactory] => [f.name, f]);

// As every module wrote events before this change: no name, no credential, no team.
const legacy: AuditEvent = {
  action: 'registry:model:create',
  outcome: 'success',
  principal: 'service:admin',
  resource: 'model:iris',
  requestId: 'req-1',
  clientAddress: '10.0.0.1',
  details: { owner: 'vision' },
};
const byToken = (team: string | null, tokenId: string): AuditEvent => ({
  action: 'registry:version:push',
  outcome: 'success',
  principal: `token:${tokenId}`,
  actorName: 'admin',
  credential: { kind: 'token', tokenId },
  resource: 'version:iris@1',
  team,
  requestId: 'req-2',
  clientAddress: '10.0.0.1',
});
const byJwt: AuditEvent = {
  action: 'registry:alias:set',
  outcome: 'success',
  principal: 'oidc:https://idp.test#alice-123',
  actorName: 'admin',
  credential: { kind: 'oidc', issuer: 'https://idp.test', subject: 'alice-123', jti: 'jwt-42' },
  resource: 'alias:iris@prod',
  team: 'nlp',
  requestId: 'req-3',
  clientAddress: null,
};

describe.each(backends)('audit entries name their actor exactly (%s)', (_name, factory) => {
  let t: TestDatabase;
  let database: SqlDatabase;
  let store: AuditStore;
  let log: AuditLog;
  let audit: AuditQueryService;
  const run = <T>(work: (a: AuditStore) => Promise<T>) =>
    database.db.transaction().execute((trx) => work(createAuditSqlStore(trx, database.capabilities)));
  const exec = (query: ReturnType<typeof sql>) => query.execute(database.db);

  beforeEach(async () => {
    t = await factory.create();
    database = t.open();
    await migrateToLatest(database.db);
    store = createAuditSqlStore(database.db, database.capabilities);
    log = createAuditLog({
      clock: { now: () => new Date() },
      signer: testSigner(),
      origin: 'warden/audit',
      checkpointEvery: 100,
    });
    audit = createAuditQueryService({
      read: store,
      uow: { run: (work) => run((audit) => work({ audit })) },
      log,
    });
    await run((a) => log.append(a, legacy));
    await run((a) => log.append(a, byToken('vision', 'AAAAAAAAAAAA')));
    await run((a) => log.append(a, byJwt));
    await run((a) => log.append(a, { ...byToken(null, 'BBBBBBBBBBBB'), action: 'signing:signer:create' }));
  });
  afterEach(async () => {
    await database.close();
    await t.cleanup();
  });

  it('hashes an entry without the new fields exactly as before they existed', async () => {
    const [first] = (await audit.list({ order: 'asc', limit: 1 }, { unscoped: true })).items;
    expect(first).not.toHaveProperty('actorName');
    expect(first).not.toHaveProperty('credential');
    expect(first).not.toHaveProperty('team');
    // The rule as it stood: sha256(prevHash + "\n" + JCS(the entry's original fields)).
    const { hash, ...fields } = first as NonNullable<typeof first>;
    const before = createHash('sha256')
      .update(`${fields.prevHash}\n${canonicalJson(fields)}`)
      .digest('hex');
    expect(hash).toBe(before);
    expect(await audit.verify()).toMatchObject({ ok: true, entries: 4, firstBad: null });
  });

  it('records the display name, the credential and the team beside the kind-qualified id', async () => {
    const items = (await audit.list({ order: 'asc' }, { unscoped: true })).items;
    expect(items[1]).toMatchObject({
      principal: 'token:AAAAAAAAAAAA',
      actorName: 'admin',
      credential: { kind: 'token', tokenId: 'AAAAAAAAAAAA' },
      team: 'vision',
    });
    // Two actors with the same display name stay two principals.
    expect(items[2]).toMatchObject({
      principal: 'oidc:https://idp.test#alice-123',
      actorName: 'admin',
      credential: { kind: 'oidc', issuer: 'https://idp.test', subject: 'alice-123', jti: 'jwt-42' },
    });
    expect(items[3]).not.toHaveProperty('team');
  });

  it('refuses a credential carrying anything but its own fields', async () => {
    const sneaky = { kind: 'token', tokenId: 'CCCCCCCCCCCC', secret: 'wdn_x' } as never;
    const entry = await run((a) => log.append(a, { ...legacy, credential: sneaky }));
    expect(entry.credential).toEqual({ kind: 'token', tokenId: 'CCCCCCCCCCCC' });
  });

  it('breaks the chain when the actor, credential or team of an entry is rewritten or stripped', async () => {
    for (const [column, value] of [
      ['actor_name', 'someone-else'],
      ['credential', null],
      ['team', 'nlp'],
    ] as const) {
      const saved = await sql<
        Record<string, string | null>
      >`select actor_name, credential, team from audit_entries where seq = 2`.execute(database.db);
      await exec(sql`update audit_entries set ${sql.ref(column)} = ${value} where seq = 2`);
      expect(await audit.verify(), column).toMatchObject({
        ok: false,
        firstBad: { seq: 2, reason: 'hash_mismatch' },
      });
      const row = saved.rows[0] ?? {};
      await exec(sql`update audit_entries set ${sql.ref(column)} = ${row[column] ?? null} where seq = 2`);
    }
    // Adding a team to an entry written without one is a forgery too.
    await exec(sql`update audit_entries set team = 'vision' where seq = 1`);
    expect(await audit.verify()).toMatchObject({ ok: false, firstBad: { seq: 1, reason: 'hash_mismatch' } });
  });

  it('shows a team-scoped reader its teams’ entries only, and nothing to one of no team', async () => {
    const seen = async (teams: string[]) =>
      (await audit.list({ order: 'asc' }, { unscoped: false, teams })).items.map((e) => e.seq);
    expect(await seen(['vision'])).toEqual([2]);
    expect(await seen(['nlp', 'vision'])).toEqual([2, 3]);
    expect(await seen(['other'])).toEqual([]);
    expect(await seen([])).toEqual([]);
    expect((await audit.list({ order: 'asc' }, { unscoped: true })).items.map((e) => e.seq)).toEqual([
      1, 2, 3, 4,
    ]);
  });

  it('exports the new fields, and reads them back from an export', async () => {
    const lines: string[] = [];
    for await (const chunk of audit.exportLines()) lines.push(...chunk.split('\n').filter((l) => l !== ''));
    const records = lines.map((l, i) => parseExportLine(l, i + 1));
    expect(records[1]).toMatchObject({ type: 'entry', entry: { actorName: 'admin', team: 'vision' } });
    expect(() =>
      parseExportLine(JSON.stringify({ ...JSON.parse(lines[1] ?? '{}'), credential: 'x' }), 2),
    ).toThrow();
  });
});
