import { defaultThreshold, largeReferenceCount, pValueTests } from '../drift/drift-test-selection.js';
import type { ColumnKind, DriftTestName } from '../monitor.types.js';
import type { DriftChoice, DriftReportColumn, TestSelectionRule } from './drift-report.types.js';

const large = largeReferenceCount.toLocaleString('en-US');

function rule(
  kind: ColumnKind,
  largeReference: boolean,
  distinct: [number, number | null],
  test: DriftTestName,
) {
  const [min, max] = distinct;
  const size = largeReference ? `N > ${large}` : `N ≤ ${large}`;
  const values =
    max === null
      ? `more than ${min - 1} distinct`
      : min <= 1
        ? `at most ${max} distinct`
        : `${min} to ${max} distinct`;
  const driftWhen: TestSelectionRule['driftWhen'] = !pValueTests.has(test)
    ? 'value >= threshold'
    : test === 'ks'
      ? 'p <= threshold'
      : 'p < threshold';
  const when = largeReference && kind === 'categorical' ? size : `${size}, ${values}`;
  return {
    kind,
    largeReference,
    distinct: { min, max },
    when,
    test,
    threshold: defaultThreshold(test),
    driftWhen,
  };
}

/**
 * Evidently's default choice of drift test per column (`_get_default_stattest`, which `columnDrift`
 * follows), as the report's footer states it. N = reference values present and finite; distinct = distinct
 * values over reference and current together.
 */
export const testSelectionRules: readonly TestSelectionRule[] = [
  rule('numeric', false, [6, null], 'ks'),
  rule('numeric', false, [3, 5], 'chisquare'),
  rule('numeric', false, [1, 2], 'z'),
  rule('categorical', false, [3, null], 'chisquare'),
  rule('categorical', false, [1, 2], 'z'),
  rule('numeric', true, [6, null], 'wasserstein'),
  rule('numeric', true, [1, 5], 'jensenshannon'),
  rule('categorical', true, [1, null], 'jensenshannon'),
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

/** Whether a test's value is a p-value (small means drift) rather than a distance (large means drift). */
export const isPValueTest = (test: DriftTestName): boolean => pValueTests.has(test);

/** Where the monitor policy set something, in words (null: Evidently's default). */
export function policyLevelText(choice: DriftChoice, kind: ColumnKind): string | null {
  if (choice === 'default') return null;
  if (choice === 'column') return "the column's own setting";
  if (choice === 'kind') return `the ${kind} columns' setting`;
  return 'the global setting';
}

/**
 * The columns whose test or threshold the deployment's monitor policy chose rather than the rules above,
 * one sentence each (names left to the caller to escape: `[name, sentence]`).
 */
export function policyChoices(columns: readonly DriftReportColumn[]): [string, string][] {
  return columns.flatMap((c) => {
    const test = policyLevelText(c.chosenBy.test, c.kind);
    const threshold = policyLevelText(c.chosenBy.threshold, c.kind);
    if (test === null && threshold === null) return [];
    const parts = [
      test === null ? `${testTitles[c.test]} by the default rules` : `${testTitles[c.test]} by ${test}`,
      threshold === null
        ? `the test's default threshold ${c.threshold}`
        : `threshold ${c.threshold} by ${threshold}`,
    ];
    return [[c.column, parts.join(', ')]];
  });
}
