import type { DatasetCell } from './reference.ports.js';

/**
 * What a profile keeps of one column while the rows stream past: counts of everything, and a uniform
 * reservoir sample (Vitter's algorithm R) of at most `size` present values. Memory stays at `size` values
 * whatever the file's length.
 */
export interface ColumnAccumulator {
  present: number;
  missing: number;
  /** Present values that are strings; with numbers too, the column is not numeric. */
  strings: number;
  /** Where the first string was (line or row), to point at it when numbers were needed. */
  firstStringAt: number | null;
  /** Whether every numeric value so far is an integer (class labels rather than measurements). */
  integers: boolean;
  sample: (number | string)[];
}

export function createAccumulator(): ColumnAccumulator {
  return { present: 0, missing: 0, strings: 0, firstStringAt: null, integers: true, sample: [] };
}

export function accumulate(
  acc: ColumnAccumulator,
  cell: DatasetCell,
  at: number,
  size: number,
  random: () => number,
): void {
  if (cell === null) {
    acc.missing += 1;
    return;
  }
  acc.present += 1;
  if (typeof cell === 'string') {
    acc.strings += 1;
    acc.firstStringAt ??= at;
  } else if (!Number.isInteger(cell)) {
    acc.integers = false;
  }
  if (acc.sample.length < size) {
    acc.sample.push(cell);
    return;
  }
  const j = Math.floor(random() * acc.present);
  if (j < size) acc.sample[j] = cell;
}
