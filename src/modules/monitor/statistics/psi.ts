import { binnedProportions } from './binned-proportions.js';
import type { DistanceResult } from './normed-wasserstein.js';
import { preparePair, type Sample } from './samples.js';

/**
 * Evidently's smoothing: each empty bin's proportion becomes ε, ε = (smallest non-zero proportion of that
 * same sample) / 10⁶ when that proportion is ≤ 10⁻⁴, else 10⁻⁴.
 */
export function smoothed(proportions: Float64Array): Float64Array {
  let smallest = Number.POSITIVE_INFINITY;
  for (const value of proportions) if (value !== 0 && value < smallest) smallest = value;
  const epsilon = smallest <= 1e-4 ? smallest / 1e6 : 1e-4;
  return proportions.map((value) => (value === 0 ? epsilon : value));
}

/** The population stability index on the same bins as Jensen–Shannon: Σ (cur − ref)·ln(cur / ref), smoothed. */
export function psi(reference: Sample, current: Sample): DistanceResult {
  const [ref, cur] = preparePair(reference, current);
  const bins = binnedProportions(ref, cur);
  const r = smoothed(bins.reference);
  const c = smoothed(bins.current);
  let distance = 0;
  for (let i = 0; i < r.length; i++) {
    const a = r[i] as number;
    const b = c[i] as number;
    distance += (b - a) * Math.log(b / a);
  }
  return { distance };
}
