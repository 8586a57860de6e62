import { describe, expect, it } from 'vitest';
import { elementCount, flattenData, tensorElements } from './tensor.js';

describe('V2 tensor helpers', () => {
  it('counts elements of a shape and refuses bad shapes', () => {
    expect(elementCount([2, 3])).toBe(6);
    expect(elementCount([])).toBe(1);
    expect(elementCount([0, 5])).toBe(0);
    expect(elementCount([-1, 3])).toBeNull();
    expect(elementCount([1.5])).toBeNull();
  });

  it('flattens nested data in row-major order', () => {
    expect(
      flattenData([
        [1, 2],
        [3, [4, 5]],
      ]),
    ).toEqual([1, 2, 3, 4, 5]);
  });

  it('refuses nesting deeper than any tensor, without recursion', () => {
    let deep: unknown[] = [1];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(flattenData(deep)).toBeNull();
  });

  it('checks the data against the shape', () => {
    expect(tensorElements({ name: 't', datatype: 'FP32', shape: [2], data: [1, 2] })).toEqual({
      ok: true,
      values: [1, 2],
    });
    expect(tensorElements({ name: 't', datatype: 'FP32', shape: [3], data: [1, 2] }).ok).toBe(false);
  });
});
