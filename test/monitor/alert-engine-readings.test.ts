import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMonitorSqlStore } from '../../src/adapters/sql/monitor.sql-store.js';
import type { ColumnDrift, WindowSummary } from '../../src/modules/monitor/index.js';
import { newId } from '../../src/platform/ids.js';
import { api, auth, deployWorld } from '../deploy/deploy-fixtures.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';

// The alert engine keeps every evaluation's readings (with the thresholds of the deployment's policy in force
// and the side that is bad), and the monitor API serves them: a window's, a page of windows', the status's
// last window and latest minute of gateway counters.
const base = `${api}/environments/production/monitor`;
let nowMs = Date.UTC(2026, 11, 7, 10, 0);
const clock = { now: () => new Date(nowMs) };

const column = (name: string, test: ColumnDrift['test'], value: number, drifted: boolean): ColumnDrift => ({
  column: name,
  role: 'feature',
  kind: 'numeric',
  test,
  value,
  statistic: null,
  threshold: test === 'wasserstein' ? 0.1 : 0.05,
  drifted,
  referenceCount: 150,
  currentCount: 100,
});

function aWindow(version: number, digest: string, o: Partial<WindowSummary> = {}): WindowSummary {
  const at = clock.now().toISOString();
  return {
    id: newId(),
    environment: 'production',
    model: 'iris',
    version,
    digest,
    start: at,
    end: at,
    closedBy: 'count',
    requests: 100,
    rows: 100,
    drift: {
      // Two p-value tests: each judged against 0.05 / 2 (Bonferroni); the distance keeps its own threshold.
      columns: [
        column('petal_length', 'ks', 0.001, true),
        column('sepal_width', 'chisquare', 0.04, true),
        column('petal_width', 'wasserstein', 0.2, true),
      ],
      dataset: { columns: 3, drifted: 3, share: 0.4, threshold: 0.5, detected: false },
    },
    histograms: [],
    prediction: {
      rows: 100,
      uniqueRatio: 0.03,
      topClass: 'setosa',
      topClassShare: 0.34,
      meanConfidence: 0.9,
    },
    labels: { count: 0, accuracy: null, f1: null },
    ...o,
  };
}

describe('detector readings, stored by the alert engine and served', () => {
  let t: TestApp;
  let viewer: string;
  let version: { number: number; digest: string };

  beforeAll(async () => {
    t = await createTestApp({
      clock,
      settings: { environments: { production: { gates: ['scan'], requireVulnReport: false, approvals: 0 } } },
    });
    const w = await deployWorld(t, { count: 1 });
    version = w.versions[0] as { number: number; digest: string };
    viewer = w.viewer;
    const res = await t.app.inject({
      method: 'POST',
      url: `${api}/environments/production/requests`,
      payload: { model: 'iris', version: version.number },
      headers: auth(w.deployer),
    });
    expect(res.statusCode, res.body).toBe(201);
    const applied = await t.app.inject({
      method: 'POST',
      url: `${api}/deploy-requests/${res.json().request.id}/apply`,
      headers: auth(w.deployer),
    });
    expect(applied.statusCode, applied.body).toBe(200);
    const policy = await t.app.inject({
      method: 'PUT',
      url: `${api}/environments/production/deployments/iris/monitor-policy`,
      payload: { policy: { thresholds: { driftShare: 0.3, confidenceMin: 0.95, rateLimitedPerMinMax: 5 } } },
    });
    expect(policy.statusCode, policy.body).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = async (url: string) => {
    const res = await t.app.inject({ url, headers: auth(viewer) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it("stores a window's readings with the policy's thresholds and their direction; a window never read has none", async () => {
    const read = aWindow(version.number, version.digest);
    nowMs += 60_000;
    const unread = aWindow(version.number, version.digest, { drift: null });
    const database = t.db.open();
    try {
      await createMonitorSqlStore(database.db).saveWindows(
        [read, unread].map((summary) => ({ summary, predictions: [] })),
      );
    } finally {
      await database.close();
    }
    await t.container.alerts.onWindow(read);

    const expected = [
      { detector: 'dataset_drift', value: 0.4, threshold: 0.3, breached: true, direction: 'above' },
      {
        detector: 'column_drift:petal_length',
        value: 0.001,
        threshold: 0.025,
        breached: true,
        direction: 'below',
      },
      {
        detector: 'column_drift:sepal_width',
        value: 0.04,
        threshold: 0.025,
        breached: false,
        direction: 'below',
      },
      {
        detector: 'column_drift:petal_width',
        value: 0.2,
        threshold: 0.1,
        breached: true,
        direction: 'above',
      },
      { detector: 'unique_ratio', value: 0.03, threshold: 0, breached: false, direction: 'below' },
      { detector: 'top_class_share', value: 0.34, threshold: 0.9, breached: false, direction: 'above' },
      { detector: 'confidence', value: 0.9, threshold: 0.95, breached: true, direction: 'below' },
    ];
    const one = await get(`${base}/windows/${read.id}`);
    expect(one.readings).toEqual(expected);
    expect((await get(`${base}/windows/${unread.id}`)).readings).toBeNull();

    const page = await get(`${base}/windows?model=iris`);
    expect(page.items.map((w: { id: string; readings: unknown }) => [w.id, w.readings])).toEqual([
      [unread.id, null],
      [read.id, expected],
    ]);
    // The status's last window is the newest: not read yet.
    const status = await get(`${base}/status?model=iris`);
    expect(status.lastClosed).toMatchObject({ id: unread.id, readings: null });
    expect(status.latestInterval).toBeNull();
  });

  it("stores each minute's interval readings, served as the status's latest", async () => {
    nowMs += 60_000;
    await t.container.alerts.onInterval(clock.now());
    nowMs += 60_000;
    await t.container.alerts.onInterval(clock.now());
    const status = await get(`${base}/status?model=iris`);
    expect(status.latestInterval.at).toBe(clock.now().toISOString());
    const byDetector = Object.fromEntries(
      status.latestInterval.readings.map((r: { detector: string }) => [r.detector, r]),
    );
    // No traffic: error rate and latency are not read (fewer than minRequests); the security counters are.
    expect(byDetector.error_rate).toBeUndefined();
    expect(byDetector.rate_limited).toEqual({
      detector: 'rate_limited',
      value: 0,
      threshold: 5,
      breached: false,
      direction: 'above',
    });
    expect(byDetector.screening_blocks).toMatchObject({ value: 0, threshold: 10, direction: 'above' });
    expect(byDetector.extraction_alerts).toMatchObject({ value: 0, threshold: 0, breached: false });
  });
});
