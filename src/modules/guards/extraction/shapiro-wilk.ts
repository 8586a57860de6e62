import { normalQuantile, normalUpperTail } from './normal.js';

/**
 * The Shapiro–Wilk test of normality, after Royston's algorithm AS R94 (Applied Statistics 44, 1995),
 * valid for 3 ≤ n ≤ 5000: the coefficients come from Royston's polynomial approximations to the normal
 * order statistics' weights, W is the squared correlation between those weights and the sorted sample, and
 * the p-value comes from Royston's normalizing transformation of W. Small W (far below 1) means the sample
 * is not normal. Checked against scipy.stats.shapiro (fixtures/shapiro-wilk-reference.json).
 */
export interface ShapiroWilkResult {
  /** The statistic, in (0, 1]; 1 for a sample whose values are all equal (no evidence either way). */
  readonly w: number;
  /** The p-value of the hypothesis that the sample is normal. */
  readonly p: number;
  readonly n: number;
}

export const SHAPIRO_WILK_MIN_N = 3;
export const SHAPIRO_WILK_MAX_N = 5000;

const C1 = [0, 0.221157, -0.147981, -2.07119, 4.434685, -2.706056];
const C2 = [0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633];
const C3 = [0.544, -0.39978, 0.025054, -6.714e-4];
const C4 = [1.3822, -0.77857, 0.062767, -0.0020322];
const C5 = [-1.5861, -0.31082, -0.083751, 0.0038915];
const C6 = [-0.4803, -0.082676, 0.0030302];
const G = [-2.273, 0.459];
/** A range below this is zero: the sample is constant. */
const SMALL = 1e-19;

/** c₀ + c₁x + c₂x² + … */
function poly(c: readonly number[], x: number): number {
  let value = 0;
  for (let i = c.length - 1; i >= 0; i--) value = value * x + (c[i] as number);
  return value;
}

function checkSize(n: number): void {
  if (!Number.isInteger(n) || n < SHAPIRO_WILK_MIN_N || n > SHAPIRO_WILK_MAX_N)
    throw new RangeError(
      `Shapiro–Wilk needs ${SHAPIRO_WILK_MIN_N} to ${SHAPIRO_WILK_MAX_N} values, got ${n}`,
    );
}

/**
 * The ⌊n/2⌋ weights a₁ … a_{n/2} (positive, decreasing) for a sample of n: the sorted sample's i-th
 * smallest value gets −aᵢ, its i-th largest +aᵢ, the middle one (odd n) 0. Depends on n only, so callers
 * testing samples of one size compute it once.
 */
export function shapiroWilkCoefficients(n: number): Float64Array {
  checkSize(n);
  const half = Math.floor(n / 2);
  const a = new Float64Array(half);
  if (n === 3) {
    a[0] = Math.SQRT1_2;
    return a;
  }
  const m = new Float64Array(half);
  let summ2 = 0;
  for (let i = 0; i < half; i++) {
    const mi = normalQuantile((i + 1 - 0.375) / (n + 0.25));
    m[i] = mi;
    summ2 += mi * mi;
  }
  summ2 *= 2;
  const ssumm2 = Math.sqrt(summ2);
  const rsn = 1 / Math.sqrt(n);
  const m0 = m[0] as number;
  const a1 = poly(C1, rsn) - m0 / ssumm2;
  let first: number;
  let fac: number;
  if (n > 5) {
    const m1 = m[1] as number;
    const a2 = -m1 / ssumm2 + poly(C2, rsn);
    fac = Math.sqrt((summ2 - 2 * m0 * m0 - 2 * m1 * m1) / (1 - 2 * a1 * a1 - 2 * a2 * a2));
    a[1] = a2;
    first = 2;
  } else {
    fac = Math.sqrt((summ2 - 2 * m0 * m0) / (1 - 2 * a1 * a1));
    first = 1;
  }
  a[0] = a1;
  for (let i = first; i < half; i++) a[i] = -(m[i] as number) / fac;
  return a;
}

/**
 * The test on a sample already sorted ascending, with the weights for its size (shapiroWilkCoefficients):
 * no allocation, one pass. The caller keeps both right; `shapiroWilk` is the checked entry point.
 */
export function shapiroWilkSorted(sorted: ArrayLike<number>, a: Float64Array): ShapiroWilkResult {
  const n = sorted.length;
  const half = Math.floor(n / 2);
  if (a.length !== half) throw new RangeError(`${a.length} coefficients do not fit a sample of ${n}`);
  const range = (sorted[n - 1] as number) - (sorted[0] as number);
  if (!(range >= SMALL)) return { w: 1, p: 1, n };

  // W as the squared correlation of the weights with the range-scaled sample (AS R94's form).
  let sumA = 0;
  let sumX = 0;
  for (let i = 0; i < n; i++) {
    sumX += (sorted[i] as number) / range;
    sumA += weight(a, i, n, half);
  }
  const meanA = sumA / n;
  const meanX = sumX / n;
  let ssa = 0;
  let ssx = 0;
  let sax = 0;
  for (let i = 0; i < n; i++) {
    const da = weight(a, i, n, half) - meanA;
    const dx = (sorted[i] as number) / range - meanX;
    ssa += da * da;
    ssx += dx * dx;
    sax += da * dx;
  }
  // w1 = 1 − W, computed without cancellation for W near 1.
  const root = Math.sqrt(ssa * ssx);
  const w1 = ((root - sax) * (root + sax)) / (ssa * ssx);
  const w = 1 - w1;
  return { w, p: pValue(w, w1, n), n };
}

/** The weight of the i-th smallest of n values. */
function weight(a: Float64Array, i: number, n: number, half: number): number {
  if (i < half) return -(a[i] as number);
  const mirror = n - 1 - i;
  return mirror < half ? (a[mirror] as number) : 0;
}

function pValue(w: number, w1: number, n: number): number {
  if (n === 3) {
    // exact: 6/π · (asin √W − π/3)
    return Math.max(0, (6 / Math.PI) * (Math.asin(Math.sqrt(w)) - Math.PI / 3));
  }
  let y = Math.log(w1);
  let mean: number;
  let sd: number;
  if (n <= 11) {
    const gamma = poly(G, n);
    if (y >= gamma) return 1e-99;
    y = -Math.log(gamma - y);
    mean = poly(C3, n);
    sd = Math.exp(poly(C4, n));
  } else {
    const ln = Math.log(n);
    mean = poly(C5, ln);
    sd = Math.exp(poly(C6, ln));
  }
  return normalUpperTail((y - mean) / sd);
}

/** The Shapiro–Wilk test of a sample of 3 to 5000 finite values (copied and sorted; the input is kept). */
export function shapiroWilk(sample: ArrayLike<number>): ShapiroWilkResult {
  const n = sample.length;
  checkSize(n);
  const sorted = Float64Array.from(sample);
  for (const v of sorted) if (!Number.isFinite(v)) throw new RangeError('Shapiro–Wilk needs finite values');
  sorted.sort();
  return shapiroWilkSorted(sorted, shapiroWilkCoefficients(n));
}
