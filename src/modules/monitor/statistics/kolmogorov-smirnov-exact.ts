/**
 * The exact two-sided p-value of the two-sample Kolmogorov–Smirnov test, as scipy 1.17's `ks_2samp`
 * computes it (Hodges 1958's lattice-path counts; Viehmann 2021's recursion for 1 − p), step for step:
 * `_compute_prob_outside_square` for equal sizes, `_compute_outer_prob_inside_method` otherwise.
 */

/** P(D_{n,n} ≥ h/n): the share of lattice paths that leave the band |x − y| < h (Horner-like alternating sum). */
export function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let term = 1;
    for (let j = 0; j < h; j++) term = ((n - k * h - j) * term) / (n + k * h + j + 1);
    p = term * (1 - p);
  }
  return 2 * p;
}

/**
 * The share of lattice paths from (0, 0) to (m, n) that do not stay strictly inside |x/m − y/n| < h/lcm(m, n),
 * g = gcd(m, n): one column of the path-count matrix at a time, in a sliding window, normalized as it goes.
 */
export function probOutsideBand(mIn: number, nIn: number, g: number, h: number): number {
  const [m, n] = mIn >= nIn ? [mIn, nIn] : [nIn, mIn];
  const mg = m / g;
  const ng = n / g;
  let minJ = 0;
  let maxJ = Math.min(Math.ceil(h / mg), n + 1);
  let currentLength = maxJ - minJ;
  const length = Math.min(2 * maxJ + 2, n + 1);
  const a = new Float64Array(length).fill(1);
  a.fill(0, minJ, Math.min(maxJ, length));
  for (let i = 1; i <= m; i++) {
    const lastMinJ = minJ;
    const lastLength = currentLength;
    minJ = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxJ = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxJ <= minJ) return 1;
    let value = minJ === 0 ? 0 : 1;
    const shift = minJ - lastMinJ;
    for (let jj = 0; jj < maxJ - minJ; jj++) {
      const j = jj + minJ;
      value = ((a[jj + shift] as number) * i + value * j) / (i + j);
      a[jj] = value;
    }
    currentLength = maxJ - minJ;
    if (lastLength > currentLength) {
      a.fill(1, currentLength, Math.min(currentLength + (lastLength - currentLength), length));
    }
  }
  return a[maxJ - minJ - 1] as number;
}

/**
 * scipy's `_attempt_exact_2kssamp` (two-sided): D is snapped to h/lcm, p computed exactly; `ok` is false
 * when the computation fails (p outside [0, 1]) and the caller falls back to the asymptotic p-value.
 */
export function exactTwoSided(
  n1: number,
  n2: number,
  g: number,
  d: number,
): { ok: boolean; d: number; pValue: number } {
  const lcm = (n1 / g) * n2;
  const h = Math.round(d * lcm);
  const snapped = h / lcm;
  if (h === 0) return { ok: true, d: snapped, pValue: 1 };
  const pValue = n1 === n2 ? probOutsideSquare(n1, h) : probOutsideBand(n1, n2, g, h);
  return { ok: pValue >= 0 && pValue <= 1, d: snapped, pValue };
}
