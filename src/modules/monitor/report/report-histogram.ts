import { maxHistogramBins } from '../drift/column-histogram.js';
import type { ColumnHistogram } from '../monitor.types.js';
import type { DriftReportHistogram } from './drift-report.types.js';

/**
 * At most this many categories per histogram in a report, the rest summed into one "omitted" share: the
 * cap `columnHistogram` already applies, so only a summary made some other way is cut here.
 */
export const reportCategoryLimit = maxHistogramBins;

/**
 * A histogram as the report shows it. Categorical histograms past the limit keep the categories with the
 * largest proportion in either sample (so a category new in the current window stays visible), in their
 * original order, and sum the others. Numeric bins (Sturges: a few dozen at most) are kept whole.
 */
export function reportHistogram(
  histogram: ColumnHistogram,
  limit = reportCategoryLimit,
): DriftReportHistogram {
  const { column, edges, labels, reference, current } = histogram;
  if (labels === null || labels.length <= limit) {
    return {
      column,
      edges: edges === null ? null : [...edges],
      labels: labels === null ? null : [...labels],
      reference: [...reference],
      current: [...current],
      omitted: null,
    };
  }
  const weight = (i: number) => Math.max(reference[i] ?? 0, current[i] ?? 0);
  const kept = labels
    .map((_, i) => i)
    .sort((a, b) => weight(b) - weight(a) || a - b)
    .slice(0, limit)
    .sort((a, b) => a - b);
  const keep = new Set(kept);
  let omittedReference = 0;
  let omittedCurrent = 0;
  for (let i = 0; i < labels.length; i++) {
    if (keep.has(i)) continue;
    omittedReference += reference[i] ?? 0;
    omittedCurrent += current[i] ?? 0;
  }
  return {
    column,
    edges: null,
    labels: kept.map((i) => labels[i] as string),
    reference: kept.map((i) => reference[i] ?? 0),
    current: kept.map((i) => current[i] ?? 0),
    omitted: { categories: labels.length - limit, reference: omittedReference, current: omittedCurrent },
  };
}
