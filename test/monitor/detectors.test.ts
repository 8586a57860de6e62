import { describe, expect, it } from 'vitest';
import {
  type ColumnDrift,
  type DetectorReading,
  defaultThresholds,
  type IntervalCounters,
  intervalReadings,
  type ReferenceProfile,
  referenceConfidence,
  type WindowSummary,
  windowReadings,
} from '../../src/modules/monitor/index.js';

const window = (overrides: Partial<WindowSummary> = {}): WindowSummary => ({
  id: 'w-1',
  environment: 'production',
  model: 'iris',
  version: 2,
  digest: 'a'.repeat(64),
  start: '2026-12-07T10:00:00.000Z',
  end: '2026-12-07T10:05:00.000Z',
  closedBy: 'count',
  requests: 100,
  rows: 100,
  drift: null,
  histograms: [],
  prediction: { rows: 100, uniqueRatio: 0.03, topClass: 'setosa', topClassShare: 0.34, meanConfidence: 0.93 },
  labels: { count: 0, accuracy: null, f1: null },
  ...overrides,
});

const drift = (share: number, drifted: boolean[]): WindowSummary['drift'] => ({
  columns: drifted.map((d, i) => ({
    column: `c${i}`,
    role: 'feature',
    kind: 'numeric',
    test: 'ks',
    value: d ? 0.001 : 0.4,
    statistic: 0.3,
    threshold: 0.05,
    drifted: d,
    referenceCount: 150,
    currentCount: 100,
  })),
  dataset: {
    columns: drifted.length,
    drifted: drifted.filter(Boolean).length,
    share,
    threshold: 0.5,
    detected: share >= 0.5,
  },
});

const byName = (readings: DetectorReading[]) => Object.fromEntries(readings.map((r) => [r.detector, r]));

const dataset = (columns: number, drifted: number) => ({
  columns,
  drifted,
  share: drifted / columns,
  threshold: 0.5,
  detected: drifted / columns >= 0.5,
});

