import type { DetectorReading } from '../monitor.types.js';

/**
 * The thresholds of the always-on detectors, per deployment (its monitor policy sets any of them; the rest
 * keep these defaults). `Max` thresholds breach above the value, `Min` ones below it.
 */
export interface DetectorThresholds {
  /** Dataset drift: breached when the share of drifted columns is at or above this (Evidently: 0.5). */
  driftShare: number;
  /** Output collapse: distinct predictions / rows below this (0 turns it off; useful for regressors). */
  uniqueRatioMin: number;
  /** Output collapse: the most frequent prediction's share of rows above this. */
  topClassShareMax: number;
  /** Mean top-class confidence below this. */
  confidenceMin: number;
  /** Mean top-class confidence below the reference's by more than this (only with probability columns). */
  confidenceDropMax: number;
  /** Output detectors read a window only when it has at least this many rows with a prediction. */
  minRows: number;
  /** Share of answers that were 5xx, over an interval. */
  errorRateMax: number;
  /** p99 latency in milliseconds over an interval. */
  p99LatencyMsMax: number;
  /** Interval detectors read error rate and latency only with at least this many requests. */
  minRequests: number;
  /** Failed authentications per minute. */
  authFailuresPerMinMax: number;
  /** Rate-limit refusals per minute. */
  rateLimitedPerMinMax: number;
  /** Screening blocks per minute. */
  screeningBlocksPerMinMax: number;
  /** Extraction alerts (principals the extraction watch marks suspect or throttled) at once. */
  extractionAlertsMax: number;
}

export const defaultThresholds: Readonly<DetectorThresholds> = Object.freeze({
  driftShare: 0.5,
  uniqueRatioMin: 0,
  topClassShareMax: 0.9,
  confidenceMin: 0.5,
  confidenceDropMax: 0.15,
  minRows: 30,
  errorRateMax: 0.05,
  p99LatencyMsMax: 1000,
  minRequests: 20,
  authFailuresPerMinMax: 30,
  rateLimitedPerMinMax: 60,
  screeningBlocksPerMinMax: 10,
  extractionAlertsMax: 0,
});

/** The detectors a window gives readings for (`column_drift` stands for every `column_drift:<name>`). */
export const windowDetectors = [
  'dataset_drift',
  'column_drift',
  'unique_ratio',
  'top_class_share',
  'confidence',
  'confidence_drop',
] as const;

/** The detectors an interval of gateway counters gives readings for. */
export const intervalDetectors = [
  'error_rate',
  'p99_latency_ms',
  'auth_failures',
  'rate_limited',
  'screening_blocks',
  'extraction_alerts',
] as const;

export const detectorNames = [...windowDetectors, ...intervalDetectors] as const;
export type DetectorName = (typeof detectorNames)[number];

/** The rule a reading's detector falls under: `column_drift:petal_length` → `column_drift`. */
export function ruleOf(detector: string): string {
  const colon = detector.indexOf(':');
  return colon < 0 ? detector : detector.slice(0, colon);
}

/** A reading of a maximum: breached when the value is above the threshold. */
export const above = (detector: string, value: number, threshold: number): DetectorReading => ({
  detector,
  value,
  threshold,
  breached: value > threshold,
  direction: 'above',
});

/** A reading of a minimum: breached when the value is below the threshold. */
export const below = (detector: string, value: number, threshold: number): DetectorReading => ({
  detector,
  value,
  threshold,
  breached: value < threshold,
  direction: 'below',
});
