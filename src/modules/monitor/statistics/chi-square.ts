import gammainc from '@stdlib/math-base-special-gammainc';
import { preparePair, type Sample } from './samples.js';
import { categoriesOf, valueCounts } from './value-counts.js';

export interface TestResult {
  readonly statistic: number;
  readonly pValue: number;
}

/**
 * Pearson's chi-square of the current counts against the reference proportions (Evidently's `chi_stat_test`,
 * scipy's `chisquare`): categories are the union of both samples' values, expected = reference count ×
 * (n_cur / n_ref), p from the chi-square survival with k − 1 degrees of freedom. A category the reference
 * never saw has expected 0: like scipy, the statistic is +Infinity and p is 0 (certain drift). A single
 * category in both samples (0 degrees of freedom, NaN in scipy) is no drift: statistic 0, p 1.
 */
export function chiSquare(reference: Sample, current: Sample): TestResult {
  const [ref, cur] = preparePair(reference, current);
  const refCounts = valueCounts(ref);
  const curCounts = valueCounts(cur);
  const categories = categoriesOf(refCounts, curCounts);
  if (categories.length === 1) return { statistic: 0, pValue: 1 };
  const scale = cur.values.length / ref.values.length;
  let statistic = 0;
  for (const category of categories) {
    const expected = (refCounts.get(category) ?? 0) * scale;
    if (expected === 0) return { statistic: Number.POSITIVE_INFINITY, pValue: 0 };
    const observed = curCounts.get(category) ?? 0;
    statistic += (observed - expected) ** 2 / expected;
  }
  return { statistic, pValue: gammainc(statistic / 2, (categories.length - 1) / 2, true, true) };
}
