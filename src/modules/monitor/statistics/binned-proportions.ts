import type { PreparedSample } from './samples.js';
import { categoriesOf, valueCounts } from './value-counts.js';

/** A numeric sample with more distinct reference values than this is binned; otherwise each value is a bin. */
export const distinctValuesBinThreshold = 20;

/** numpy's `histogram_bin_edges(values, bins="sturges")`: ceil(range / (range / (log2 n + 1))) equal bins. */
export function sturgesEdges(values: Float64Array): Float64Array {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const width = (max - min) / (Math.log2(values.length) + 1);
  const [first, last] = min === max ? [min - 0.5, max + 0.5] : [min, max];
  const bins = width > 0 ? Math.ceil((last - first) / width) : 1;
  // numpy.linspace(first, last, bins + 1): i·step + first, the last edge exactly `last`.
  const step = (last - first) / bins;
  const edges = new Float64Array(bins + 1);
  for (let i = 0; i < bins; i++) edges[i] = i * step + first;
  edges[bins] = last;
  return edges;
}

function firstIndex(sorted: Float64Array, edge: number, inclusive: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const value = sorted[mid] as number;
    if (value < edge || (inclusive && value === edge)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** numpy's `histogram(values, edges)` as proportions of the sample: bins [e_i, e_i+1), the last one closed. */
export function histogramProportions(values: Float64Array, edges: Float64Array): Float64Array {
  const sorted = values.slice().sort();
  const bins = edges.length - 1;
  const out = new Float64Array(bins);
  let below = firstIndex(sorted, edges[0] as number, false);
  for (let i = 0; i < bins; i++) {
    const upTo = firstIndex(sorted, edges[i + 1] as number, i === bins - 1);
    out[i] = (upTo - below) / values.length;
    below = upTo;
  }
  return out;
}

export interface BinnedProportions {
  /** The bin edges when the numeric samples were binned, else null (one bin per value of the union). */
  readonly edges: Float64Array | null;
  readonly reference: Float64Array;
  readonly current: Float64Array;
}

/** Evidently's `get_binned_data` without smoothing: both samples' proportions over the same bins. */
export function binnedProportions(ref: PreparedSample, cur: PreparedSample): BinnedProportions {
  const refCounts = valueCounts(ref);
  if (ref.numeric && cur.numeric && refCounts.size > distinctValuesBinThreshold) {
    const union = new Float64Array(ref.values.length + cur.values.length);
    union.set(ref.values);
    union.set(cur.values, ref.values.length);
    const edges = sturgesEdges(union);
    return {
      edges,
      reference: histogramProportions(ref.values, edges),
      current: histogramProportions(cur.values, edges),
    };
  }
  const curCounts = valueCounts(cur);
  const categories = categoriesOf(refCounts, curCounts);
  const share = (counts: Map<number | string, number>, n: number) =>
    Float64Array.from(categories, (category) => (counts.get(category) ?? 0) / n);
  return {
    edges: null,
    reference: share(refCounts, ref.values.length),
    current: share(curCounts, cur.values.length),
  };
}
