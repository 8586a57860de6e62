import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, type SqlDatabase } from '../../src/adapters/sql/db.js';
import { createIdentitySqlStore } from '../../src/adapters/sql/identity.sql-store.js';
import type { IdentityStore, PrincipalRecord, TokenRecord } from '../../src/modules/identity/index.js';
import { databaseFactories, type TestDatabase, type TestDatabaseFactory } from '../fixtures/databases.js';

const backends = databaseFactories().map((f): [string, TestDatabaseFactory] => [f.name, f]);

const aPrincipal = (overrides: Partial<PrincipalRecord> = {}): PrincipalRecord => ({
  id: 'service:ci-bot',
  kind: 'service',
  name: 'ci-bot',
  roles: ['contributor'],
  teams: ['vision'],
  createdBy: 'user:alice',
  createdAt: '2026-01-10T12:00:00.000Z',
  updatedAt: '2026-01-10T12:00:00.000Z',
  ...overrides,
});

const aToken = (overrides: Partial<TokenRecord> = {}): TokenRecord => ({
  id: 'AAAAAAAAAAA1',
  secretHash: 'ab'.repeat(32),
  name: 'ci-bot',
  principalId: 'service:ci-bot',
  roles: ['contributor', 'deployer'],
  teams: ['nlp', 'vision'],
  createdBy: 'user:alice',
  createdAt: '2026-01-10T12:00:00.000Z',
  expiresAt: '2026-02-10T12:00:00.000Z',
  lastUsedAt: null,
  revokedAt: null,
  revokedBy: null,
  ...overrides,
});

describe.each(backends)('IdentityStore contract (%s)', (_name, factory) => {
  let t: TestDatabase;
  let database: SqlDatabase;
  let store: IdentityStore;

  beforeEach(async () => {
    t = await factory.create();
    database = t.open();
    await migrateToLatest(database.db);
    store = createIdentitySqlStore(database.db);
  });
  afterEach(async () => {
    await database.close();
    await t.cleanup();
  });

  it('is empty on a fresh database, and not once a principal exists', async () => {
    expect(await store.isEmpty()).toBe(true);
    await store.insertPrincipal(aPrincipal());
    expect(await store.isEmpty()).toBe(false);
  });

  it('finds an inserted principal by id, and null for an unknown one', async () => {
    const p = aPrincipal();
    await store.insertPrincipal(p);
    expect(await store.findPrincipal(p.id)).toEqual(p);
    expect(await store.findPrincipal('service:nobody')).toBeNull();
  });

  it('refuses a second principal with the same id', async () => {
    await store.insertPrincipal(aPrincipal());
    await expect(store.insertPrincipal(aPrincipal({ name: 'other' }))).rejects.toThrow();
  });

  it("updates a principal's roles and teams", async () => {
    await store.insertPrincipal(aPrincipal());
    await store.updatePrincipal('service:ci-bot', {
      roles: ['viewer'],
      teams: [],
      updatedAt: '2026-01-11T00:00:00.000Z',
    });
    expect(await store.findPrincipal('service:ci-bot')).toEqual(
      aPrincipal({ roles: ['viewer'], teams: [], updatedAt: '2026-01-11T00:00:00.000Z' }),
    );
  });

  it('round-trips a token, nullable fields included', async () => {
    await store.insertPrincipal(aPrincipal());
    const withNulls = aToken({ id: 'AAAAAAAAAAA2', expiresAt: null });
    const full = aToken({
      lastUsedAt: '2026-01-10T13:00:00.000Z',
      revokedAt: '2026-01-10T14:00:00.000Z',
      revokedBy: 'user:bob',
    });
    await store.insertToken(withNulls);
    await store.insertToken(full);
    expect(await store.findToken(withNulls.id)).toEqual(withNulls);
    expect(await store.findToken(full.id)).toEqual(full);
    expect(await store.findToken('AAAAAAAAAAA9')).toBeNull();
  });

  it('refuses a token for a principal that does not exist', async () => {
    await expect(store.insertToken(aToken({ principalId: 'service:ghost' }))).rejects.toThrow();
  });

  it('lists tokens oldest first', async () => {
    await store.insertPrincipal(aPrincipal());
    await store.insertToken(aToken({ id: 'BBBBBBBBBBBB', createdAt: '2026-01-12T00:00:00.000Z' }));
    await store.insertToken(aToken({ id: 'AAAAAAAAAAAA', createdAt: '2026-01-11T00:00:00.000Z' }));
    await store.insertToken(aToken({ id: 'CCCCCCCCCCCC', createdAt: '2026-01-11T00:00:00.000Z' }));
    expect((await store.listTokens()).map((t) => t.id)).toEqual([
      'AAAAAAAAAAAA',
      'CCCCCCCCCCCC',
      'BBBBBBBBBBBB',
    ]);
  });

  it('records a use only when the last one is older than the threshold', async () => {
    await store.insertPrincipal(aPrincipal());
    await store.insertToken(aToken());
    await store.touchToken('AAAAAAAAAAA1', '2026-01-10T12:00:00.000Z', '2026-01-10T11:59:00.000Z');
    expect((await store.findToken('AAAAAAAAAAA1'))?.lastUsedAt).toBe('2026-01-10T12:00:00.000Z');
    // A concurrent use within the minute: the stored time is later than staleAt, nothing is written.
    await store.touchToken('AAAAAAAAAAA1', '2026-01-10T12:00:30.000Z', '2026-01-10T11:59:30.000Z');
    expect((await store.findToken('AAAAAAAAAAA1'))?.lastUsedAt).toBe('2026-01-10T12:00:00.000Z');
    await store.touchToken('AAAAAAAAAAA1', '2026-01-10T12:01:00.000Z', '2026-01-10T12:00:00.000Z');
    expect((await store.findToken('AAAAAAAAAAA1'))?.lastUsedAt).toBe('2026-01-10T12:01:00.000Z');
  });

  it('revokes a live token once and keeps the first revocation', async () => {
    await store.insertPrincipal(aPrincipal());
    await store.insertToken(aToken());
    expect(await store.revokeToken('AAAAAAAAAAA1', '2026-01-10T15:00:00.000Z', 'user:alice')).toBe(true);
    expect(await store.revokeToken('AAAAAAAAAAA1', '2026-01-10T16:00:00.000Z', 'user:bob')).toBe(false);
    const t = await store.findToken('AAAAAAAAAAA1');
    expect([t?.revokedAt, t?.revokedBy]).toEqual(['2026-01-10T15:00:00.000Z', 'user:alice']);
    expect(await store.revokeToken('AAAAAAAAAAA9', '2026-01-10T15:00:00.000Z', 'user:alice')).toBe(false);
  });

  it('keeps identity changes made in a rolled-back transaction out', async () => {
    await expect(
      database.db.transaction().execute(async (trx) => {
        const s = createIdentitySqlStore(trx);
        await s.insertPrincipal(aPrincipal());
        await s.insertToken(aToken());
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await store.isEmpty()).toBe(true);
  });
});
