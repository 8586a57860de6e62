import erfc from '@stdlib/math-base-special-erfc';
import type { TestResult } from './chi-square.js';
import { preparePair, type Sample } from './samples.js';
import { categoriesOf, valueCounts } from './value-counts.js';

/**
 * The pooled two-proportion z-test on "value == first sorted category" (Evidently's `z_stat_test`), for
 * binary columns. p = 2·(1 − Φ(|z|)), computed as erfc(|z|/√2) so that it stays precise in the tail. Both
 * samples the same single constant: statistic 0, p 1.
 */
export function zTest(reference: Sample, current: Sample): TestResult {
  const [ref, cur] = preparePair(reference, current);
  const refCounts = valueCounts(ref);
  const curCounts = valueCounts(cur);
  const categories = categoriesOf(refCounts, curCounts);
  if (categories.length === 1) return { statistic: 0, pValue: 1 };
  const first = categories[0] as string | number;
  const n1 = ref.values.length;
  const n2 = cur.values.length;
  const p1 = (refCounts.get(first) ?? 0) / n1;
  const p2 = (curCounts.get(first) ?? 0) / n2;
  const pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
  const statistic = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  return { statistic, pValue: erfc(Math.abs(statistic) / Math.SQRT2) };
}
