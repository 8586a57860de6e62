import type { ColumnKind, DriftTestName } from '../monitor.types.js';

/** Evidently switches from p-value tests to distances above this many reference values (its issue #50). */
export const largeReferenceCount = 1000;

/** Whether a test yields a p-value (drift when small) or a distance (drift when large). */
export const pValueTests: ReadonlySet<DriftTestName> = new Set(['ks', 'chisquare', 'z']);

/** Evidently's default thresholds: 0.05 for p-values, 0.1 for distances (PSI included). */
export function defaultThreshold(test: DriftTestName): number {
  return pValueTests.has(test) ? 0.05 : 0.1;
}

/**
 * Evidently's default test for a column (`_get_default_stattest`): by kind, the reference's size (values
 * present and finite, not only those sampled) and the number of distinct values over both samples.
 */
export function defaultDriftTest(kind: ColumnKind, referenceCount: number, distinct: number): DriftTestName {
  if (referenceCount <= largeReferenceCount) {
    if (kind === 'numeric' && distinct > 5) return 'ks';
    if (kind === 'numeric' && distinct > 2) return 'chisquare';
    if (kind === 'categorical' && distinct > 2) return 'chisquare';
    return 'z';
  }
  if (kind === 'numeric' && distinct > 5) return 'wasserstein';
  return 'jensenshannon';
}

/**
 * Evidently's verdict: KS drifts when p ≤ threshold, chi-square and Z when p < threshold (its
 * `stattest_func(...) < threshold` against KS's `<=`), distances when value ≥ threshold.
 */
export function isDrift(test: DriftTestName, value: number, threshold: number): boolean {
  if (test === 'ks') return value <= threshold;
  if (pValueTests.has(test)) return value < threshold;
  return value >= threshold;
}
