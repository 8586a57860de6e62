import { invalidSample } from '../monitor.errors.js';
import { preparePair, type Sample } from './samples.js';

export interface DistanceResult {
  readonly distance: number;
}

function populationStd(values: Float64Array): number {
  let sum = 0;
  for (const value of values) sum += value;
  const mean = sum / values.length;
  let squares = 0;
  for (const value of values) squares += (value - mean) ** 2;
  return Math.sqrt(squares / values.length);
}

/**
 * scipy's 1-D `wasserstein_distance(u, v)`: the integral of |F_u − F_v| over the merged sorted values
 * (both samples sorted once, then walked together: the same sums, in the same order, as over their sorted union).
 */
export function wassersteinDistance(u: Float64Array, v: Float64Array): number {
  const us = u.slice().sort();
  const vs = v.slice().sort();
  const nu = us.length;
  const nv = vs.length;
  let ui = 0;
  let vi = 0;
  let total = 0;
  let at = Math.min(us[0] as number, vs[0] as number);
  for (let i = 0; i < nu + nv - 1; i++) {
    while (ui < nu && (us[ui] as number) <= at) ui++;
    while (vi < nv && (vs[vi] as number) <= at) vi++;
    // The next value of the sorted union: each value repeated as often as it occurs in both samples.
    const seen = ui + vi;
    const next =
      seen > i + 1
        ? at
        : Math.min(ui < nu ? (us[ui] as number) : Infinity, vi < nv ? (vs[vi] as number) : Infinity);
    total += Math.abs(ui / nu - vi / nv) * (next - at);
    at = next;
  }
  return total;
}

/** Evidently's normed Wasserstein: the distance divided by max(population std of the reference, 0.001). */
export function normedWasserstein(reference: Sample, current: Sample): DistanceResult {
  const [ref, cur] = preparePair(reference, current);
  if (!ref.numeric || !cur.numeric) throw invalidSample('the Wasserstein distance needs numeric samples');
  const distance = wassersteinDistance(ref.values, cur.values);
  return { distance: distance / Math.max(populationStd(ref.values), 0.001) };
}
