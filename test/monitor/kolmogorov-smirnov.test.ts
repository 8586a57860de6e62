import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  kolmogorovSf,
  ksExactMaxN,
  ksTwoSample,
  monitorErrors,
  smirnov,
} from '../../src/modules/monitor/index.js';

type Value = number | 'Infinity' | '-Infinity' | 'NaN';
interface KsCase {
  name: string;
  reference: number[];
  current: number[];
  ks: { statistic: Value; pValue: Value };
}
interface KolmogorovPoint {
  n: number;
  x: number;
  sf: Value;
  smirnov: Value;
}

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/drift/drift-cases.json', import.meta.url), 'utf8'),
) as { ksCases: KsCase[]; kolmogorov: KolmogorovPoint[] };

/** Within 1e-6 relative of scipy; only values scipy itself gives as subnormals (< 1e-300) may differ absolutely. */
function expectRelative(actual: number, expected: Value, what: string): void {
  const want = Number(expected);
  const error = Math.abs(actual - want);
  const ok = actual === want || error <= 1e-6 * Math.abs(want) || (Math.abs(want) < 1e-300 && error < 1e-300);
  expect(ok, `${what}: ${actual} vs scipy ${want}`).toBe(true);
}

describe('ksTwoSample matches scipy 1.17 ks_2samp (method auto, two-sided)', () => {
  it('has small, tied, identical, disjoint and large cases', () => {
    expect(fixture.ksCases.length).toBeGreaterThanOrEqual(30);
    const sizes = fixture.ksCases.map((c) => Math.max(c.reference.length, c.current.length));
    expect(sizes.some((n) => n > ksExactMaxN)).toBe(true);
    expect(fixture.ksCases.some((c) => c.reference.length === 1 && c.current.length === 1)).toBe(true);
  });
  for (const c of fixture.ksCases) {
    it(c.name, () => {
      const result = ksTwoSample(c.reference, c.current);
      const large = Math.max(c.reference.length, c.current.length) > ksExactMaxN;
      expect(result.method).toBe(large ? 'asymptotic' : 'exact');
      expectRelative(result.statistic, c.ks.statistic, 'D');
      expectRelative(result.pValue, c.ks.pValue, 'p');
    });
  }
});

describe("the Kolmogorov distribution matches scipy's kstwo.sf and smirnov", () => {
  it('covers every method on a grid', () => {
    expect(fixture.kolmogorov.length).toBeGreaterThanOrEqual(300);
    for (const point of fixture.kolmogorov) {
      expectRelative(kolmogorovSf(point.n, point.x), point.sf, `kstwo.sf(${point.x}, ${point.n})`);
      expectRelative(smirnov(point.n, point.x), point.smirnov, `smirnov(${point.n}, ${point.x})`);
    }
  });

  it('is 1 at 0, 0 at 1 and undefined (NaN) for a non-integer or non-positive n', () => {
    expect(kolmogorovSf(10, 0)).toBe(1);
    expect(kolmogorovSf(10, 1)).toBe(0);
    expect(kolmogorovSf(0, 0.5)).toBeNaN();
    expect(kolmogorovSf(2.5, 0.5)).toBeNaN();
    expect(smirnov(5, 1.5)).toBeNaN();
  });
});

describe('ksTwoSample: edge cases', () => {
  it('drops non-finite values before comparing, and does not modify its inputs', () => {
    const ref = [3, 1, Number.NaN, 2];
    const withInfinity = ksTwoSample(ref, [1, 2, 3, Number.POSITIVE_INFINITY]);
    expect(withInfinity).toEqual({ statistic: 0, pValue: 1, method: 'exact' });
    expect(ref).toEqual([3, 1, Number.NaN, 2]);
  });

  it('is symmetric in its samples', () => {
    const a = [0.1, 0.5, 0.9, 1.3, 2.2, 2.5];
    const b = [0.4, 1.1, 1.9, 2.8, 3.3];
    expect(ksTwoSample(a, b)).toEqual(ksTwoSample(b, a));
  });

  it('refuses a sample with no finite value', () => {
    for (const [ref, cur] of [
      [[], [1]],
      [[1], [Number.NaN]],
    ] as const) {
      try {
        ksTwoSample(ref, cur);
        expect.fail('no error thrown');
      } catch (err) {
        expect(monitorErrors.invalidSample.is(err)).toBe(true);
      }
    }
  });
});
