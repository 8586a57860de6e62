import type { PreparedSample } from './samples.js';

export type Category = number | string;

/** How often each value occurs (0 and -0 are one value). */
export function valueCounts(sample: PreparedSample): Map<Category, number> {
  const counts = new Map<Category, number>();
  for (const value of sample.values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

/** The union of both samples' values, sorted (numbers ascending, strings by UTF-16 code units). */
export function categoriesOf(...counts: Map<Category, number>[]): Category[] {
  const keys = new Set<Category>();
  for (const map of counts) for (const key of map.keys()) keys.add(key);
  return [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
