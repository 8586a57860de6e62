import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlDatabase } from '../../src/adapters/sql/db.js';
import { createMonitorSqlStore } from '../../src/adapters/sql/monitor.sql-store.js';
import { createMonitorAlertSqlStore } from '../../src/adapters/sql/monitor-alert.sql-store.js';
import { runCli } from '../../src/cli/run-cli.js';
import {
  columnDrift,
  datasetDrift,
  defaultThresholds,
  intervalReadings,
  type StoredReading,
  type WindowSummary,
  windowReadings,
} from '../../src/modules/monitor/index.js';
import { newId } from '../../src/platform/ids.js';
import { createModel } from '../fixtures/http-helpers.js';
import { irisReferenceProfile } from '../fixtures/iris-traffic.js';
import { memoryCtx } from '../fixtures/memory-cli.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';

// `warden monitor status|drift` against a real server on loopback, over a window stored by the real store.
describe('warden monitor', () => {
  let t: TestApp;
  let url: string;
  let dir: string;
  let db: SqlDatabase;
  let stored: WindowSummary;
  let readings: StoredReading[];

  beforeAll(async () => {
    t = await createTestApp();
    await createModel(t, 'iris', { owner: 'ml' });
    await t.rawApp.listen({ port: 0, host: '127.0.0.1' });
    const address = t.rawApp.server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    dir = mkdtempSync(path.join(tmpdir(), 'warden-monitor-'));
    // A window of the reference itself with petal_length shifted by 2: that column drifts, the others not.
    const reference = irisReferenceProfile();
    const columns = reference.columns
      .filter((c) => c.role === 'feature')
      .map((spec) => {
        const ref = reference.samples[spec.name];
        if (!ref) throw new Error(spec.name);
        const values = (ref.values as number[]).map((v) => (spec.name === 'petal_length' ? v + 2 : v));
        return columnDrift(spec, ref, { ...ref, values });
      });
    stored = {
      id: newId(),
      environment: 'production',
      model: 'iris',
      version: 1,
      digest: `sha256:${'a'.repeat(64)}`,
      start: '2026-12-01T00:00:00.000Z',
      end: '2026-12-01T00:05:00.000Z',
      closedBy: 'time',
      requests: 120,
      rows: 120,
      drift: { columns, dataset: datasetDrift(columns) },
      histograms: [],
      prediction: null,
      labels: { count: 0, accuracy: null, f1: null },
    };
    db = t.db.open();
    await createMonitorSqlStore(db.db).saveWindows([{ summary: stored, predictions: [] }]);
    // The alert engine's readings of that window, and of a minute of gateway counters with many refusals.
    readings = windowReadings(stored, defaultThresholds);
    const alerts = createMonitorAlertSqlStore(db.db);
    const deployment = { environment: 'production', model: 'iris', digest: stored.digest, version: 1 };
    await alerts.saveReadings({
      ...deployment,
      windowId: stored.id,
      at: stored.end,
      kind: 'window',
      readings,
    });
    const counters = {
      minutes: 1,
      requests: 0,
      errors: 0,
      p99LatencyMs: null,
      authFailures: 0,
      rateLimited: 75,
      screeningBlocks: 0,
      extractionAlerts: 0,
    };
    await alerts.saveReadings({
      ...deployment,
      windowId: null,
      at: '2026-12-01T00:06:00.000Z',
      kind: 'interval',
      readings: intervalReadings(counters, defaultThresholds),
    });
  });
  afterAll(async () => {
    await db?.close();
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function warden(args: string[]) {
    const { ctx, out, err } = memoryCtx(dir, { WARDEN_URL: url, WARDEN_TOKEN: t.adminToken });
    const code = await runCli(args, ctx);
    return { code, out: out(), err: err() };
  }

  it('drift: a table of columns with their test, value, threshold and verdict; --json', async () => {
    const shown = await warden(['monitor', 'drift', 'production', '--model', 'iris']);
    expect(shown, shown.err).toMatchObject({ code: 0 });
    expect(shown.out).toMatch(/petal_length\s+ks\s+\S+\s+0\.05\s+YES/);
    expect(shown.out).toMatch(/sepal_width\s+ks\s+1\.0000\s+0\.05\s+no/);
    // The detectors' readings, with the Bonferroni-corrected threshold (four p-value tests: 0.05 / 4).
    expect(shown.out).toMatch(/DETECTOR\s+VALUE\s+BAD WHEN\s+BREACHED/);
    expect(shown.out).toMatch(/column_drift:petal_length\s+\S+\s+below 0\.0125\s+YES/);
    expect(shown.out).toMatch(/dataset_drift\s+0\.25\s+above 0\.5\s+no/);
    const json = JSON.parse((await warden(['monitor', 'drift', '--window', stored.id, '--json'])).out);
    expect(json).toEqual([{ ...stored, readings }]);
  });

  it('status: the last closed window, writes pending and windows lost', async () => {
    const shown = await warden(['monitor', 'status', 'production', '--model', 'iris']);
    expect(shown, shown.err).toMatchObject({ code: 0 });
    expect(shown.out).toContain(stored.id);
    expect(shown.out).toMatch(/Window breached:\s+column_drift:petal_length \S+ \(bad below 0\.0125\)$/m);
    expect(shown.out).toMatch(
      /Gateway breached:\s+rate_limited 75 \(bad above 60\) \(read 2026-12-01T00:06:00\.000Z\)/,
    );
    expect(shown.out).toMatch(/Lost windows:\s+0/);
  });

  it('an unknown window or model is an error with its code', async () => {
    const missing = await warden(['monitor', 'drift', '--window', '00000000-0000-7000-8000-000000000000']);
    expect(missing.code).not.toBe(0);
    expect(missing.err).toContain('monitor_window_not_found');
    expect((await warden(['monitor', 'status', '--model', 'nope'])).code).not.toBe(0);
  });
});
