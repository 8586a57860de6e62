import type { ColumnKind, DriftTestName } from '../monitor.types.js';
import type { TestSelectionRule } from './drift-report.types.js';

/** Whether a test's value is a p-value (small means drift) rather than a distance (large means drift). */
export const isPValueTest = (test: DriftTestName): boolean =>
  test === 'ks' || test === 'chisquare' || test === 'z';

/** Evidently's thresholds: 0.05 for p-values (KS drifts at p ≤, the others at p <), 0.1 for distances. */
function rule(kind: ColumnKind, when: string, test: DriftTestName): TestSelectionRule {
  if (!isPValueTest(test)) return { kind, when, test, threshold: 0.1, driftWhen: 'value >= threshold' };
  return { kind, when, test, threshold: 0.05, driftWhen: test === 'ks' ? 'p <= threshold' : 'p < threshold' };
}

/**
 * Evidently's default choice of drift test per column (`_get_default_stattest`), which Warden follows so
 * that its numbers read as Evidently's do. N = reference values once missing ones are dropped; distinct =
 * distinct values over reference and current together.
 */
export const testSelectionRules: readonly TestSelectionRule[] = [
  rule('numeric', 'N ≤ 1,000, more than 5 distinct', 'ks'),
  rule('numeric', 'N ≤ 1,000, 3 to 5 distinct', 'chisquare'),
  rule('numeric', 'N ≤ 1,000, at most 2 distinct', 'z'),
  rule('categorical', 'N ≤ 1,000, more than 2 distinct', 'chisquare'),
  rule('categorical', 'N ≤ 1,000, at most 2 distinct', 'z'),
  rule('numeric', 'N > 1,000, more than 5 distinct', 'wasserstein'),
  rule('numeric', 'N > 1,000, at most 5 distinct', 'jensenshannon'),
  rule('categorical', 'N > 1,000', 'jensenshannon'),
];

/** The tests' names as a reader knows them. */
export const testTitles: Readonly<Record<DriftTestName, string>> = {
  ks: 'Kolmogorov–Smirnov',
  chisquare: 'chi-square',
  z: 'Z-test (two proportions)',
  wasserstein: 'Wasserstein (normed)',
  jensenshannon: 'Jensen–Shannon distance',
  psi: 'PSI',
};
