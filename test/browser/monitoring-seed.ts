import path from 'node:path';
import { uuidv7 } from 'uuidv7';
import { openSqlite } from '../../src/adapters/sql/db.js';
import { createMonitorSqlStore } from '../../src/adapters/sql/monitor.sql-store.js';
import { createMonitorAlertSqlStore } from '../../src/adapters/sql/monitor-alert.sql-store.js';
import {
  datasetDrift,
  defaultThresholds,
  intervalReadings,
  isDrift,
  type WindowSummary,
  windowReadings,
} from '../../src/modules/monitor/index.js';
import { irisRows, shifted, windowOf } from '../monitor/iris-window.js';

export interface MonitoredDeployment {
  environment: string;
  model: string;
  version: number;
  digest: string;
}

const minutes = (n: number) => n * 60_000;

/**
 * The window as the monitor closes it when the deployment's policy sets `column`'s threshold
 * (`drift.columns.<column>.threshold`): the same test and value (a threshold does not change a statistic),
 * the verdict against the new threshold, `chosenBy` recorded, and the dataset verdict recomputed.
 */
export function underColumnThreshold(w: WindowSummary, column: string, threshold: number): WindowSummary {
  if (!w.drift) return w;
  const columns = w.drift.columns.map((c) =>
    c.column === column
      ? {
          ...c,
          threshold,
          drifted: c.noData === undefined && isDrift(c.test, c.value, threshold),
          chosenBy: { threshold: 'column' as const },
        }
      : c,
  );
  return { ...w, drift: { columns, dataset: datasetDrift(columns) } };
}

/** The reference's mean top-class confidence the seeded readings compare with (windows answer 0.91). */
const referenceConfidence = 0.98;

/**
 * A deployment's monitoring history written through the monitor's own SQL stores into a running server's
 * SQLite file: three in-distribution windows of iris then two with petals shifted (+2 cm, +1 cm), each
 * summarised by the module's real statistics; a dataset-drift alert that fired, rolled the deployment back
 * and resolved, and a petal-length alert still firing; the alert engine's readings of each window (the real
 * detectors at the default thresholds, confidence drop included) and of the latest minute of gateway
 * counters (an error rate above its threshold); the newest window has a threshold set by policy. (Driving the gateway until windows close and alerts
 * fire is the end-to-end test's job; the console's is to show what is stored.)
 */
export async function seedMonitoring(dataDir: string, d: MonitoredDeployment, now = Date.now()) {
  const database = openSqlite(path.join(dataDir, 'warden.db'));
  try {
    const traffic = [
      irisRows,
      irisRows,
      irisRows,
      shifted({ petal_length: 2, petal_width: 1 }),
      shifted({ petal_length: 2, petal_width: 1 }),
    ];
    // The newest window was closed under a policy that set sepal_width's threshold (0.1 for its KS).
    const windows: WindowSummary[] = traffic.map((rows, i) => {
      const end = now - minutes(5 * (traffic.length - i));
      const w = windowOf(rows, undefined, {
        id: uuidv7(),
        environment: d.environment,
        model: d.model,
        version: d.version,
        digest: d.digest,
        start: new Date(end - minutes(5) + 1000).toISOString(),
        end: new Date(end).toISOString(),
      });
      return i === traffic.length - 1 ? underColumnThreshold(w, 'sepal_width', 0.1) : w;
    });
    await createMonitorSqlStore(database.db).saveWindows(
      windows.map((summary) => ({ summary, predictions: [] })),
    );
    const alerts = createMonitorAlertSqlStore(database.db);
    const base = { environment: d.environment, model: d.model, digest: d.digest, version: d.version };
    for (const w of windows)
      await alerts.saveReadings({
        ...base,
        windowId: w.id,
        at: w.end,
        kind: 'window',
        readings: windowReadings(w, defaultThresholds, referenceConfidence),
      });
    const counters = {
      minutes: 1,
      requests: 200,
      errors: 16,
      p99LatencyMs: 180,
      authFailures: 0,
      rateLimited: 0,
      screeningBlocks: 2,
      extractionAlerts: 0,
    };
    await alerts.saveReadings({
      ...base,
      windowId: null,
      at: new Date(now - minutes(1)).toISOString(),
      kind: 'interval',
      readings: intervalReadings(counters, defaultThresholds),
    });
    const shiftedWindow = windows[3] as WindowSummary;
    const firedAt = shiftedWindow.end;
    const resolvedAt = (windows[4] as WindowSummary).end;
    const rolledBack = {
      ...base,
      id: uuidv7(),
      rule: 'dataset_drift',
      severity: 'critical' as const,
      state: 'resolved' as const,
      value: shiftedWindow.drift?.dataset.share ?? 1,
      threshold: 0.5,
      firedAt,
      resolvedAt,
      updatedAt: resolvedAt,
      windowId: shiftedWindow.id,
      rollback: null,
    };
    await alerts.insertAlert(rolledBack);
    await alerts.setRollback(rolledBack.id, {
      action: 'rolled_back',
      at: firedAt,
      deployment: null,
      detail: 'rolled back to the last known-good version',
    });
    await alerts.insertAlert({
      ...base,
      id: uuidv7(),
      rule: 'column_drift:petal_length',
      severity: 'warning',
      state: 'firing',
      value: shiftedWindow.drift?.columns.find((c) => c.column === 'petal_length')?.value ?? 0,
      threshold: 0.05,
      firedAt: resolvedAt,
      resolvedAt: null,
      updatedAt: resolvedAt,
      windowId: (windows[4] as WindowSummary).id,
      rollback: null,
    });
    return windows;
  } finally {
    await database.db.destroy();
  }
}
