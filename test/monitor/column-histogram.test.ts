import { describe, expect, it } from 'vitest';
import {
  binnedProportions,
  type ColumnSample,
  columnHistogram,
  maxHistogramBins,
  otherLabel,
  preparePair,
} from '../../src/modules/monitor/index.js';

const sample = (values: number[] | string[]): ColumnSample => ({
  kind: typeof values[0] === 'string' ? 'categorical' : 'numeric',
  count: values.length,
  missing: 0,
  values,
});
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('columnHistogram', () => {
  it('bins a continuous column on the same edges as Jensen–Shannon, proportions summing to 1', () => {
    const ref = Array.from({ length: 300 }, (_, i) => Math.sin(i) * 3 + 5);
    const cur = Array.from({ length: 120 }, (_, i) => Math.cos(i) * 2 + 6);
    const histogram = columnHistogram('sepal_width', sample(ref), sample(cur));
    const [r, c] = preparePair(ref, cur);
    const bins = binnedProportions(r, c);
    expect(histogram.column).toBe('sepal_width');
    expect(histogram.labels).toBeNull();
    expect(histogram.edges).toEqual(Array.from(bins.edges ?? []));
    expect(histogram.reference).toEqual(Array.from(bins.reference));
    expect(histogram.current).toEqual(Array.from(bins.current));
    expect(sum(histogram.reference)).toBeCloseTo(1, 12);
    expect(histogram.reference.length).toBeLessThanOrEqual(maxHistogramBins);
  });

  it('gives one labelled bin per value for few-valued and categorical columns', () => {
    expect(columnHistogram('n', sample([1, 2, 2, 3]), sample([2, 4]))).toEqual({
      column: 'n',
      edges: null,
      labels: ['1', '2', '3', '4'],
      reference: [0.25, 0.5, 0.25, 0],
      current: [0, 0.5, 0, 0.5],
    });
    const species = columnHistogram('species', sample(['b', 'a', 'a']), sample(['c']));
    expect(species).toMatchObject({ labels: ['a', 'b', 'c'], current: [0, 0, 1] });
  });

  it('keeps at most 50 bins: the 49 most frequent categories and the rest summed as (other)', () => {
    const ref = Array.from({ length: 400 }, (_, i) => `c${i % 80}`);
    const cur = [...Array.from({ length: 100 }, () => 'c1'), 'new'];
    const histogram = columnHistogram('city', sample(ref), sample(cur));
    expect(histogram.labels).toHaveLength(maxHistogramBins);
    expect(histogram.labels?.at(-1)).toBe(otherLabel);
    expect(histogram.labels).toContain('c1');
    expect(sum(histogram.reference)).toBeCloseTo(1, 12);
    expect(sum(histogram.current)).toBeCloseTo(1, 12);
  });

  it('bins a numeric column with few reference values but over 50 values in all', () => {
    const histogram = columnHistogram(
      'x',
      sample([1, 2, 3]),
      sample(Array.from({ length: 60 }, (_, i) => i)),
    );
    expect(histogram.labels).toBeNull();
    expect(histogram.edges?.length).toBeLessThanOrEqual(maxHistogramBins + 1);
    expect(sum(histogram.current)).toBeCloseTo(1, 12);
  });

  it('draws an empty side as zeros, and no bin when both are empty', () => {
    const histogram = columnHistogram('x', sample([1, 2, 2]), { ...sample([]), kind: 'numeric' });
    expect(histogram).toMatchObject({ labels: ['1', '2'], reference: [1 / 3, 2 / 3], current: [0, 0] });
    expect(columnHistogram('x', sample([]), sample([]))).toEqual({
      column: 'x',
      edges: null,
      labels: [],
      reference: [],
      current: [],
    });
  });
});
