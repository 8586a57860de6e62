import { describe, expect, it } from 'vitest';
import {
  type ColumnDriftOptions,
  type ColumnKind,
  type ColumnSample,
  type ColumnSpec,
  chiSquare,
  columnDrift,
  jensenShannon,
  ksTwoSample,
  monitorErrors,
  normedWasserstein,
  psi,
  zTest,
} from '../../src/modules/monitor/index.js';

const spec = (kind: ColumnKind, role: ColumnSpec['role'] = 'feature'): ColumnSpec => ({
  name: 'petal_length',
  role,
  kind,
  source: { side: 'input', tensor: 'float_input', index: 2 },
});

/** A sample whose `count` (values seen) can exceed what the bounded reservoir kept. */
const sample = (values: number[] | string[], count = values.length, missing = 0): ColumnSample => ({
  kind: typeof values[0] === 'string' ? 'categorical' : 'numeric',
  count,
  missing,
  values,
});

/** Deterministic pseudo-random values (a linear congruential generator), so each run sees the same data. */
function series(n: number, seed: number, scale = 1, shift = 0): number[] {
  let state = seed;
  return Array.from({ length: n }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return Math.round((shift + (state / 2147483648) * scale) * 1000) / 1000;
  });
}
const cycle = <T>(values: readonly T[], n: number): T[] =>
  Array.from({ length: n }, (_, i) => values[i % values.length] as T);

function invalid(f: () => unknown): void {
  try {
    f();
  } catch (err) {
    expect(monitorErrors.invalidSample.is(err)).toBe(true);
    return;
  }
  expect.fail('no error thrown');
}

describe("columnDrift: Evidently's default test per column", () => {
  const continuousRef = series(400, 1, 10);
  const continuousCur = series(300, 2, 10, 1.5);

  it('numeric, N_ref ≤ 1000, more than 5 distinct values: KS, drift when p ≤ 0.05', () => {
    const drift = columnDrift(spec('numeric'), sample(continuousRef, 1000), sample(continuousCur));
    const ks = ksTwoSample(continuousRef, continuousCur);
    expect(drift).toMatchObject({ test: 'ks', threshold: 0.05, value: ks.pValue, statistic: ks.statistic });
    expect(drift.drifted).toBe(ks.pValue <= 0.05);
    expect(drift).toMatchObject({ column: 'petal_length', role: 'feature', kind: 'numeric' });
    expect(drift).toMatchObject({ referenceCount: 1000, currentCount: 300 });
    expect(drift.noData).toBeUndefined();
  });

  it('numeric, N_ref > 1000 (the count, not the sample length), more than 5 distinct values: normed Wasserstein', () => {
    const drift = columnDrift(spec('numeric'), sample(continuousRef, 1001), sample(continuousCur));
    const value = normedWasserstein(continuousRef, continuousCur).distance;
    expect(drift).toMatchObject({ test: 'wasserstein', threshold: 0.1, value, statistic: null });
    expect(drift.drifted).toBe(value >= 0.1);
  });

  it('numeric with 3 to 5 distinct values over both samples: chi-square up to 1000, Jensen–Shannon above', () => {
    const ref = cycle([1, 2, 3], 300);
    const cur = cycle([1, 2, 3, 3, 4, 5], 120);
    const chi = chiSquare(ref, cur);
    expect(columnDrift(spec('numeric'), sample(ref), sample(cur))).toMatchObject({
      test: 'chisquare',
      value: chi.pValue,
      statistic: chi.statistic,
      drifted: chi.pValue < 0.05,
    });
    const js = jensenShannon(ref, cur).distance;
    expect(columnDrift(spec('numeric'), sample(ref, 5000), sample(cur))).toMatchObject({
      test: 'jensenshannon',
      value: js,
      drifted: js >= 0.1,
    });
  });

  it('counts distinct values over both samples: 3 in the reference and 3 new ones is KS, not chi-square', () => {
    const drift = columnDrift(spec('numeric'), sample(cycle([1, 2, 3], 60)), sample(cycle([4, 5, 6], 30)));
    expect(drift.test).toBe('ks');
    expect(columnDrift(spec('numeric'), sample(cycle([1, 2], 60)), sample(cycle([2, 3, 4], 30))).test).toBe(
      'chisquare',
    );
  });

  it('numeric with at most 2 distinct values: Z-test up to 1000, Jensen–Shannon above', () => {
    const ref = cycle([0, 1, 1], 300);
    const cur = cycle([0, 0, 1], 90);
    const z = zTest(ref, cur);
    expect(columnDrift(spec('numeric'), sample(ref), sample(cur))).toMatchObject({
      test: 'z',
      value: z.pValue,
      statistic: z.statistic,
      drifted: z.pValue < 0.05,
    });
    expect(columnDrift(spec('numeric'), sample(ref, 1001), sample(cur)).test).toBe('jensenshannon');
  });

  it('categorical: chi-square above 2 categories, Z-test at most 2, Jensen–Shannon above 1000 reference values', () => {
    const ref = cycle(['setosa', 'versicolor', 'virginica'], 150);
    const cur = cycle(['setosa', 'setosa', 'versicolor', 'virginica'], 80);
    expect(columnDrift(spec('categorical'), sample(ref), sample(cur)).test).toBe('chisquare');
    expect(columnDrift(spec('categorical'), sample(ref, 1001), sample(cur))).toMatchObject({
      test: 'jensenshannon',
      value: jensenShannon(ref, cur).distance,
    });
    const binary = columnDrift(spec('categorical'), sample(cycle(['no', 'yes'], 50)), sample(['yes', 'yes']));
    expect(binary).toMatchObject({
      test: 'z',
      value: zTest(cycle(['no', 'yes'], 50), ['yes', 'yes']).pValue,
    });
  });

  it('judges prediction columns the same way, with their role', () => {
    const drift = columnDrift(spec('categorical', 'prediction'), sample(['a', 'b', 'c']), sample(['c', 'c']));
    expect(drift).toMatchObject({ role: 'prediction', test: 'chisquare' });
  });
});

