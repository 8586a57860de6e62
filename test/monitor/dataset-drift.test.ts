import { describe, expect, it } from 'vitest';
import { type ColumnDrift, datasetDrift, monitorErrors } from '../../src/modules/monitor/index.js';

const column = (name: string, drifted: boolean, extra: Partial<ColumnDrift> = {}): ColumnDrift => ({
  column: name,
  role: 'feature',
  kind: 'numeric',
  test: 'ks',
  value: drifted ? 0.001 : 0.6,
  statistic: 0.2,
  threshold: 0.05,
  drifted,
  referenceCount: 150,
  currentCount: 50,
  ...extra,
});

describe('datasetDrift', () => {
  it('detects drift when the share of drifted features reaches 0.5', () => {
    const half = datasetDrift([column('a', true), column('b', false), column('c', true), column('d', false)]);
    expect(half).toEqual({ columns: 4, drifted: 2, share: 0.5, threshold: 0.5, detected: true });
    const third = datasetDrift([column('a', true), column('b', false), column('c', false)]);
    expect(third.detected).toBe(false);
    expect(third.share).toBeCloseTo(1 / 3, 15);
  });

  it('takes a threshold', () => {
    const columns = [column('a', true), column('b', false), column('c', false)];
    expect(datasetDrift(columns, 0.3).detected).toBe(true);
    expect(datasetDrift(columns, 0.34).detected).toBe(false);
  });

  it('counts features only, and never a column without a verdict', () => {
    const result = datasetDrift([
      column('a', false),
      column('label', true, { role: 'prediction' }),
      column('p_setosa', true, { role: 'probability' }),
      column('b', false, { noData: 'current', value: 1 }),
    ]);
    expect(result).toEqual({ columns: 1, drifted: 0, share: 0, threshold: 0.5, detected: false });
  });

  it('has no verdict with no column to count', () => {
    expect(datasetDrift([])).toEqual({ columns: 0, drifted: 0, share: 0, threshold: 0.5, detected: false });
  });

  it('refuses a threshold outside (0, 1]', () => {
    for (const threshold of [0, 1.01, Number.NaN, -1]) {
      expect(() => datasetDrift([column('a', true)], threshold)).toThrow(
        expect.objectContaining({ code: monitorErrors.invalidSample.code }),
      );
    }
  });
});
