/**
 * The three ways scipy's `scipy/stats/_ksstats.py` computes the CDF of the two-sided one-sample
 * Kolmogorov–Smirnov statistic, P(Dₙ ≤ x), reproduced step for step (Simard & L'Ecuyer 2011): the Durbin
 * matrix (Marsaglia–Tsang–Wang), Pomeranz's recursion, and the Pelz–Good approximation.
 */

const scaleUp = 2 ** 128;
const scaleDown = 2 ** -128;
const sqrt2Pi = Math.sqrt(2 * Math.PI);
const piSquared = Math.PI ** 2;
const piFour = Math.PI ** 4;
const piSix = Math.PI ** 6;
const minLog = -708;

function multiply(a: Float64Array, b: Float64Array, m: number): Float64Array<ArrayBuffer> {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const aik = a[i * m + k] as number;
      if (aik === 0) continue;
      for (let j = 0; j < m; j++)
        out[i * m + j] = (out[i * m + j] as number) + aik * (b[k * m + j] as number);
    }
  }
  return out;
}

/** Durbin's matrix method as Marsaglia, Tsang and Wang compute it (scipy `_kolmogn_DMTW`, CDF). */
export function durbinMatrixCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let factorial = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = factorial;
    factorial /= j;
    v[j - 1] = (1 - h ** j) * factorial;
  }
  v[m - 1] = (1 + (Math.max(2 * h - 1, 0) ** m - 2 * h ** m)) * factorial;
  let matrix = new Float64Array(m * m);
  for (let i = 1; i < m; i++) for (let r = i - 1; r < m; r++) matrix[r * m + i] = w[r - i + 1] as number;
  for (let r = 0; r < m; r++) matrix[r * m] = v[r] as number;
  for (let c = 0; c < m; c++) matrix[(m - 1) * m + c] = v[m - 1 - c] as number;
  let power = new Float64Array(m * m);
  for (let i = 0; i < m; i++) power[i * m + i] = 1;
  let exponent = 0;
  let matrixExponent = 0;
  for (let left = n; left > 0; left = Math.floor(left / 2)) {
    if (left % 2) {
      power = multiply(power, matrix, m);
      exponent += matrixExponent;
    }
    matrix = multiply(matrix, matrix, m);
    matrixExponent *= 2;
    if (Math.abs(matrix[(k - 1) * m + (k - 1)] as number) > scaleUp) {
      for (let i = 0; i < matrix.length; i++) matrix[i] = (matrix[i] as number) / scaleUp;
      matrixExponent += 128;
    }
  }
  let p = power[(k - 1) * m + (k - 1)] as number;
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < scaleDown) {
      p *= scaleUp;
      exponent -= 128;
    }
  }
  return Math.min(Math.max(p * 2 ** exponent, 0), 1);
}