describe('columnDrift: thresholds at the boundary', () => {
  const ref = series(200, 5, 4);
  const cur = series(150, 6, 4, 0.6);
  const at = (options: ColumnDriftOptions) => columnDrift(spec('numeric'), sample(ref), sample(cur), options);

  it('KS drifts when p equals the threshold (p ≤ threshold)', () => {
    const { value } = at({});
    expect(at({ threshold: value }).drifted).toBe(true);
    expect(at({ threshold: value * 0.999 }).drifted).toBe(false);
  });

  it('chi-square and Z drift only below the threshold (p < threshold)', () => {
    const few = cycle([1, 2, 3, 4], 100);
    const shifted = cycle([1, 2, 3, 3, 4], 100);
    for (const test of ['chisquare', 'z'] as const) {
      const { value } = columnDrift(spec('numeric'), sample(few), sample(shifted), { test });
      const run = (threshold: number) =>
        columnDrift(spec('numeric'), sample(few), sample(shifted), { test, threshold }).drifted;
      expect(run(value), test).toBe(false);
      expect(run(value * 1.001), test).toBe(true);
    }
  });

  it('distances drift at or above the threshold', () => {
    for (const test of ['wasserstein', 'jensenshannon', 'psi'] as const) {
      const { value } = at({ test });
      expect(at({ test, threshold: value }).drifted, test).toBe(true);
      expect(at({ test, threshold: value * 1.001 }).drifted, test).toBe(false);
    }
  });

  it('an explicit test replaces the default, with its own default threshold (PSI 0.1)', () => {
    const drift = at({ test: 'psi' });
    expect(drift).toMatchObject({
      test: 'psi',
      threshold: 0.1,
      value: psi(ref, cur).distance,
      statistic: null,
    });
    expect(at({ test: 'chisquare' }).threshold).toBe(0.05);
  });
});

describe('columnDrift: empty sides and bad input', () => {
  it('gives no verdict when a side has no present, finite value', () => {
    const empty = sample([], 0, 12);
    const nonFinite = sample([Number.NaN, Number.POSITIVE_INFINITY], 0, 2);
    const some = sample([1, 2, 3]);
    expect(columnDrift(spec('numeric'), some, empty)).toMatchObject({
      noData: 'current',
      drifted: false,
      value: 1,
      statistic: null,
    });
    expect(columnDrift(spec('numeric'), nonFinite, some).noData).toBe('reference');
    expect(columnDrift(spec('numeric'), empty, empty, { test: 'wasserstein' })).toMatchObject({
      noData: 'both',
      value: 0,
    });
  });

  it('refuses samples of the wrong kind, unknown or unfit tests, and bad thresholds', () => {
    const numbers = sample([1, 2, 3]);
    const words = sample(['a', 'b']);
    invalid(() => columnDrift(spec('numeric'), numbers, words));
    invalid(() => columnDrift(spec('categorical'), words, { ...words, values: [1, 2] }));
    invalid(() =>
      columnDrift(spec('numeric'), numbers, { ...numbers, values: ['1'] as unknown as number[] }),
    );
    invalid(() => columnDrift(spec('categorical'), words, words, { test: 'ks' }));
    invalid(() => columnDrift(spec('categorical'), words, words, { test: 'wasserstein' }));
    invalid(() => columnDrift(spec('numeric'), numbers, numbers, { test: 'anova' as 'ks' }));
    for (const threshold of [0, -0.1, Number.NaN, Number.POSITIVE_INFINITY]) {
      invalid(() => columnDrift(spec('numeric'), numbers, numbers, { threshold }));
    }
    invalid(() => columnDrift(spec('numeric'), numbers, numbers, { threshold: 1.5 }));
    expect(columnDrift(spec('numeric'), numbers, numbers, { test: 'psi', threshold: 1.5 }).threshold).toBe(
      1.5,
    );
  });
});
