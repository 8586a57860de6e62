import type { DetectorReading, ReferenceProfile, WindowSummary } from '../monitor.types.js';
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
    });
    for (const c of columns)
      readings.push({
        detector: `column_drift:${c.column}`,
        value: c.value,
        threshold: c.threshold,
        breached: c.drifted,
      });
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