function pomeranzBounds(i: number, n: number, ll: number, ceilF: number, roundF: number): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilF - 1;
    j2 = ll + ceilF - 1;
  } else {
    const half = Math.floor((i + 1) / 2);
    if ((i + 1) % 2 === 0) {
      if (half === n + 1) {
        j1 = n - ll - ceilF - 1;
        j2 = n + ll + ceilF - 1;
      } else {
        j1 = half - 1 - ll - roundF - 1;
        j2 = half + ll - 1 + ceilF - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundF - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

function poissonPowers(count: number, rate: number): Float64Array {
  const out = new Float64Array(count);
  out[0] = 1;
  for (let m = 1; m < count; m++) out[m] = ((out[m - 1] as number) * rate) / m;
  return out;
}

/** Pomeranz's recursion (scipy `_kolmogn_Pomeranz`, CDF). */
export function pomeranzCdf(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilF = f > 0 ? 1 : 0;
  const roundF = f > 0.5 ? 1 : 0;
  const count = 2 * (ll + 1);
  const gPower = poissonPowers(count, g / n);
  const twoGPower = poissonPowers(count, (2 * g) / n);
  const oneMinusTwoGPower = poissonPowers(count, (1 - 2 * g) / n);
  let v0 = new Float64Array(count);
  let v1 = new Float64Array(count);
  v1[0] = 1;
  let v0Start = 0;
  let v1Start = 0;
  let exponent = 0;
  let [j1, j2] = pomeranzBounds(0, n, ll, ceilF, roundF);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [v0, v1] = [v1, v0];
    [v0Start, v1Start] = [v1Start, v0Start];
    v1.fill(0);
    [j1, j2] = pomeranzBounds(i, n, ll, ceilF, roundF);
    const powers = i === 1 || i === 2 * n + 1 ? gPower : i % 2 ? twoGPower : oneMinusTwoGPower;
    const length = j2 - k1 + 1;
    if (length > 0) {
      const from = k1 - v0Start;
      const a = v0.subarray(from, Math.min(from + length, count));
      const b = powers.subarray(0, Math.min(length, count));
      const start = j1 - k1;
      const used = j2 - j1 + 1;
      let max = 0;
      for (let r = 0; r < used; r++) {
        const at = start + r;
        let sum = 0;
        for (let s = Math.max(0, at - b.length + 1); s <= Math.min(at, a.length - 1); s++) {
          sum += (a[s] as number) * (b[at - s] as number);
        }
        v1[r] = sum;
        if (sum > max) max = sum;
      }
      if (max > 0 && max < scaleDown) {
        for (let r = 0; r < count; r++) v1[r] = (v1[r] as number) * scaleUp;
        exponent -= 128;
      }
      v1Start = v0Start + j1 - k1;
    }
  }
  let answer = v1[n - v1Start] as number;
  for (let m = 1; m <= n; m++) {
    if (Math.abs(answer) > scaleUp) {
      answer *= scaleDown;
      exponent += 128;
    }
    answer *= m;
  }
  return Math.min(Math.max(answer * 2 ** exponent, 0), 1);
}

/** The Pelz–Good asymptotic series (scipy `_kolmogn_PelzGood`, CDF). */
export function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z ** 2;
  const z4 = z ** 4;
  const z6 = z ** 6;
  const qLog = -piSquared / 8 / z2;
  if (qLog < minLog) return 0;
  let q = Math.exp(qLog);
  const k1a = -z2;
  const k1b = piSquared / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * piSquared) / 4;
  const k2c = (piFour * (1 - 2 * z2)) / 16;
  const k3d = (piSix * (5 - 30 * z2)) / 64;
  const k3c = (piFour * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (piSquared * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;
  const terms = [0, 0, 0, 0];
  const maxK = Math.ceil((16 * z) / Math.PI);
  for (let k = maxK; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m ** 2;
    const m4 = m ** 4;
    const m6 = m ** 6;
    const qPower = q ** (8 * k);
    const coefficients = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) terms[i] = (terms[i] as number) * qPower + (coefficients[i] as number);
  }
  const divisors = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) terms[i] = ((terms[i] as number) * q * sqrt2Pi) / (divisors[i] as number);
  q = Math.exp(-piSquared / 2 / z2);
  const sqrt3z = Math.sqrt(3) * z;
  let k2Extra = 0;
  let k3Extra = 0;
  for (let k = maxK; k > 0; k--) {
    const k2 = k ** 2;
    const qk = q ** k2;
    const kPi = Math.PI * k;
    k2Extra += k2 * qk;
    k3Extra += (sqrt3z + kPi) * (sqrt3z - kPi) * k2 * qk;
  }
  terms[2] = (terms[2] as number) + (k2Extra * piSquared * sqrt2Pi) / (-36 * z ** 3);
  terms[3] = (terms[3] as number) + (k3Extra * piSquared * sqrt2Pi) / (216 * z6);
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += (terms[i] as number) / n ** (i / 2);
  return sum;
}
