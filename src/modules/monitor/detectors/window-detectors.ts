import { isDrift, pValueTests } from '../drift/drift-test-selection.js';
import type { ColumnDrift, DetectorReading, ReferenceProfile, WindowSummary } from '../monitor.types.js';
import { above, below, type DetectorThresholds } from './detector-thresholds.js';

/**
 * The readings of one closed window: dataset drift share and each column's drift (when the window has a
 * drift result), output collapse and confidence (when it has enough predicted rows). A detector without
 * input gives no reading rather than a made-up value, so it neither fires nor resolves an alert.
 */
export function windowReadings(
  summary: WindowSummary,
  thresholds: DetectorThresholds,
  referenceConfidence: number | null = null,
): DetectorReading[] {
  const readings: DetectorReading[] = [];
  if (summary.drift) {
    const { dataset, columns } = summary.drift;
    readings.push({
      detector: 'dataset_drift',
      value: dataset.share,
      threshold: thresholds.driftShare,
      breached: dataset.columns > 0 && dataset.share >= thresholds.driftShare,
      direction: 'above',
    });
    // Several columns tested at once: a p-value must clear its threshold divided by their number
    // (Bonferroni, as Alibi Detect does), or an hour of healthy traffic raises some column's alert.
    const tested = columns.filter((c) => pValueTests.has(c.test) && c.noData === undefined).length;
    for (const c of columns) readings.push(columnReading(c, Math.max(1, tested)));
  }
  const p = summary.prediction;
  if (p && p.rows >= thresholds.minRows) {
    readings.push(below('unique_ratio', p.uniqueRatio, thresholds.uniqueRatioMin));
    readings.push(above('top_class_share', p.topClassShare, thresholds.topClassShareMax));
    if (p.meanConfidence !== null) {
      readings.push(below('confidence', p.meanConfidence, thresholds.confidenceMin));
      if (referenceConfidence !== null)
        readings.push(
          above('confidence_drop', referenceConfidence - p.meanConfidence, thresholds.confidenceDropMax),
        );
    }
  }
  return readings;
}

/**
 * One column's reading: its test's verdict, on a Bonferroni-corrected threshold for p-value tests. A p-value
 * is bad below its threshold, a distance above it.
 */
function columnReading(c: ColumnDrift, tested: number): DetectorReading {
  const detector = `column_drift:${c.column}`;
  const pValue = pValueTests.has(c.test);
  const direction = pValue ? 'below' : 'above';
  if (c.noData !== undefined)
    return { detector, value: c.value, threshold: c.threshold, breached: false, direction };
  if (!pValue) return { detector, value: c.value, threshold: c.threshold, breached: c.drifted, direction };
  const threshold = c.threshold / tested;
  return { detector, value: c.value, threshold, breached: isDrift(c.test, c.value, threshold), direction };
}

/**
 * The reference's mean top-class confidence: the mean over rows of the highest value among the
 * probability columns; null without probability columns. The profile's samples of one dataset are taken
 * row by row together, so row i of each probability column is the same row (the shortest bounds them).
 */
export function referenceConfidence(profile: ReferenceProfile | null): number | null {
  if (!profile) return null;
  const columns = profile.columns
    .filter((c) => c.role === 'probability' && c.kind === 'numeric')
    .map((c) => profile.samples[c.name]?.values)
    .filter((v): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number'));
  if (columns.length === 0) return null;
  const rows = Math.min(...columns.map((c) => c.length));
  if (rows === 0) return null;
  let sum = 0;
  for (let i = 0; i < rows; i++) sum += Math.max(...columns.map((c) => c[i] as number));
  return sum / rows;
}
