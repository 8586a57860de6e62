import { invalidSample } from '../monitor.errors.js';
import type { ColumnDrift, ColumnSample, ColumnSpec, DriftTestName } from '../monitor.types.js';
import { chiSquare } from '../statistics/chi-square.js';
import { jensenShannon } from '../statistics/jensen-shannon.js';
import { ksTwoSample } from '../statistics/kolmogorov-smirnov.js';
import { normedWasserstein } from '../statistics/normed-wasserstein.js';
import { psi } from '../statistics/psi.js';
import { finiteValues, type Sample } from '../statistics/samples.js';
import { zTest } from '../statistics/z-test.js';
import { driftTestNames, numericOnlyTests } from './drift-options.js';
import { defaultDriftTest, defaultThreshold, isDrift, pValueTests } from './drift-test-selection.js';

export interface ColumnDriftOptions {
  /** A test instead of Evidently's default for the column (`psi` is only ever chosen this way). */
  test?: DriftTestName;
  /** Instead of the test's default (0.05 for p-values, 0.1 for distances). */
  threshold?: number;
}

/**
 * A column's sample values, checked against the column's kind: finite numbers, or strings. `null` (what a
 * NaN becomes once stored as JSON) counts as missing and is dropped, like NaN and ±Infinity.
 */
function cleaned(sample: ColumnSample, spec: ColumnSpec, which: string): Sample {
  if (sample.kind !== spec.kind) {
    throw invalidSample(
      `the ${which} sample of column ${spec.name} is ${sample.kind}, the column ${spec.kind}`,
    );
  }
  if (!Array.isArray(sample.values))
    throw invalidSample(`the ${which} sample of column ${spec.name} has no values`);
  const values = (sample.values as unknown[]).filter((value) => value !== null);
  if (spec.kind === 'numeric') {
    if (!values.every((value) => typeof value === 'number')) {
      throw invalidSample(`the ${which} sample of numeric column ${spec.name} holds non-numbers`);
    }
    return finiteValues(values as number[]);
  }
  if (!values.every((value) => typeof value === 'string')) {
    throw invalidSample(`the ${which} sample of categorical column ${spec.name} holds non-strings`);
  }
  return values as string[];
}

/** Distinct values over both samples, counting no further than `limit` (the selection only asks "more than 5?"). */
function distinctCount(a: Sample, b: Sample, limit: number): number {
  const seen = new Set<number | string>();
  for (const values of [a, b]) {
    for (const value of values) {
      seen.add(value);
      if (seen.size >= limit) return seen.size;
    }
  }
  return seen.size;
}

function checkOptions(spec: ColumnSpec, options: ColumnDriftOptions): void {
  const { test, threshold } = options;
  if (test !== undefined && !driftTestNames.includes(test)) throw invalidSample(`unknown drift test ${test}`);
  if (test !== undefined && numericOnlyTests.has(test) && spec.kind !== 'numeric') {
    throw invalidSample(`the ${test} test needs a numeric column, and ${spec.name} is categorical`);
  }
  if (threshold !== undefined && !(Number.isFinite(threshold) && threshold > 0)) {
    throw invalidSample(`a drift threshold must be a positive number, not ${threshold}`);
  }
  if (threshold !== undefined && test !== undefined && pValueTests.has(test) && threshold > 1) {
    throw invalidSample(`a p-value threshold must be at most 1, not ${threshold}`);
  }
}

function run(test: DriftTestName, ref: Sample, cur: Sample): { value: number; statistic: number | null } {
  switch (test) {
    case 'ks': {
      const result = ksTwoSample(ref as Float64Array, cur as Float64Array);
      return { value: result.pValue, statistic: result.statistic };
    }
    case 'chisquare': {
      const result = chiSquare(ref, cur);
      return { value: result.pValue, statistic: result.statistic };
    }
    case 'z': {
      const result = zTest(ref, cur);
      return { value: result.pValue, statistic: result.statistic };
    }
    case 'wasserstein':
      return { value: normedWasserstein(ref, cur).distance, statistic: null };
    case 'jensenshannon':
      return { value: jensenShannon(ref, cur).distance, statistic: null };
    case 'psi':
      return { value: psi(ref, cur).distance, statistic: null };
  }
}

/**
 * One column's drift between a reference sample and a current one, with Evidently's default test for the
 * column (or `options.test`) and its threshold. The selection uses the reference's `count` (every value
 * seen, not only the bounded sample); the statistic runs on the samples' values, non-finite numbers
 * dropped. A side with no value gives no verdict: `noData` names it, `drifted` is false and `value` is the
 * test's no-drift value (p = 1, distance 0), `statistic` null. Samples that do not match the column's kind,
 * an unknown test, a test the kind cannot take or a threshold that is not a positive number (at most 1 for
 * a p-value) throw `monitor_invalid_sample`.
 */
export function columnDrift(
  spec: ColumnSpec,
  reference: ColumnSample,
  current: ColumnSample,
  options: ColumnDriftOptions = {},
): ColumnDrift {
  checkOptions(spec, options);
  const ref = cleaned(reference, spec, 'reference');
  const cur = cleaned(current, spec, 'current');
  const test = options.test ?? defaultDriftTest(spec.kind, reference.count, distinctCount(ref, cur, 6));
  const threshold = options.threshold ?? defaultThreshold(test);
  if (threshold > 1 && pValueTests.has(test)) {
    throw invalidSample(`a p-value threshold must be at most 1, not ${threshold}`);
  }
  const base = {
    column: spec.name,
    role: spec.role,
    kind: spec.kind,
    test,
    threshold,
    referenceCount: reference.count,
    currentCount: current.count,
  };
  if (ref.length === 0 || cur.length === 0) {
    const noData = ref.length === 0 ? (cur.length === 0 ? 'both' : 'reference') : 'current';
    const value = pValueTests.has(test) ? 1 : 0;
    return { ...base, value, statistic: null, drifted: false, noData };
  }
  const { value, statistic } = run(test, ref, cur);
  return { ...base, value, statistic, drifted: isDrift(test, value, threshold) };
}