describe('window detectors', () => {
  it('breach drift share at the threshold (Evidently: share ≥ 0.5) and each drifted column', () => {
    const at = byName(windowReadings(window({ drift: drift(0.5, [true, false]) }), defaultThresholds));
    expect(at.dataset_drift).toMatchObject({ value: 0.5, breached: true });
    expect(at['column_drift:c0']).toMatchObject({ value: 0.001, breached: true });
    expect(at['column_drift:c1']).toMatchObject({ value: 0.4, breached: false });
    const under = byName(
      windowReadings(window({ drift: drift(0.25, [true, false, false, false]) }), defaultThresholds),
    );
    expect(under.dataset_drift?.breached).toBe(false);
  });

  it('say which side of the threshold is bad: a p-value below, a distance, a share or a drop above', () => {
    const columns = drift(0.5, [true, false])?.columns ?? [];
    const distance: ColumnDrift = {
      column: 'c2',
      role: 'feature',
      kind: 'numeric',
      test: 'wasserstein',
      value: 0.2,
      statistic: null,
      threshold: 0.1,
      drifted: true,
      referenceCount: 1500,
      currentCount: 100,
    };
    const readings = windowReadings(
      window({ drift: { columns: [...columns, distance], dataset: dataset(3, 2) } }),
      defaultThresholds,
      0.99,
    );
    expect(readings.map((r) => [r.detector, r.direction, r.threshold])).toEqual([
      ['dataset_drift', 'above', 0.5],
      // Two p-value tests: each judged against 0.05 / 2; the distance keeps its own threshold.
      ['column_drift:c0', 'below', 0.025],
      ['column_drift:c1', 'below', 0.025],
      ['column_drift:c2', 'above', 0.1],
      ['unique_ratio', 'below', 0],
      ['top_class_share', 'above', 0.9],
      ['confidence', 'below', 0.5],
      ['confidence_drop', 'above', 0.15],
    ]);
  });

  it('give no drift reading without a drift result, and no output reading below minRows', () => {
    const few = window({
      prediction: { rows: 29, uniqueRatio: 0.03, topClass: 'a', topClassShare: 1, meanConfidence: 0.1 },
    });
    expect(windowReadings(few, defaultThresholds)).toEqual([]);
  });

  it('breach top-class share strictly above its maximum, unique ratio strictly below its minimum', () => {
    const t = { ...defaultThresholds, uniqueRatioMin: 0.05 };
    const p = (topClassShare: number, uniqueRatio: number) =>
      byName(
        windowReadings(
          window({
            prediction: { rows: 100, uniqueRatio, topClass: 'x', topClassShare, meanConfidence: null },
          }),
          t,
        ),
      );
    expect(p(0.9, 0.05).top_class_share?.breached).toBe(false);
    expect(p(0.9, 0.05).unique_ratio?.breached).toBe(false);
    expect(p(0.91, 0.04).top_class_share?.breached).toBe(true);
    expect(p(0.91, 0.04).unique_ratio?.breached).toBe(true);
    expect(p(0.5, 0.5).confidence).toBeUndefined();
  });

  it('breach confidence below the absolute minimum, and below the reference by more than the margin', () => {
    const c = (meanConfidence: number, reference: number | null) =>
      byName(
        windowReadings(
          window({
            prediction: { rows: 100, uniqueRatio: 0.03, topClass: 'x', topClassShare: 0.4, meanConfidence },
          }),
          defaultThresholds,
          reference,
        ),
      );
    expect(c(0.5, null).confidence?.breached).toBe(false);
    expect(c(0.49, null).confidence?.breached).toBe(true);
    expect(c(0.49, null).confidence_drop).toBeUndefined();
    expect(c(0.8, 0.9).confidence_drop).toMatchObject({ breached: false });
    expect(c(0.7, 0.9).confidence_drop).toMatchObject({ breached: true });
    expect(c(0.7, 0.9).confidence_drop?.value).toBeCloseTo(0.2, 12);
  });

  it("take the reference's confidence as the mean of each row's highest probability", () => {
    const profile: ReferenceProfile = {
      datasetDigest: 'b'.repeat(64),
      format: 'csv',
      rows: 3,
      columns: [
        { name: 'p0', role: 'probability', kind: 'numeric', source: null },
        { name: 'p1', role: 'probability', kind: 'numeric', source: null },
        { name: 'x', role: 'feature', kind: 'numeric', source: null },
      ],
      samples: {
        p0: { kind: 'numeric', count: 3, missing: 0, values: [0.9, 0.2, 0.6] },
        p1: { kind: 'numeric', count: 3, missing: 0, values: [0.1, 0.8, 0.4] },
        x: { kind: 'numeric', count: 3, missing: 0, values: [5, 6, 7] },
      },
    };
    expect(referenceConfidence(profile)).toBeCloseTo((0.9 + 0.8 + 0.6) / 3, 12);
    expect(referenceConfidence({ ...profile, columns: profile.columns.slice(2) })).toBeNull();
    expect(referenceConfidence(null)).toBeNull();
  });
});

describe('interval detectors', () => {
  const counters = (o: Partial<IntervalCounters> = {}): IntervalCounters => ({
    minutes: 2,
    requests: 100,
    errors: 5,
    p99LatencyMs: 1000,
    authFailures: 60,
    rateLimited: 120,
    screeningBlocks: 20,
    extractionAlerts: 0,
    ...o,
  });

  it('breach strictly above each SLO and rate per minute', () => {
    const at = byName(intervalReadings(counters(), defaultThresholds));
    for (const d of [
      'error_rate',
      'p99_latency_ms',
      'auth_failures',
      'rate_limited',
      'screening_blocks',
      'extraction_alerts',
    ])
      expect(at[d]?.breached, d).toBe(false);
    const over = byName(
      intervalReadings(
        counters({
          errors: 6,
          p99LatencyMs: 1001,
          authFailures: 61,
          rateLimited: 121,
          screeningBlocks: 21,
          extractionAlerts: 1,
        }),
        defaultThresholds,
      ),
    );
    for (const d of [
      'error_rate',
      'p99_latency_ms',
      'auth_failures',
      'rate_limited',
      'screening_blocks',
      'extraction_alerts',
    ])
      expect(over[d]?.breached, d).toBe(true);
    expect(over.auth_failures?.value).toBe(30.5);
    for (const r of intervalReadings(counters(), defaultThresholds))
      expect(r.direction, r.detector).toBe('above');
  });

  it('read error rate and latency only with enough requests, auth failures only where counted', () => {
    const at = byName(
      intervalReadings(counters({ requests: 19, errors: 19, authFailures: null }), defaultThresholds),
    );
    expect(at.error_rate).toBeUndefined();
    expect(at.p99_latency_ms).toBeUndefined();
    expect(at.auth_failures).toBeUndefined();
    expect(at.rate_limited).toBeDefined();
  });
});
