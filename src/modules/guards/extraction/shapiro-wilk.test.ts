import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalQuantile, normalUpperTail } from './normal.js';
import { shapiroWilk, shapiroWilkCoefficients, shapiroWilkSorted } from './shapiro-wilk.js';

interface Reference {
  source: string;
  generated: { kind: string; n: number; seed: number; w: number; p: number }[];
  inline: { data: number[]; w: number; p: number }[];
  normalQuantile: { p: number; z: number }[];
  normalUpperTail: { z: number; q: number }[];
}

// Computed once with scipy by fixtures/make-shapiro-wilk-reference.py; the tests never call Python.
const reference = JSON.parse(
  readFileSync(new URL('./fixtures/shapiro-wilk-reference.json', import.meta.url), 'utf8'),
) as Reference;

/** mulberry32, as the generator script has it (integer arithmetic: the same doubles on both sides). */
function mulberry32(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sample(kind: string, n: number, seed: number): number[] {
  const u = mulberry32(seed);
  const normal12 = () => {
    let s = 0;
    for (let i = 0; i < 12; i++) s += u();
    return s - 6;
  };
  return Array.from({ length: n }, () => {
    switch (kind) {
      case 'uniform':
        return u();
      case 'normal':
        return normal12();
      case 'cube': {
        const v = u();
        return v * v * v;
      }
      case 'bimodal': {
        const v = normal12();
        return u() < 0.5 ? v + 4 : v;
      }
      case 'rounded':
        // Python's round() is half-to-even; halves of a 12-uniform sum do not occur at this precision.
        return Math.round(normal12() * 2) / 2;
      default:
        throw new Error(kind);
    }
  });
}

/** |a − b| within `rel` of |b|, or within `abs` (for values near 0). */
function close(actual: number, expected: number, rel: number, abs = 0): boolean {
  return Math.abs(actual - expected) <= Math.max(rel * Math.abs(expected), abs);
}

describe('normal distribution', () => {
  it.each(reference.normalQuantile)('Φ⁻¹($p) matches scipy.special.ndtri', ({ p, z }) => {
    expect(close(normalQuantile(p), z, 1e-14, 1e-15)).toBe(true);
  });

  it.each(reference.normalUpperTail)('1 − Φ($z) matches scipy.special.ndtr(−z)', ({ z, q }) => {
    expect(close(normalUpperTail(z), q, 1e-13)).toBe(true);
  });

  it('handles the ends of its domain', () => {
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normalQuantile(1.5)).toBeNaN();
    expect(normalUpperTail(Number.POSITIVE_INFINITY)).toBe(0);
    expect(normalUpperTail(Number.NEGATIVE_INFINITY)).toBe(1);
  });
});

describe('Shapiro–Wilk (AS R94) against scipy.stats.shapiro', () => {
  it('has reference values for every size from 3 to 5000', () => {
    expect(reference.source).toMatch(/^scipy /);
    expect(new Set(reference.generated.map((c) => c.n))).toEqual(
      new Set([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 20, 50, 100, 200, 500, 1000, 2000, 5000]),
    );
  });

  it.each(reference.generated)('$kind n=$n: W and p agree', ({ kind, n, seed, w, p }) => {
    const result = shapiroWilk(sample(kind, n, seed));
    expect(result.n).toBe(n);
    // scipy's port approximates the normal quantiles to about 7 digits; measured: W within 1e-9 (relative),
    // p within 3e-6 (p is 1 − W's transform, so near W = 1 it magnifies that difference).
    expect(close(result.w, w, 1e-8)).toBe(true);
    expect(close(result.p, p, 1e-5, 1e-12)).toBe(true);
  });

  it.each(reference.inline)('inline sample %#: W and p agree', ({ data, w, p }) => {
    const result = shapiroWilk(data);
    expect(close(result.w, w, 1e-8)).toBe(true);
    expect(close(result.p, p, 1e-5, 1e-12)).toBe(true);
  });

  it('rejects a clearly non-normal sample and keeps a normal one', () => {
    expect(shapiroWilk(sample('bimodal', 1000, 1)).p).toBeLessThan(1e-6);
    expect(shapiroWilk(sample('normal', 1000, 2)).p).toBeGreaterThan(0.01);
  });

  it('is invariant to shifting and scaling, and to the input order', () => {
    const x = sample('cube', 300, 9);
    const base = shapiroWilk(x).w;
    expect(shapiroWilk(x.map((v) => 1000 + 7 * v)).w).toBeCloseTo(base, 12);
    expect(shapiroWilk([...x].reverse()).w).toBeCloseTo(base, 12);
  });

  it('calls a constant sample normal (W = 1, no evidence) and does not modify its input', () => {
    expect(shapiroWilk([2, 2, 2, 2])).toEqual({ w: 1, p: 1, n: 4 });
    const x = [3, 1, 2];
    shapiroWilk(x);
    expect(x).toEqual([3, 1, 2]);
  });

  it('refuses sizes outside 3–5000 and non-finite values', () => {
    expect(() => shapiroWilk([1, 2])).toThrow(RangeError);
    expect(() => shapiroWilk(new Float64Array(5001))).toThrow(RangeError);
    expect(() => shapiroWilk([1, 2, Number.NaN])).toThrow(RangeError);
    expect(() => shapiroWilkSorted(Float64Array.of(1, 2, 3, 4), shapiroWilkCoefficients(7))).toThrow(
      RangeError,
    );
  });

  it('has weights that sum of squares to about one', () => {
    for (const n of [4, 5, 6, 50, 5000]) {
      const a = shapiroWilkCoefficients(n);
      const ss = 2 * a.reduce((s, v) => s + v * v, 0);
      expect(ss).toBeCloseTo(1, 2);
    }
  });
});
