import { durbinMatrixCdf, pelzGoodCdf, pomeranzCdf } from './kolmogorov-methods.js';
import { smirnov } from './smirnov.js';

const logTwoPi = Math.log(2 * Math.PI);
/** B_{2j}/(2j)/(2j−1) for j = 8…1 (Stirling's series), highest power first. */
const stirling = [
  -0.029550653594771242, 6.41025641025641e-3, -1.9175269175269176e-3, 8.417508417508417e-4,
  -5.952380952380953e-4, 7.936507936507937e-4, -2.777777777777778e-3, 8.333333333333333e-2,
];

const clip = (p: number) => Math.min(Math.max(p, 0), 1);

/** log(n! / nⁿ) by Stirling's series with n·log n taken out first (scipy `_log_nfactorial_div_n_pow_n`). */
function logFactorialOverPower(n: number): number {
  const rn = 1 / n;
  const u = rn / n;
  let poly = 0;
  for (const c of stirling) poly = poly * u + c;
  return Math.log(n) / 2 - n + logTwoPi / 2 + rn * poly;
}

/**
 * P(Dₙ ≥ x): the survival function of the two-sided one-sample Kolmogorov–Smirnov statistic, scipy's
 * `kstwo.sf(x, n)` (`_kolmogn(n, x, cdf=False)` in `scipy/stats/_ksstats.py`), with the same choice of
 * method by n and n·x² (Simard & L'Ecuyer 2011).
 */
export function kolmogorovSf(n: number, x: number): number {
  if (!Number.isInteger(n) || n <= 0) return Number.NaN;
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    // Ruben–Gambino: 1/2n ≤ x ≤ 1/n.
    if (t <= 0.5) return 1;
    let cdf: number;
    if (n <= 140) {
      cdf = 1;
      for (let i = 1; i <= n; i++) cdf *= i * (1 / n) * (2 * t - 1);
    } else {
      cdf = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    }
    return clip(1 - cdf);
  }
  if (t >= n - 1) return clip(2 * (1 - x) ** n);
  if (x >= 0.5) return clip(2 * smirnov(n, x));
  const nxSquared = t * x;
  if (n <= 140) {
    if (nxSquared <= 0.754693) return clip(1 - durbinMatrixCdf(n, x));
    if (nxSquared <= 4) return clip(1 - pomeranzCdf(n, x));
    return clip(2 * smirnov(n, x));
  }
  if (nxSquared >= 370) return 0;
  if (nxSquared >= 2.2) return clip(2 * smirnov(n, x));
  let cdf: number;
  if (nxSquared >= 18) cdf = 1;
  else if (n <= 100000 && n * x ** 1.5 <= 1.4) cdf = durbinMatrixCdf(n, x);
  else cdf = pelzGoodCdf(n, x);
  return clip(1 - clip(cdf));
}
