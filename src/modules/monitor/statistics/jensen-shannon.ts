import { binnedProportions } from './binned-proportions.js';
import type { DistanceResult } from './normed-wasserstein.js';
import { preparePair, type Sample } from './samples.js';

function relativeEntropy(x: number, y: number): number {
  if (x === 0) return 0;
  return x * Math.log(x / y);
}

function normalized(values: Float64Array): Float64Array {
  let sum = 0;
  for (const value of values) sum += value;
  return values.map((value) => value / sum);
}

/** scipy's `jensenshannon(p, q)` (natural log): both normalized, sqrt((KL(p‖m) + KL(q‖m)) / 2), m the mean. */
export function jensenShannonOf(p: Float64Array, q: Float64Array): number {
  const pn = normalized(p);
  const qn = normalized(q);
  let sum = 0;
  for (let i = 0; i < pn.length; i++) {
    const a = pn[i] as number;
    const b = qn[i] as number;
    const m = (a + b) / 2;
    sum += relativeEntropy(a, m) + relativeEntropy(b, m);
  }
  return Math.sqrt(sum / 2);
}

/** The Jensen–Shannon distance between the samples' binned proportions (Evidently's `jensenshannon_stat_test`). */
export function jensenShannon(reference: Sample, current: Sample): DistanceResult {
  const [ref, cur] = preparePair(reference, current);
  const bins = binnedProportions(ref, cur);
  return { distance: jensenShannonOf(bins.reference, bins.current) };
}
