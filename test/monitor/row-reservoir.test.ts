import { describe, expect, it } from 'vitest';
import { createRowReservoir } from '../../src/modules/monitor/reference/model-answers.js';
import { seeded } from '../fixtures/iris-traffic.js';

const layout = { tensor: 'input', dtype: 'float32', columns: [2, 0] };

describe('the reference rows the model scores', () => {
  it('keeps complete rows only, in the layout order, and everything while under the bound', () => {
    const r = createRowReservoir(layout, 10, seeded(1));
    r.offer([1, 'x', 3]);
    r.offer([4, 5, null]);
    r.offer(['a', 1, 2]);
    r.offer([7, 8, 9]);
    expect(r.input()).toEqual({
      tensor: 'input',
      dtype: 'float32',
      rows: [
        [3, 1],
        [9, 7],
      ],
    });
  });

  it('gives each complete row the same chance once the sample is full (Algorithm L)', () => {
    const n = 2_000;
    const max = 100;
    const runs = 200;
    const kept = new Array<number>(10).fill(0);
    for (let run = 0; run < runs; run++) {
      const r = createRowReservoir(layout, max, seeded(run + 7));
      for (let i = 0; i < n; i++) {
        r.offer([i, null, i]);
        if (i % 3 === 0) r.offer([null, null, i]); // incomplete: never counted nor kept
      }
      const rows = r.input()?.rows ?? [];
      expect(rows).toHaveLength(max);
      expect(new Set(rows.map((row) => row[1])).size).toBe(max);
      for (const row of rows) kept[Math.floor((row[1] as number) / (n / 10))]! += 1;
    }
    // Each tenth of the stream holds a tenth of the kept rows: 2,000 expected per decile; a chi-square with
    // 9 degrees of freedom above 27.9 would happen by chance once in 1,000 runs of this test.
    const expected = (runs * max) / 10;
    const chi = kept.reduce((sum, k) => sum + (k - expected) ** 2 / expected, 0);
    expect(chi).toBeLessThan(27.9);
  });
});
