import { invalidSample } from '../monitor.errors.js';
import type { TestResult } from './chi-square.js';
import { kolmogorovSf } from './kolmogorov-distribution.js';
import { exactTwoSided } from './kolmogorov-smirnov-exact.js';
import { finiteValues, type NumericSample } from './samples.js';

/** scipy's `MAX_AUTO_N`: method `auto` tries the exact p-value when both samples have at most this many values. */
export const ksExactMaxN = 10_000;

export interface KsResult extends TestResult {
  /** How the p-value was computed: exactly (small samples) or by `kstwo.sf(D, round(n·m/(n+m)))`. */
  readonly method: 'exact' | 'asymptotic';
}

function gcd(a: number, b: number): number {
  let [x, y] = [a, b];
  while (y) [x, y] = [y, x % y];
  return x;
}

/** numpy's `round`: halves to even. */
function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const diff = value - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * D = sup |F₁ − F₂| over the pooled values (ties: each empirical CDF counts every value ≤ x, scipy's
 * `searchsorted(side='right')`), as the larger of max(F₁ − F₂) and max(F₂ − F₁) clipped at 0.
 */
export function ksStatistic(sorted1: Float64Array, sorted2: Float64Array): number {
  const n1 = sorted1.length;
  const n2 = sorted2.length;
  let i = 0;
  let j = 0;
  let max = Number.NEGATIVE_INFINITY;
  let min = Number.POSITIVE_INFINITY;
  while (i < n1 || j < n2) {
    const a = i < n1 ? (sorted1[i] as number) : Number.POSITIVE_INFINITY;
    const b = j < n2 ? (sorted2[j] as number) : Number.POSITIVE_INFINITY;
    const at = a <= b ? a : b;
    while (i < n1 && (sorted1[i] as number) <= at) i++;
    while (j < n2 && (sorted2[j] as number) <= at) j++;
    const diff = i / n1 - j / n2;
    if (diff > max) max = diff;
    if (diff < min) min = diff;
  }
  const minS = Math.min(Math.max(-min, 0), 1);
  return minS > max ? minS : max;
}

/**
 * The two-sided two-sample Kolmogorov–Smirnov test, exactly as scipy 1.17's `ks_2samp(ref, cur)` with
 * method `auto`: exact p-value when both samples have at most 10,000 values (D snapped to h/lcm(n₁, n₂) as
 * scipy does), falling back to the asymptotic one if that fails; otherwise p = `kstwo.sf(D, round(n₁n₂/(n₁+n₂)))`.
 * Non-finite values are dropped first; an empty sample throws `monitor_invalid_sample`.
 */
export function ksTwoSample(reference: NumericSample, current: NumericSample): KsResult {
  const ref = finiteValues(reference).sort();
  const cur = finiteValues(current).sort();
  if (ref.length === 0) throw invalidSample('the reference sample has no finite value');
  if (cur.length === 0) throw invalidSample('the current sample has no finite value');
  const n1 = ref.length;
  const n2 = cur.length;
  const d = ksStatistic(ref, cur);
  if (Math.max(n1, n2) <= ksExactMaxN) {
    const exact = exactTwoSided(n1, n2, gcd(n1, n2), d);
    if (exact.ok) return { statistic: exact.d, pValue: exact.pValue, method: 'exact' };
    return asymptotic(n1, n2, exact.d);
  }
  return asymptotic(n1, n2, d);
}

function asymptotic(n1: number, n2: number, d: number): KsResult {
  const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
  const pValue = kolmogorovSf(roundHalfEven((m * n) / (m + n)), d);
  return { statistic: d, pValue: Math.min(Math.max(pValue, 0), 1), method: 'asymptotic' };
}
