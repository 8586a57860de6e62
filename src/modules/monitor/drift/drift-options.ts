import type { ColumnKind, ColumnSpec, DriftOptionLevel, DriftTestName } from '../monitor.types.js';
import { pValueTests } from './drift-test-selection.js';

/** A test and a threshold to use instead of Evidently's defaults (either may be left out). */
export interface DriftTestOptions {
  test?: DriftTestName;
  threshold?: number;
}

/**
 * The drift section of a deployment's monitor policy (Evidently's `stattest`/`stattest_threshold`, global,
 * per column kind and per column). A column takes each of its test and threshold from the most specific
 * level that sets it: `columns[name]`, then its kind's entry, then the top level, then Evidently's default.
 */
export interface DriftPolicy extends DriftTestOptions {
  numeric?: DriftTestOptions;
  categorical?: DriftTestOptions;
  columns?: Record<string, DriftTestOptions>;
}

export const driftTestNames: readonly DriftTestName[] = [
  'ks',
  'chisquare',
  'z',
  'wasserstein',
  'jensenshannon',
  'psi',
];

/** Tests that only compare numbers (a categorical column cannot take them). */
export const numericOnlyTests: ReadonlySet<DriftTestName> = new Set(['ks', 'wasserstein']);

/** Whether a column of this kind can take the test. */
export const testFitsKind = (test: DriftTestName, kind: ColumnKind): boolean =>
  kind === 'numeric' || !numericOnlyTests.has(test);

/** Whether a threshold can go with a test: positive and finite, at most 1 for a p-value. */
export const thresholdFitsTest = (threshold: number, test: DriftTestName): boolean =>
  Number.isFinite(threshold) && threshold > 0 && (!pValueTests.has(test) || threshold <= 1);

/** What the policy chose for one column, and at which level; nothing means Evidently's default. */
export interface ResolvedDriftOptions extends DriftTestOptions {
  chosenBy?: { test?: DriftOptionLevel; threshold?: DriftOptionLevel };
}

/**
 * A column's drift options under a policy. The test comes from the most specific level that sets one the
 * column's kind can take (a column's `ks` once the column has become categorical is passed over). The
 * threshold goes with its test: it comes from the most specific level that sets one, but never from a level
 * broader than the one that chose the test (a global PSI threshold does not follow a column forced to KS:
 * that column keeps KS's default unless its own entry sets one). A threshold the test cannot take (above 1
 * for a p-value) is passed over too, so the result is always valid for `columnDrift` (one with no test chosen is at most 1: the default test may be a p-value).
 */
export function resolveDriftOptions(
  policy: DriftPolicy | null | undefined,
  spec: ColumnSpec,
): ResolvedDriftOptions {
  if (!policy) return {};
  const levels: [DriftOptionLevel, DriftTestOptions | undefined][] = [
    // Own entries only: a column named `constructor` or `__proto__` never reads Object.prototype.
    [
      'column',
      policy.columns && Object.hasOwn(policy.columns, spec.name) ? policy.columns[spec.name] : undefined,
    ],
    ['kind', policy[spec.kind]],
    ['global', policy],
  ];
  const testAt = levels.findIndex(([, o]) => o?.test !== undefined && testFitsKind(o.test, spec.kind));
  const test = testAt < 0 ? undefined : levels[testAt]?.[1]?.test;
  const candidates = testAt < 0 ? levels : levels.slice(0, testAt + 1);
  const thresholdAt = candidates.findIndex(
    // Without a chosen test, Evidently's default may be a p-value test: only a threshold up to 1 can go.
    ([, o]) => o?.threshold !== undefined && thresholdFitsTest(o.threshold, test ?? 'ks'),
  );
  const threshold = thresholdAt < 0 ? undefined : candidates[thresholdAt]?.[1]?.threshold;
  const chosenBy: ResolvedDriftOptions['chosenBy'] = {};
  if (test !== undefined) chosenBy.test = levels[testAt]?.[0] as DriftOptionLevel;
  if (threshold !== undefined) chosenBy.threshold = candidates[thresholdAt]?.[0] as DriftOptionLevel;
  return {
    ...(test !== undefined ? { test } : {}),
    ...(threshold !== undefined ? { threshold } : {}),
    ...(Object.keys(chosenBy).length > 0 ? { chosenBy } : {}),
  };
}
