import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  binnedProportions,
  chiSquare,
  finiteValues,
  jensenShannon,
  ksTwoSample,
  monitorErrors,
  normedWasserstein,
  preparePair,
  psi,
  type Sample,
  zTest,
} from '../../src/modules/monitor/index.js';

type Value = number | 'Infinity' | '-Infinity' | 'NaN';
interface DriftCase {
  name: string;
  numeric: boolean;
  reference: number[] | string[];
  current: number[] | string[];
  binEdges: number[] | null;
  jensenShannon: { distance: Value };
  psi: { distance: Value };
  wasserstein?: { distance: Value };
  ks?: { statistic: Value; pValue: Value };
  chiSquare?: { statistic: Value; pValue: Value };
  zTest?: { statistic: Value; pValue: Value };
}

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/drift/drift-cases.json', import.meta.url), 'utf8'),
) as { cases: DriftCase[] };

const decode = (value: Value): number => (typeof value === 'number' ? value : Number(value));

/** Equal to scipy within 1e-6 relative, or 1e-12 absolute near 0; infinities exactly. */
function expectClose(actual: number, expected: Value, what: string): void {
  const want = decode(expected);
  if (!Number.isFinite(want)) {
    expect(actual, what).toBe(want);
    return;
  }
  const error = Math.abs(actual - want);
  expect(error <= 1e-12 || error <= 1e-6 * Math.abs(want), `${what}: ${actual} vs scipy ${want}`).toBe(true);
}

describe('drift statistics match scipy/numpy', () => {
  it('has the cases', () => expect(fixture.cases.length).toBeGreaterThanOrEqual(35));
  for (const c of fixture.cases) {
    const ref: Sample = c.numeric ? Float64Array.from(c.reference as number[]) : (c.reference as string[]);
    const cur: Sample = c.current;
    it(c.name, () => {
      const [r, k] = preparePair(ref, cur);
      const edges = binnedProportions(r, k).edges;
      if (c.binEdges === null) expect(edges).toBeNull();
      else expect(Array.from(edges ?? [])).toEqual(c.binEdges);
      expectClose(jensenShannon(ref, cur).distance, c.jensenShannon.distance, 'jensen-shannon');
      expectClose(psi(ref, cur).distance, c.psi.distance, 'psi');
      if (c.wasserstein)
        expectClose(normedWasserstein(ref, cur).distance, c.wasserstein.distance, 'wasserstein');
      if (c.ks) {
        const ks = ksTwoSample(ref as Float64Array, cur as number[]);
        expectClose(ks.statistic, c.ks.statistic, 'KS D');
        expectClose(ks.pValue, c.ks.pValue, 'KS p');
      }
      if (c.chiSquare) {
        const chi = chiSquare(ref, cur);
        expectClose(chi.statistic, c.chiSquare.statistic, 'chi-square statistic');
        expectClose(chi.pValue, c.chiSquare.pValue, 'chi-square p');
      }
      if (c.zTest) {
        const z = zTest(ref, cur);
        expectClose(z.statistic, c.zTest.statistic, 'z statistic');
        expectClose(z.pValue, c.zTest.pValue, 'z p');
      }
    });
  }
});

describe('drift statistics: edge cases', () => {
  const invalid = (f: () => unknown) => {
    try {
      f();
    } catch (err) {
      expect(monitorErrors.invalidSample.is(err)).toBe(true);
      return;
    }
    expect.fail('no error thrown');
  };

  it('drops ±Infinity and NaN from each sample separately', () => {
    expect(
      Array.from(finiteValues([1, Number.NaN, 2, Number.POSITIVE_INFINITY, -3, Number.NEGATIVE_INFINITY])),
    ).toEqual([1, 2, -3]);
    expect(normedWasserstein([1, 2, 3, Number.NaN], [1, 2, 3, Number.POSITIVE_INFINITY]).distance).toBe(0);
  });

  it('refuses empty samples, non-finite-only samples and mixed kinds', () => {
    invalid(() => chiSquare([], ['a']));
    invalid(() => psi([1], [Number.NaN, Number.POSITIVE_INFINITY]));
    invalid(() => jensenShannon(['a'], [1]));
    invalid(() => normedWasserstein(['a'], ['b']));
    invalid(() => zTest(['a', 1] as unknown as string[], ['a']));
  });

  it('chi-square: a category the reference never saw is certain drift; one shared category is none', () => {
    expect(chiSquare(['a', 'a', 'b'], ['a', 'c'])).toEqual({
      statistic: Number.POSITIVE_INFINITY,
      pValue: 0,
    });
    expect(chiSquare(['a', 'a'], ['a'])).toEqual({ statistic: 0, pValue: 1 });
  });

  it('z-test: the same constant on both sides is p = 1; identical samples give p = 1', () => {
    expect(zTest(['x', 'x'], ['x'])).toEqual({ statistic: 0, pValue: 1 });
    expect(zTest(['x', 'y'], ['y', 'x']).pValue).toBe(1);
  });

  it('normed Wasserstein divides by at least 0.001', () => {
    expect(normedWasserstein([5, 5, 5], [5.001]).distance).toBeCloseTo(1, 9);
  });

  it('PSI and Jensen–Shannon are 0 on identical samples, and JS is at most sqrt(ln 2)', () => {
    expect(psi(['a', 'b'], ['b', 'a']).distance).toBe(0);
    expect(jensenShannon(['a'], ['b']).distance).toBeCloseTo(Math.sqrt(Math.LN2), 12);
  });
});
