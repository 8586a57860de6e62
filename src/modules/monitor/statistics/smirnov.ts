/**
 * The one-sided Smirnov survival function P(D⁺ₙ ≥ x) — scipy's `scipy.special.smirnov(n, x)` (cephes, in
 * scipy's xsf library), which `kstwo.sf` uses as 2·smirnov where that is exact or a close upper bound.
 *
 * Written here because no npm package computes it. scipy sums the Birnbaum–Tingey series in double-double
 * arithmetic; every term of the lower sum is positive, so summing the terms computed in log space in plain
 * doubles keeps ~1e-12 relative accuracy, far inside the 1e-6 the fixtures check.
 */

/** cephes' MINLOG with denormals: log of the smallest positive double. */
const minLog = -745.1332191019412;
/** Above this n, scipy uses the approximation p ≈ exp(−(6nx + 1)² / 18n). */
const maxComputeN = 1_000_000;

/** floor(n·x) and the fractional part of the exact product (Dekker's two-product for the rounding error). */
function floorAndFraction(n: number, x: number): { floor: number; alpha: number } {
  const product = n * x;
  const split = 134217729; // 2^27 + 1
  const split1 = (value: number): [number, number] => {
    const c = split * value;
    const hi = c - (c - value);
    return [hi, value - hi];
  };
  const [nh, nl] = split1(n);
  const [xh, xl] = split1(x);
  const error = nh * xh - product + nh * xl + nl * xh + nl * xl;
  let floor = Math.floor(product);
  if (floor === product && error < 0) floor -= 1;
  let alpha = product - floor + error;
  if (alpha >= 1) {
    floor += 1;
    alpha = 0;
  }
  return { floor, alpha: Math.max(alpha, 0) };
}

/** P(D⁺ₙ ≥ x) for the one-sided one-sample Kolmogorov–Smirnov statistic; scipy's `smirnov(n, x)`. */
export function smirnov(n: number, x: number): number {
  if (!(n > 0 && x >= 0 && x <= 1)) return Number.NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  const { floor: nxFloor, alpha } = floorAndFraction(n, x);
  const lastTerm = n - nxFloor - 1;
  if (nxFloor === 0 || (nxFloor === 1 && alpha === 0)) {
    // x ≤ 1/n: the CDF is x·(1 + x)^(n−1).
    return Math.min(Math.max(1 - x * (1 + x) ** (n - 1), 0), 1);
  }
  if (-2 * n * x * x < minLog) return 0;
  if (nxFloor >= n - 1) return (1 - x) ** n;
  if (n > maxComputeN) {
    const logP = -((6 * n * x + 1) ** 2) / 18 / n;
    return logP < -Math.LN2 ? Math.exp(logP) : 1 + Math.expm1(logP);
  }
  // Lower sum: sf = x · Σ_{j=0}^{lastTerm} C(n, j) (1 − x − j/n)^(n−j) (x + j/n)^(j−1).
  const nTerms = lastTerm + 1;
  let sum = (1 - x) ** n / x;
  let logBinomial = 0;
  for (let j = 1; j < nTerms; j++) {
    logBinomial += Math.log((n - j + 1) / j);
    const lower = (n - j) / n - x;
    const upper = j / n + x;
    const term = Math.exp(logBinomial + (n - j) * Math.log(lower) + (j - 1) * Math.log(upper));
    sum += term;
    if (term !== 0) {
      if (4 * (nTerms - j) * term < Number.EPSILON * sum && j !== nTerms - 1) break;
    } else if (j > n / 2) break;
  }
  return Math.min(Math.max(x * sum, 0), 1);
}
