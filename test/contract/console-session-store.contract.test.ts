import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConsoleSessionSqlStore } from '../../src/adapters/sql/console-session.sql-store.js';
import { migrateToLatest, type SqlDatabase } from '../../src/adapters/sql/db.js';
import type {
  ConsoleSessionRecord,
  ConsoleSessionStore,
  PendingLoginRecord,
} from '../../src/modules/identity/index.js';
import { newId } from '../../src/platform/ids.js';
import { databaseFactories, type TestDatabase, type TestDatabaseFactory } from '../fixtures/databases.js';

const backends = databaseFactories().map((f): [string, TestDatabaseFactory] => [f.name, f]);

const aSession = (overrides: Partial<ConsoleSessionRecord> = {}): ConsoleSessionRecord => ({
  id: newId(),
  secretHash: 'ab'.repeat(32),
  via: 'token',
  principalId: 'token:AAAAAAAAAAA1',
  principal: { kind: 'service', name: 'ci-bot', roles: ['contributor'], teams: ['vision'], unscoped: false },
  tokenId: 'AAAAAAAAAAA1',
  issuer: null,
  subject: null,
  createdAt: '2026-01-10T12:00:00.000Z',
  lastSeenAt: '2026-01-10T12:00:00.000Z',
  expiresAt: '2026-01-11T00:00:00.000Z',
  endedAt: null,
  endReason: null,
  ...overrides,
});

const aLogin = (overrides: Partial<PendingLoginRecord> = {}): PendingLoginRecord => ({
  id: newId(),
  stateHash: newId(),
  bindingHash: 'cd'.repeat(32),
  codeVerifier: 'v'.repeat(43),
  nonce: 'n'.repeat(43),
  returnTo: '/models',
  createdAt: '2026-01-10T12:00:00.000Z',
  expiresAt: '2026-01-10T12:10:00.000Z',
  consumedAt: null,
  ...overrides,
});

describe.each(backends)('ConsoleSessionStore contract (%s)', (_name, factory) => {
  let t: TestDatabase;
  let database: SqlDatabase;
  let store: ConsoleSessionStore;

  beforeEach(async () => {
    t = await factory.create();
    database = t.open();
    await migrateToLatest(database.db);
    store = createConsoleSessionSqlStore(database.db);
  });
  afterEach(async () => {
    await database.close();
    await t.cleanup();
  });

  it('finds an inserted session as it was written (token and OIDC), and null for an unknown id', async () => {
    const token = aSession();
    const oidc = aSession({
      via: 'oidc',
      principalId: 'oidc:https://idp.example#alice',
      principal: { kind: 'user', name: 'alice', roles: ['admin'], teams: [], unscoped: true },
      tokenId: null,
      issuer: 'https://idp.example',
      subject: 'alice',
    });
    await store.insertSession(token);
    await store.insertSession(oidc);
    expect(await store.findSession(token.id)).toEqual(token);
    expect(await store.findSession(oidc.id)).toEqual(oidc);
    expect(await store.findSession(newId())).toBeNull();
    await expect(store.insertSession(token)).rejects.toThrow();
  });

  it('writes last-seen only when the stored one is stale', async () => {
    const s = aSession();
    await store.insertSession(s);
    await store.touchSession(s.id, '2026-01-10T12:00:30.000Z', '2026-01-10T11:59:30.000Z');
    expect((await store.findSession(s.id))?.lastSeenAt).toBe(s.lastSeenAt);
    await store.touchSession(s.id, '2026-01-10T12:01:00.000Z', '2026-01-10T12:00:00.000Z');
    expect((await store.findSession(s.id))?.lastSeenAt).toBe('2026-01-10T12:01:00.000Z');
  });

  it('ends a session once: the first end and its reason are kept', async () => {
    const s = aSession();
    await store.insertSession(s);
    expect(await store.endSession(s.id, '2026-01-10T13:00:00.000Z', 'logout')).toBe(true);
    expect(await store.endSession(s.id, '2026-01-10T14:00:00.000Z', 'revoked-token')).toBe(false);
    expect(await store.findSession(s.id)).toMatchObject({
      endedAt: '2026-01-10T13:00:00.000Z',
      endReason: 'logout',
    });
    expect(await store.endSession(newId(), '2026-01-10T14:00:00.000Z', 'logout')).toBe(false);
  });

  it('finds a pending sign-in by its state hash, consumes it once, and counts the live ones', async () => {
    const login = aLogin();
    await store.insertPendingLogin(login);
    await store.insertPendingLogin(aLogin({ expiresAt: '2026-01-10T12:05:00.000Z' }));
    expect(await store.findPendingLogin(login.stateHash)).toEqual(login);
    expect(await store.findPendingLogin('unknown')).toBeNull();
    await expect(store.insertPendingLogin(aLogin({ stateHash: login.stateHash }))).rejects.toThrow();
    expect(await store.countPendingLogins('2026-01-10T12:01:00.000Z')).toBe(2);
    expect(await store.countPendingLogins('2026-01-10T12:06:00.000Z')).toBe(1);
    expect(await store.consumePendingLogin(login.id, '2026-01-10T12:02:00.000Z')).toBe(true);
    expect(await store.consumePendingLogin(login.id, '2026-01-10T12:03:00.000Z')).toBe(false);
    expect((await store.findPendingLogin(login.stateHash))?.consumedAt).toBe('2026-01-10T12:02:00.000Z');
  });

  it('sweeps ended, expired and idle sessions and expired sign-ins, in bounded batches, and nothing live', async () => {
    const live = aSession({ lastSeenAt: '2026-01-10T12:50:00.000Z' });
    const ended = aSession({ endedAt: '2026-01-10T12:10:00.000Z', endReason: 'logout' });
    const expired = aSession({
      expiresAt: '2026-01-10T12:30:00.000Z',
      lastSeenAt: '2026-01-10T12:29:00.000Z',
    });
    const idle = aSession({ lastSeenAt: '2026-01-10T12:10:00.000Z' });
    for (const s of [live, ended, expired, idle]) await store.insertSession(s);
    const pending = aLogin({ expiresAt: '2026-01-10T13:05:00.000Z' });
    const stale = aLogin();
    await store.insertPendingLogin(pending);
    await store.insertPendingLogin(stale);

    const at = { now: '2026-01-10T13:00:00.000Z', idleBefore: '2026-01-10T12:30:00.000Z' };
    expect(await store.sweep({ ...at, limit: 2 })).toEqual({ sessions: 2, logins: 1 });
    expect(await store.sweep({ ...at, limit: 2 })).toEqual({ sessions: 1, logins: 0 });
    expect(await store.sweep({ ...at, limit: 2 })).toEqual({ sessions: 0, logins: 0 });
    expect(await store.findSession(live.id)).toEqual(live);
    for (const s of [ended, expired, idle]) expect(await store.findSession(s.id)).toBeNull();
    expect(await store.findPendingLogin(pending.stateHash)).toEqual(pending);
    expect(await store.findPendingLogin(stale.stateHash)).toBeNull();
  });
});
