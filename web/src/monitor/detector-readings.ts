import type { MonitorWindow } from './monitor-types';

export interface Reading {
  detector: string;
  value: number;
  threshold: number;
  /** How the value breaches its threshold: above a maximum (`>`, or `≥` for drift share), below a minimum. */
  when: '>' | '≥' | '<';
  breached: boolean;
}

const above = (detector: string, value: number, threshold: number): Reading => ({
  detector,
  value,
  threshold,
  when: '>',
  breached: value > threshold,
});
const below = (detector: string, value: number, threshold: number): Reading => ({
  detector,
  value,
  threshold,
  when: '<',
  breached: value < threshold,
});

/**
 * A window's detector readings against the deployment's thresholds in force, read the way the server's
 * alert engine reads them (`windowReadings` in src/modules/monitor): the API stores window summaries, not
 * readings, so the console derives them from the summary and the policy. Column drift readings are the
 * column table's; the reference-confidence drop needs the reference profile and is left out here.
 */
export function windowDetectorReadings(window: MonitorWindow, thresholds: Record<string, number>): Reading[] {
  const t = (name: string) => thresholds[name] ?? Number.NaN;
  const readings: Reading[] = [];
  if (window.drift) {
    const { dataset } = window.drift;
    readings.push({
      detector: 'dataset_drift',
      value: dataset.share,
      threshold: t('driftShare'),
      when: '≥',
      breached: dataset.columns > 0 && dataset.share >= t('driftShare'),
    });
  }
  const p = window.prediction;
  if (p && p.rows >= t('minRows')) {
    readings.push(below('unique_ratio', p.uniqueRatio, t('uniqueRatioMin')));
    readings.push(above('top_class_share', p.topClassShare, t('topClassShareMax')));
    if (p.meanConfidence !== null) readings.push(below('confidence', p.meanConfidence, t('confidenceMin')));
  }
  return readings;
}
