import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, type SqlDatabase } from '../../src/adapters/sql/db.js';
import type { Stores } from '../../src/adapters/sql/stores.js';
import { createSqlStores } from '../../src/adapters/sql/unit-of-work.js';
import type { AlertRecord } from '../../src/modules/monitor/index.js';
import { newId } from '../../src/platform/ids.js';
import { databaseFactories, type TestDatabase, type TestDatabaseFactory } from '../fixtures/databases.js';

// The monitor alert store on every backend: what the alert engine's guarantees rest on (one open alert per
// rule and deployment, rule states and cool-downs that survive a restart, newest-first paging).
const backends = databaseFactories().map((f): [string, TestDatabaseFactory] => [f.name, f]);

const at = (minute: number) => new Date(Date.UTC(2026, 11, 7, 10, minute)).toISOString();

const anAlert = (overrides: Partial<AlertRecord> = {}): AlertRecord => ({
  id: newId(),
  environment: 'production',
  model: 'iris',
  rule: 'dataset_drift',
  severity: 'critical',
  state: 'firing',
  value: 0.75,
  threshold: 0.5,
  firedAt: at(0),
  resolvedAt: null,
  updatedAt: at(0),
  windowId: 'w-1',
  digest: 'a'.repeat(64),
  version: 2,
  rollback: null,
  ...overrides,
});

describe.each(backends)('monitor alert store (%s)', (_name, factory) => {
  let t: TestDatabase;
  let database: SqlDatabase;
  let read: Stores;

  beforeEach(async () => {
    t = await factory.create();
    database = t.open();
    await migrateToLatest(database.db);
    read = createSqlStores(database.db, database.capabilities);
  });
  afterEach(async () => {
    await database.close();
    await t.cleanup();
  });

  it('stores an alert, updates it and records the rollback it caused', async () => {
    const alert = anAlert({ value: 0.6180339887 });
    await read.monitorAlerts.insertAlert(alert);
    expect(await read.monitorAlerts.findAlert(alert.id)).toEqual(alert);
    const resolved = {
      ...alert,
      state: 'resolved' as const,
      value: 0.1,
      resolvedAt: at(5),
      updatedAt: at(5),
    };
    await read.monitorAlerts.updateAlert(resolved);
    const rollback = { action: 'rolled_back' as const, at: at(1), deployment: 'd-1', detail: null };
    await read.monitorAlerts.setRollback(alert.id, rollback);
    expect(await read.monitorAlerts.findAlert(alert.id)).toEqual({ ...resolved, rollback });
    expect(await read.monitorAlerts.findAlert(newId())).toBeNull();
  });

  it('never holds two firing alerts for one rule of one deployment', async () => {
    await read.monitorAlerts.insertAlert(anAlert());
    await expect(read.monitorAlerts.insertAlert(anAlert())).rejects.toThrow();
    await read.monitorAlerts.insertAlert(anAlert({ state: 'resolved', resolvedAt: at(1) }));
    await read.monitorAlerts.insertAlert(anAlert({ model: 'other' }));
    await read.monitorAlerts.insertAlert(anAlert({ rule: 'confidence' }));
  });

  it('lists an environment newest first, by model and state, a page at a time', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const a = anAlert({
        rule: `column_drift:c${i}`,
        model: i % 2 ? 'iris' : 'wine',
        state: i < 2 ? 'resolved' : 'firing',
      });
      ids.push(a.id);
      await read.monitorAlerts.insertAlert(a);
    }
    await read.monitorAlerts.insertAlert(anAlert({ environment: 'staging' }));
    const all = await read.monitorAlerts.listAlerts('production', { limit: 10 });
    expect(all.map((a) => a.id)).toEqual([...ids].reverse());
    const page1 = await read.monitorAlerts.listAlerts('production', { limit: 2 });
    const page2 = await read.monitorAlerts.listAlerts('production', { limit: 2, before: page1.at(-1)?.id });
    expect([...page1, ...page2].map((a) => a.id)).toEqual([...ids].reverse().slice(0, 4));
    const iris = await read.monitorAlerts.listAlerts('production', { limit: 10, model: 'iris' });
    expect(iris.map((a) => a.id)).toEqual([ids[3], ids[1]]);
    const firing = await read.monitorAlerts.listAlerts('production', { limit: 10, state: 'firing' });
    expect(firing.map((a) => a.id)).toEqual([ids[4], ids[3], ids[2]]);
  });

  it('keeps rule states and the last rollback of each deployment', async () => {
    const state = {
      environment: 'production',
      model: 'iris',
      rule: 'confidence',
      breaches: 1,
      clean: 0,
      openAlert: null,
    };
    await read.monitorAlerts.saveRuleState(state, at(0));
    await read.monitorAlerts.saveRuleState({ ...state, breaches: 2, openAlert: 'a-1' }, at(1));
    await read.monitorAlerts.saveRuleState({ ...state, model: 'wine' }, at(1));
    expect(await read.monitorAlerts.ruleStates('production', 'iris')).toEqual([
      { ...state, breaches: 2, openAlert: 'a-1' },
    ]);
    expect(await read.monitorAlerts.lastRollback('production', 'iris')).toBeNull();
    await read.monitorAlerts.saveRollback('production', 'iris', at(2), 'a-1');
    await read.monitorAlerts.saveRollback('production', 'iris', at(40), 'a-2');
    expect(await read.monitorAlerts.lastRollback('production', 'iris')).toEqual({ at: at(40), alert: 'a-2' });
  });

  it('saves a policy only over the revision it read', async () => {
    const policy = {
      environment: 'production',
      model: 'iris',
      document: { thresholds: { driftShare: 0.3 }, rules: { confidence: { severity: 'critical' as const } } },
      revision: 1,
      setBy: 'token:admin',
      setByName: 'admin',
      setAt: at(0),
      reason: 'tighter',
    };
    expect(await read.monitorAlerts.savePolicy(policy)).toBe(true);
    expect(await read.monitorAlerts.savePolicy(policy)).toBe(false);
    expect(await read.monitorAlerts.savePolicy({ ...policy, revision: 3 })).toBe(false);
    expect(await read.monitorAlerts.savePolicy({ ...policy, revision: 2, reason: null })).toBe(true);
    expect(await read.monitorAlerts.findPolicy('production', 'iris')).toEqual({
      ...policy,
      revision: 2,
      reason: null,
    });
  });
});
