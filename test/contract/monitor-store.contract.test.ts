import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, type SqlDatabase } from '../../src/adapters/sql/db.js';
import { createMonitorSqlStore } from '../../src/adapters/sql/monitor.sql-store.js';
import {
  labelMetrics,
  type MonitorWindowStore,
  type WindowRecord,
  type WindowSummary,
} from '../../src/modules/monitor/index.js';
import { newId } from '../../src/platform/ids.js';
import { databaseFactories, type TestDatabase } from '../fixtures/databases.js';

const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 0, minute)).toISOString();

const aWindow = (minute: number, overrides: Partial<WindowSummary> = {}): WindowSummary => ({
  id: newId(),
  environment: 'production',
  model: 'iris',
  version: 1,
  digest: 'sha256:aa',
  start: at(minute),
  end: at(minute + 5),
  closedBy: 'time',
  requests: 3,
  rows: 3,
  drift: null,
  histograms: [],
  prediction: { rows: 3, uniqueRatio: 2 / 3, topClass: '0', topClassShare: 2 / 3, meanConfidence: 0.9 },
  labels: { count: 0, accuracy: null, f1: null },
  ...overrides,
});

const record = (summary: WindowSummary, ids: string[], predictions: string[]): WindowRecord => ({
  summary,
  predictions: ids.map((requestId, i) => ({ requestId, prediction: predictions[i] ?? '', label: null })),
});

describe.each(databaseFactories().map((f) => [f.name, f] as const))(
  'monitor window store (%s)',
  (_n, factory) => {
    let t: TestDatabase;
    let database: SqlDatabase;
    let store: MonitorWindowStore;

    beforeEach(async () => {
      t = await factory.create();
      database = t.open();
      await migrateToLatest(database.db);
      store = createMonitorSqlStore(database.db);
    });
    afterEach(async () => {
      await database.close();
      await t.cleanup();
    });

    it('writes a batch and lists a deployment newest first, by pages', async () => {
      const windows = [0, 5, 10].map((m) => aWindow(m));
      const other = aWindow(0, { model: 'other' });
      await store.saveWindows([...windows.map((w) => record(w, [], [])), record(other, [], [])]);
      const first = await store.listWindows('production', 'iris', { limit: 2 });
      expect(first.items.map((w) => w.id)).toEqual([windows[2]?.id, windows[1]?.id]);
      expect(first.next).toBe(windows[1]?.id);
      const second = await store.listWindows('production', 'iris', { limit: 2, after: first.next ?? '' });
      expect(second).toEqual({ items: [windows[0]], next: null });
      expect(await store.findWindow('production', other.id)).toEqual(other);
      expect(await store.findWindow('staging', other.id)).toBeNull();
    });

    it('a batch is written all or none', async () => {
      const w = aWindow(0);
      await expect(store.saveWindows([record(w, ['a'], ['0']), record(w, [], [])])).rejects.toThrow();
      expect((await store.listWindows('production', 'iris', { limit: 10 })).items).toEqual([]);
    });

    it('labels stored predictions by request id, recomputes the figures, and reports only matches', async () => {
      const w1 = aWindow(0);
      const w2 = aWindow(5);
      await store.saveWindows([record(w1, ['r1', 'r2', 'r3'], ['0', '1', '1']), record(w2, ['r4'], ['2'])]);
      const matched = await store.applyLabels(
        'production',
        'iris',
        [
          { requestId: 'r1', value: '0' },
          { requestId: 'r2', value: '2' },
          { requestId: 'nope', value: '1' },
        ],
        labelMetrics,
      );
      expect(matched.sort()).toEqual(['r1', 'r2']);
      expect((await store.findWindow('production', w1.id))?.labels).toEqual({
        count: 2,
        accuracy: 0.5,
        f1: expect.closeTo(1 / 3, 12),
      });
      expect((await store.findWindow('production', w2.id))?.labels).toEqual({
        count: 0,
        accuracy: null,
        f1: null,
      });
      // Another deployment's or environment's labels never match.
      expect(
        await store.applyLabels('production', 'other', [{ requestId: 'r4', value: '2' }], labelMetrics),
      ).toEqual([]);
      expect(
        await store.applyLabels('staging', 'iris', [{ requestId: 'r4', value: '2' }], labelMetrics),
      ).toEqual([]);
    });

    it('retention deletes every expired window, a few per transaction, of every environment', async () => {
      const old = [0, 10, 20, 30, 40].map((m, i) => aWindow(m, i % 2 ? { environment: 'staging' } : {}));
      const recent = aWindow(200);
      await store.saveWindows([
        ...old.map((w, i) => record(w, [`old-${i}-a`, `old-${i}-b`], ['0', '1'])),
        record(recent, ['new-a'], ['2']),
      ]);
      expect(await store.deleteEndedBefore(at(100))).toBe(5);
      expect(await store.deleteEndedBefore(at(100))).toBe(0);
      for (const environment of ['production', 'staging'])
        expect((await store.listWindows(environment, 'iris', { limit: 10 })).items.map((w) => w.id)).toEqual(
          environment === 'production' ? [recent.id] : [],
        );
      const labels = (ids: string[]) => ids.map((requestId) => ({ requestId, value: '0' }));
      expect(
        await store.applyLabels(
          'production',
          'iris',
          labels(['old-0-a', 'old-2-b', 'old-4-a']),
          labelMetrics,
        ),
      ).toEqual([]);
      expect(
        await store.applyLabels('staging', 'iris', labels(['old-1-a', 'old-3-b']), labelMetrics),
      ).toEqual([]);
      expect(await store.applyLabels('production', 'iris', labels(['new-a']), labelMetrics)).toEqual([
        'new-a',
      ]);
    });

    it('retention deletes windows that ended before the cutoff, with their predictions', async () => {
      const old = aWindow(0);
      const recent = aWindow(60);
      await store.saveWindows([record(old, ['r1'], ['0']), record(recent, ['r2'], ['1'])]);
      expect(await store.deleteEndedBefore(at(30))).toBe(1);
      expect((await store.listWindows('production', 'iris', { limit: 10 })).items.map((w) => w.id)).toEqual([
        recent.id,
      ]);
      expect(
        await store.applyLabels('production', 'iris', [{ requestId: 'r1', value: '0' }], labelMetrics),
      ).toEqual([]);
    });
  },
);
