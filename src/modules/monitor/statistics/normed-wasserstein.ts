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

/** scipy's 1-D `wasserstein_distance(u, v)`: the integral of |F_u − F_v| over the merged sorted values. */
export function wassersteinDistance(u: Float64Array, v: Float64Array): number {
  const us = u.slice().sort();
  const vs = v.slice().sort();
  const all = new Float64Array(us.length + vs.length);
  all.set(us);
  all.set(vs, us.length);
  all.sort();
  let ui = 0;
  let vi = 0;
  let total = 0;
  for (let i = 0; i < all.length - 1; i++) {
    const at = all[i] as number;
    while (ui < us.length && (us[ui] as number) <= at) ui++;
    while (vi < vs.length && (vs[vi] as number) <= at) vi++;
    total += Math.abs(ui / us.length - vi / vs.length) * ((all[i + 1] as number) - at);
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
