/**
 * The standard normal distribution's quantile and upper tail, to double precision: what the Shapiro–Wilk
 * test needs (its coefficients come from normal order statistics, its p-value from a normal tail).
 */

// Wichura's coefficients, lowest power first, as doubles (the published literals carry more digits than a
// double holds).
const CENTRAL_NUM = [
  3.3871328727963665, 133.14166789178438, 1971.5909503065513, 13731.69376550946, 45921.95393154987,
  67265.7709270087, 33430.57558358813, 2509.0809287301227,
];
const CENTRAL_DEN = [
  1, 42.31333070160091, 687.1870074920579, 5394.196021424751, 21213.794301586597, 39307.89580009271,
  28729.085735721943, 5226.495278852546,
];
const NEAR_NUM = [
  1.4234371107496835, 4.630337846156546, 5.769497221460691, 3.6478483247632045, 1.2704582524523684,
  0.2417807251774506, 0.022723844989269184, 0.0007745450142783414,
];
const NEAR_DEN = [
  1, 2.053191626637759, 1.6763848301838038, 0.6897673349851, 0.14810397642748008, 0.015198666563616457,
  0.0005475938084995345, 1.0507500716444169e-9,
];
const FAR_NUM = [
  6.657904643501103, 5.463784911164114, 1.7848265399172913, 0.29656057182850487, 0.026532189526576124,
  0.0012426609473880784, 0.000027115555687434876, 2.0103343992922881e-7,
];
const FAR_DEN = [
  1, 0.599832206555888, 0.1369298809227358, 0.014875361290850615, 0.0007868691311456133,
  0.000018463183175100548, 1.421511758316446e-7, 2.0442631033899397e-15,
];

/** num(x) / den(x), coefficients lowest power first (Horner). */
function rational(num: readonly number[], den: readonly number[], x: number): number {
  let n = 0;
  let d = 0;
  for (let i = num.length - 1; i >= 0; i--) {
    n = n * x + (num[i] as number);
    d = d * x + (den[i] as number);
  }
  return n / d;
}

/**
 * Φ⁻¹(p), the standard normal quantile: Wichura's algorithm AS 241 (PPND16, Applied Statistics 37, 1988),
 * accurate to about 1e-16. Returns ±Infinity at 0 and 1, NaN outside [0, 1].
 */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) return q * rational(CENTRAL_NUM, CENTRAL_DEN, 0.180625 - q * q);
  const r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  const value = r <= 5 ? rational(NEAR_NUM, NEAR_DEN, r - 1.6) : rational(FAR_NUM, FAR_DEN, r - 5);
  return q < 0 ? -value : value;
}

const INV_SQRT_2PI = 0.3989422804014327;

/**
 * 1 − Φ(z), the standard normal upper tail, with full relative precision far into the tail: a power series
 * for |z| < 3 (all terms positive, no cancellation) and the Laplace continued fraction of the Mills ratio
 * beyond, evaluated by the modified Lentz method.
 */
export function normalUpperTail(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  if (z < 0) return 1 - normalUpperTail(-z);
  if (z === Number.POSITIVE_INFINITY) return 0;
  const density = INV_SQRT_2PI * Math.exp(-0.5 * z * z);
  if (z < 3) {
    // Φ(z) − ½ = φ(z) · Σ z^(2k+1) / (1·3·…·(2k+1))
    let term = z;
    let sum = z;
    for (let k = 1; k < 500 && term > sum * 1e-17; k++) {
      term *= (z * z) / (2 * k + 1);
      sum += term;
    }
    return 0.5 - density * sum;
  }
  // 1 − Φ(z) = φ(z) / (z + 1/(z + 2/(z + 3/(z + …))))
  const tiny = 1e-300;
  let f = z;
  let c = z;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    d = z + k * d;
    d = d === 0 ? tiny : d;
    c = z + k / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return density / f;
}
