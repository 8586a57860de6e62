import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, type SqlDatabase } from '../../src/adapters/sql/db.js';
import { createMonitorSqlStore } from '../../src/adapters/sql/monitor.sql-store.js';
import { createObservationBuffer } from '../../src/modules/gateway/index.js';
import {
  createMonitorService,
  type DetectorName,
  type DriftPolicy,
  freshState,
  type MonitorWindowStore,
  type RuleState,
  referenceConfidence,
  resolvePolicy,
  ruleOf,
  step,
  type WindowSummary,
  windowReadings,
} from '../../src/modules/monitor/index.js';
import { createLogger } from '../../src/platform/logger.js';
import { databaseFactories, type TestDatabase } from '../fixtures/databases.js';
import { irisReferenceProfile, irisReferenceRows, openIris, seeded } from '../fixtures/iris-traffic.js';

const target = { model: 'iris', version: 1, digest: 'sha256:aa' };
const settings = {
  window: { rows: 1_000, seconds: 300, minRows: 100 },
  sampleSize: 5_000,
  retentionDays: 90,
};
const start = Date.UTC(2026, 11, 1);

describe.each(databaseFactories().map((f) => [f.name, f] as const))(
  'monitor service (%s)',
  (_name, factory) => {
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

    /** A monitor on a simulated clock, with the real buffer, the real model and a real reference. */
    async function setup(
      options: {
        maxPendingWindows?: number;
        driftPolicy?: (model: string) => Promise<DriftPolicy | null>;
        sliceMs?: number;
      } = {},
    ) {
      let now = start;
      const buffer = createObservationBuffer({ maxBytes: 16 * 1024 * 1024, now: () => now });
      const closed: WindowSummary[] = [];
      const lost: number[] = [];
      const service = createMonitorService({
        environment: 'production',
        observations: buffer,
        liveDigests: async () => [target],
        store,
        references: {
          profileFor: async (model, version) =>
            model === 'iris' && version === 1 ? irisReferenceProfile() : null,
        },
        clock: { now: () => new Date(now) },
        logger: createLogger({ level: 'silent' }),
        settings,
        random: seeded(11),
        ...(options.maxPendingWindows ? { maxPendingWindows: options.maxPendingWindows } : {}),
        ...(options.driftPolicy ? { driftPolicy: options.driftPolicy } : {}),
        ...(options.sliceMs !== undefined ? { sliceMs: options.sliceMs } : {}),
        metrics: { windowsLost: (_model, count) => lost.push(count) },
        onWindowClosed: [
          (s) => {
            closed.push(s);
          },
          () => {
            throw new Error('a listener that fails must not stop the others');
          },
        ],
      });
      const iris = await openIris();
      const rows = irisReferenceRows().features;
      const random = seeded(2026);
      let request = 0;
      /** `seconds` of traffic at one request a second, a tick every 10 s (monitor.drainSeconds). */
      async function traffic(seconds: number, shift = 0) {
        for (let s = 0; s < seconds; s++) {
          now += 1000;
          const row = [...(rows[Math.floor(random() * rows.length)] ?? [])];
          row[2] = (row[2] ?? 0) + shift;
          await iris.call(
            buffer,
            { ...target, requestId: `00000000-0000-7000-8000-${String(request++).padStart(12, '0')}` },
            [row],
          );
          if (now % 10_000 === 0) await service.tick();
        }
      }
      /** `count` requests within one simulated second, no tick (what a busy gateway buffers between two). */
      async function burst(count: number) {
        now += 1000;
        for (let i = 0; i < count; i++) {
          const row = [...(rows[Math.floor(random() * rows.length)] ?? [])];
          await iris.call(
            buffer,
            { ...target, requestId: `00000000-0000-7000-8000-${String(request++).padStart(12, '0')}` },
            [row],
          );
        }
      }
      return {
        service,
        closed,
        lost,
        traffic,
        burst,
        advance: (ms: number) => {
          now += ms;
        },
        close: () => iris.close(),
      };
    }

    it('one simulated hour of in-distribution traffic: 12 windows with drift computed, none flagged', async () => {
      const m = await setup();
      await m.traffic(3_600);
      // The twelfth window (opened at the 3,301st second) is due at the next tick.
      m.advance(10_000);
      await m.service.tick();
      await m.close();
      expect(m.closed).toHaveLength(12);
      for (const w of m.closed) {
        expect(w).toMatchObject({ closedBy: 'time', requests: 300, rows: 300, version: 1 });
        expect(w.drift?.columns.map((c) => c.column)).toEqual([
          'sepal_length',
          'sepal_width',
          'petal_length',
          'petal_width',
        ]);
        expect(w.drift?.dataset.detected).toBe(false);
        expect(w.prediction?.meanConfidence).toBeGreaterThan(0.5);
      }
      const stored = await store.listWindows('production', 'iris', { limit: 100 });
      expect(stored.items.map((w) => w.id)).toEqual(m.closed.map((w) => w.id).reverse());
      // And no alert: every window's readings through the default monitor policy's rules (the alert
      // engine's own detectors and state machine) open none.
      const policy = resolvePolicy(null);
      const confidence = referenceConfidence(irisReferenceProfile());
      const states = new Map<string, RuleState>();
      const fired: string[] = [];
      for (const w of m.closed) {
        const readings = windowReadings(w, policy.thresholds, confidence);
        expect(readings.length).toBeGreaterThan(4);
        for (const r of readings) {
          const state = states.get(r.detector) ?? freshState('production', 'iris', r.detector);
          const next = step(state, r.breached, policy.rules[ruleOf(r.detector) as DetectorName], w.id);
          states.set(r.detector, next.state);
          if (next.transition === 'fire') fired.push(`${r.detector} at ${w.end}`);
        }
      }
      expect(fired).toEqual([]);
    });

    it('shifted traffic (petal_length + 2) is flagged in the first full window', async () => {
      const m = await setup();
      await m.traffic(310, 2);
      await m.close();
      const [first] = m.closed;
      expect(first?.rows).toBe(300);
      expect(first?.drift?.dataset.detected).toBe(true);
      expect(first?.drift?.columns.find((c) => c.column === 'petal_length')?.drifted).toBe(true);
      expect(first?.histograms.map((h) => h.column)).toContain('petal_length');
    });

    it("closes windows with the deployment's drift policy, read at most every 15 s; a failed read keeps the last", async () => {
      let policy: DriftPolicy | Error = { columns: { petal_length: { test: 'psi', threshold: 0.3 } } };
      const reads: string[] = [];
      const m = await setup({
        driftPolicy: async (model) => {
          reads.push(model);
          if (policy instanceof Error) throw policy;
          return policy;
        },
      });
      await m.traffic(310, 2);
      // 31 ticks, 10 s apart: the policy is read again only once 15 s have passed since the last read.
      expect(reads.length).toBeGreaterThan(1);
      expect(reads.length).toBeLessThanOrEqual(16);
      expect(new Set(reads)).toEqual(new Set(['iris']));
      policy = new Error('the policy store is away');
      await m.traffic(300, 2);
      await m.close();
      expect(m.closed).toHaveLength(2);
      for (const w of m.closed) {
        const petal = w.drift?.columns.find((c) => c.column === 'petal_length');
        expect(petal).toMatchObject({
          test: 'psi',
          threshold: 0.3,
          drifted: true,
          chosenBy: { test: 'column', threshold: 'column' },
        });
        const sepal = w.drift?.columns.find((c) => c.column === 'sepal_length');
        expect(sepal?.test).toBe('ks');
        expect(sepal?.chosenBy).toBeUndefined();
      }
    });

    it('a store outage: summaries wait, the oldest past the bound are lost and counted, the rest are written on recovery', async () => {
      const m = await setup({ maxPendingWindows: 2 });
      await sql`alter table monitor_windows rename to monitor_windows_away`.execute(database.db);
      await m.traffic(1_210);
      expect(m.closed).toEqual([]);
      expect(m.service.state.pending.size).toBe(2);
      expect(m.service.state.lostFor('iris')).toBe(2);
      expect(m.lost).toEqual([1, 1]);
      await sql`alter table monitor_windows_away rename to monitor_windows`.execute(database.db);
      await m.traffic(10);
      await m.close();
      expect(m.closed).toHaveLength(2);
      expect(m.service.state.pending.size).toBe(0);
      expect((await store.listWindows('production', 'iris', { limit: 10 })).items).toHaveLength(2);
    });

    it('zero traffic: each elapsed period closes an empty window, never with a drift verdict', async () => {
      const m = await setup();
      await m.service.tick();
      for (let i = 0; i < 3; i++) {
        m.advance(300_000);
        await m.service.tick();
      }
      await m.close();
      expect(m.closed.map((w) => [w.requests, w.drift])).toEqual([
        [0, null],
        [0, null],
        [0, null],
      ]);
    });

    it('a tick over thousands of observations lets the event loop turn between slices, with the same windows as in one go', async () => {
      const windowsOf = async (sliceMs: number) => {
        const m = await setup({ sliceMs });
        await m.burst(2_500);
        // What the other callbacks on the loop (the gateway's requests) can see of the tick's progress: the
        // open window's request count at each turn.
        const seen = new Set<number>();
        let ticking = true;
        const spin = () => {
          for (const w of m.service.state.openFor('iris')) seen.add(w.requests);
          if (ticking) setImmediate(spin);
        };
        setImmediate(spin);
        await m.service.tick();
        ticking = false;
        await m.close();
        const { rows: predictions } = await sql<{ request_id: string; prediction: string }>`
          select request_id, prediction from monitor_predictions order by request_id`.execute(database.db);
        await sql`delete from monitor_predictions`.execute(database.db);
        await sql`delete from monitor_windows`.execute(database.db);
        // The ids are fresh uuids: everything else is compared.
        return { seen, windows: m.closed.map(({ id: _id, ...rest }) => rest), predictions };
      };
      // A budget of 0 ms: a turn of the loop after every step. A budget no tick spends: none at all.
      const sliced = await windowsOf(0);
      const whole = await windowsOf(3_600_000);
      expect(whole.seen.size).toBeLessThanOrEqual(2);
      expect(sliced.seen.size).toBeGreaterThan(30);
      expect(sliced.windows.map((w) => [w.closedBy, w.rows])).toEqual([
        ['count', 1_000],
        ['count', 1_000],
      ]);
      expect(sliced.windows).toEqual(whole.windows);
      expect(sliced.predictions).toHaveLength(2_000);
      expect(sliced.predictions).toEqual(whole.predictions);
    });

    it('stop closes the open window as shutdown and writes it', async () => {
      const m = await setup();
      await m.traffic(50);
      await m.service.stop();
      await m.close();
      expect(m.closed.map((w) => [w.closedBy, w.rows, w.drift])).toEqual([['shutdown', 50, null]]);
    });
  },
);
