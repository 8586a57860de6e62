import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, type SqlDatabase } from '../../src/adapters/sql/db.js';
import { createMonitorSqlStore } from '../../src/adapters/sql/monitor.sql-store.js';
import type { Stores } from '../../src/adapters/sql/stores.js';
import { createSqlStores, createSqlUnitOfWork } from '../../src/adapters/sql/unit-of-work.js';
import type { ReadingsRecord, StoredReading, WindowSummary } from '../../src/modules/monitor/index.js';
import { newId } from '../../src/platform/ids.js';
import { databaseFactories, type TestDatabase, type TestDatabaseFactory } from '../fixtures/databases.js';

// The alert engine's stored detector readings on every backend: a window's and an interval's round trip
// (a non-finite value comes back null), one query for a page of windows, the latest interval, nothing kept
// from a rolled-back evaluation, and retention with the windows.
const backends = databaseFactories().map((f): [string, TestDatabaseFactory] => [f.name, f]);

const at = (minute: number) => new Date(Date.UTC(2026, 11, 7, 10, minute)).toISOString();

const readingsOf = (value: number): StoredReading[] => [
  { detector: 'dataset_drift', value, threshold: 0.5, breached: value >= 0.5, direction: 'above' },
  {
    detector: 'column_drift:petal_length',
    value: 1e-9,
    threshold: 0.0125,
    breached: true,
    direction: 'below',
  },
];

const aRecord = (overrides: Partial<ReadingsRecord> = {}): ReadingsRecord => ({
  environment: 'production',
  model: 'iris',
  windowId: newId(),
  at: at(0),
  digest: 'a'.repeat(64),
  version: 2,
  kind: 'window',
  readings: readingsOf(0.75),
  ...overrides,
});

const aWindow = (id: string, end: string): WindowSummary => ({
  id,
  environment: 'production',
  model: 'iris',
  version: 2,
  digest: 'a'.repeat(64),
  start: end,
  end,
  closedBy: 'time',
  requests: 0,
  rows: 0,
  drift: null,
  histograms: [],
  prediction: null,
  labels: { count: 0, accuracy: null, f1: null },
});

describe.each(backends)('monitor reading store (%s)', (_name, factory) => {
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

  it("returns each window's readings by id in one call, only in its environment", async () => {
    const a = aRecord({ readings: readingsOf(0.75) });
    const b = aRecord({ readings: readingsOf(0.25), at: at(5) });
    const empty = aRecord({ readings: [], at: at(10) });
    for (const r of [a, b, empty]) await read.monitorAlerts.saveReadings(r);
    await read.monitorAlerts.saveReadings(aRecord({ environment: 'staging', windowId: a.windowId }));
    const never = newId();
    const found = await read.monitorAlerts.windowReadings('production', [
      a.windowId ?? '',
      b.windowId ?? '',
      empty.windowId ?? '',
      never,
    ]);
    expect(found.get(a.windowId ?? '')).toEqual(readingsOf(0.75));
    expect(found.get(b.windowId ?? '')).toEqual(readingsOf(0.25));
    expect(found.get(empty.windowId ?? '')).toEqual([]);
    expect(found.has(never)).toBe(false);
    expect((await read.monitorAlerts.windowReadings('staging', [b.windowId ?? ''])).size).toBe(0);
  });

  it('stores a value or threshold that is not a finite number as null', async () => {
    const r = aRecord({
      readings: [
        {
          detector: 'confidence_drop',
          value: Number.NaN,
          threshold: 0.15,
          breached: false,
          direction: 'above',
        },
        {
          detector: 'p99_latency_ms',
          value: Number.POSITIVE_INFINITY,
          threshold: 1000,
          breached: true,
          direction: 'above',
        },
        {
          detector: 'unique_ratio',
          value: 0.2,
          threshold: Number.NEGATIVE_INFINITY,
          breached: false,
          direction: 'below',
        },
      ],
    });
    await read.monitorAlerts.saveReadings(r);
    const found = await read.monitorAlerts.windowReadings('production', [r.windowId ?? '']);
    expect(found.get(r.windowId ?? '')).toEqual([
      { detector: 'confidence_drop', value: null, threshold: 0.15, breached: false, direction: 'above' },
      { detector: 'p99_latency_ms', value: null, threshold: 1000, breached: true, direction: 'above' },
      { detector: 'unique_ratio', value: 0.2, threshold: null, breached: false, direction: 'below' },
    ]);
  });

  it("gives a deployment's latest interval readings, never a window's", async () => {
    expect(await read.monitorAlerts.latestInterval('production', 'iris')).toBeNull();
    const interval = (minute: number, value: number): ReadingsRecord =>
      aRecord({
        windowId: null,
        kind: 'interval',
        at: at(minute),
        readings: [
          { detector: 'error_rate', value, threshold: 0.05, breached: value > 0.05, direction: 'above' },
        ],
      });
    await read.monitorAlerts.saveReadings(interval(1, 0.01));
    await read.monitorAlerts.saveReadings(interval(2, 0.2));
    await read.monitorAlerts.saveReadings(aRecord({ at: at(3) }));
    await read.monitorAlerts.saveReadings({ ...interval(4, 0.5), model: 'wine' });
    expect(await read.monitorAlerts.latestInterval('production', 'iris')).toEqual({
      at: at(2),
      readings: [{ detector: 'error_rate', value: 0.2, threshold: 0.05, breached: true, direction: 'above' }],
    });
    expect(await read.monitorAlerts.latestInterval('staging', 'iris')).toBeNull();
  });

  it('keeps nothing of an evaluation whose transaction rolls back', async () => {
    const uow = createSqlUnitOfWork(database.db, database.capabilities);
    const r = aRecord();
    await expect(
      uow.run(async (stores) => {
        await stores.monitorAlerts.saveReadings(r);
        throw new Error('the alert write failed');
      }),
    ).rejects.toThrow('the alert write failed');
    expect((await read.monitorAlerts.windowReadings('production', [r.windowId ?? ''])).size).toBe(0);
  });

  it('deletes readings with the windows past retention, and interval readings of the same age', async () => {
    const windows = createMonitorSqlStore(database.db);
    const old = aWindow(newId(), at(0));
    const recent = aWindow(newId(), at(60));
    await windows.saveWindows([old, recent].map((summary) => ({ summary, predictions: [] })));
    // The old window was read after the cutoff (a late evaluation): its readings still go with it.
    await read.monitorAlerts.saveReadings(aRecord({ windowId: old.id, at: at(45) }));
    await read.monitorAlerts.saveReadings(aRecord({ windowId: recent.id, at: at(61) }));
    const interval = { windowId: null, kind: 'interval' as const };
    await read.monitorAlerts.saveReadings(aRecord({ ...interval, at: at(10) }));
    await read.monitorAlerts.saveReadings(aRecord({ ...interval, at: at(50), readings: readingsOf(0.1) }));
    expect(await windows.deleteEndedBefore(at(30))).toBe(1);
    const left = await read.monitorAlerts.windowReadings('production', [old.id, recent.id]);
    expect([...left.keys()]).toEqual([recent.id]);
    expect(await read.monitorAlerts.latestInterval('production', 'iris')).toEqual({
      at: at(50),
      readings: readingsOf(0.1),
    });
    await windows.deleteEndedBefore(at(55));
    expect(await read.monitorAlerts.latestInterval('production', 'iris')).toBeNull();
  });
});
