import type { ColumnHistogram, ColumnSample } from '../monitor.types.js';
import {
  distinctValuesBinThreshold,
  histogramProportions,
  sturgesEdges,
} from '../statistics/binned-proportions.js';
import { finiteValues, type PreparedSample } from '../statistics/samples.js';
import { categoriesOf, valueCounts } from '../statistics/value-counts.js';

/** The most bins a histogram has; categories past the 49 most frequent are summed in one `otherLabel` bin. */
export const maxHistogramBins = 50;
export const otherLabel = '(other)';

function prepared(sample: ColumnSample): PreparedSample {
  const values = sample.values as unknown[];
  if (values.every((value) => typeof value === 'number')) {
    return { numeric: true, values: finiteValues(values as number[]) };
  }
  return { numeric: false, values: values.filter((value): value is string => typeof value === 'string') };
}

const label = (value: number | string) => String(value);

/** Categories beyond the 49 most frequent (by reference + current share) folded into one bin. */
function capped(ref: PreparedSample, cur: PreparedSample): ColumnHistogram {
  const refCounts = valueCounts(ref);
  const curCounts = valueCounts(cur);
  const share = (counts: Map<number | string, number>, n: number, key: number | string) =>
    n === 0 ? 0 : (counts.get(key) ?? 0) / n;
  const categories = categoriesOf(refCounts, curCounts);
  const weight = (key: number | string) =>
    share(refCounts, ref.values.length, key) + share(curCounts, cur.values.length, key);
  const kept =
    categories.length <= maxHistogramBins
      ? categories
      : [...categories]
          .sort((a, b) => weight(b) - weight(a))
          .slice(0, maxHistogramBins - 1)
          .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const proportions = (counts: Map<number | string, number>, n: number) => {
    const out = kept.map((key) => share(counts, n, key));
    if (kept.length < categories.length) out.push(n === 0 ? 0 : 1 - out.reduce((sum, p) => sum + p, 0));
    return out;
  };
  const labels = kept.map(label);
  if (kept.length < categories.length) labels.push(otherLabel);
  return {
    column: '',
    edges: null,
    labels,
    reference: proportions(refCounts, ref.values.length),
    current: proportions(curCounts, cur.values.length),
  };
}

/**
 * Reference against current on the same bins, as proportions of each sample (the console and the report
 * draw it): Sturges bins over both samples for a numeric column with more than 20 distinct reference values
 * (or more than 50 distinct values over both), as `binnedProportions` bins them for Jensen–Shannon;
 * otherwise one bin per value (`labels`), at most 50 (the least frequent folded into `(other)`). A side
 * with no value has all-zero proportions; both empty: no bin.
 */
export function columnHistogram(
  name: string,
  reference: ColumnSample,
  current: ColumnSample,
): ColumnHistogram {
  const ref = prepared(reference);
  const cur = prepared(current);
  if (ref.values.length === 0 && cur.values.length === 0) {
    return { column: name, edges: null, labels: [], reference: [], current: [] };
  }
  if (ref.numeric && cur.numeric) {
    const union = new Float64Array(ref.values.length + cur.values.length);
    union.set(ref.values);
    union.set(cur.values, ref.values.length);
    // The same rule as `binnedProportions` (the bins Jensen–Shannon and PSI compare), plus the 50-bin cap.
    const binned =
      new Set(ref.values).size > distinctValuesBinThreshold || new Set(union).size > maxHistogramBins;
    if (binned) {
      const edges = sturgesEdges(union);
      const share = (values: Float64Array) =>
        values.length === 0
          ? new Array<number>(edges.length - 1).fill(0)
          : Array.from(histogramProportions(values, edges));
      return {
        column: name,
        edges: Array.from(edges),
        labels: null,
        reference: share(ref.values),
        current: share(cur.values),
      };
    }
  }
  return { ...capped(ref, cur), column: name };
}
