import type { DatasetCell } from './reference.ports.js';

/**
 * What a profile keeps of one column while the rows stream past: counts of everything, and a uniform
 * reservoir sample of at most `size` present values (Li's algorithm L: once the reservoir is full, the
 * number of values to skip before the next replacement is drawn, so the draws grow with log(n/size) rather
 * than one per value). Memory stays at `size` values whatever the file's length.
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
  /** Algorithm L's state: the largest of `size` uniform keys, and which present value replaces next. */
  w: number;
  next: number;
}

export function createAccumulator(): ColumnAccumulator {
  return {
    present: 0,
    missing: 0,
    strings: 0,
    firstStringAt: null,
    integers: true,
    sample: [],
    w: 1,
    next: 0,
  };
}

/**
 * Algorithm L's step: moves `next` to the index (1-based, among values offered) of the next one to enter a
 * full reservoir of `size` (start with `w` = 1 and `next` = the count when the reservoir filled).
 */
export function skip(acc: { w: number; next: number }, size: number, random: () => number): void {
  // 1 − random() is in (0, 1]: its logarithm is finite.
  acc.w *= Math.exp(Math.log(1 - random()) / size);
  acc.next += Math.floor(Math.log(1 - random()) / Math.log1p(-acc.w)) + 1;
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
    if (acc.sample.length === size) {
      acc.next = acc.present;
      skip(acc, size, random);
    }
    return;
  }
  if (acc.present !== acc.next) return;
  acc.sample[Math.floor(random() * size)] = cell;
  skip(acc, size, random);
}
