import type { DetectorReading } from '../monitor.types.js';
import { above, type DetectorThresholds } from './detector-thresholds.js';

/** What the gateway counted for one deployment over an interval (its serving stats and security counters). */
export interface IntervalCounters {
  /** The interval's length in minutes (at least 1). */
  minutes: number;
  requests: number;
  /** Answers with a 5xx status. */
  errors: number;
  /** p99 of the answers' latency in ms; null when nothing was answered. */
  p99LatencyMs: number | null;
  /** Failed authentications (null: not counted per deployment where the gateway runs). */
  authFailures: number | null;
  rateLimited: number;
  screeningBlocks: number;
  /** Principals the extraction watch holds suspect or throttled now. */
  extractionAlerts: number;
}

/**
 * The readings of one interval of gateway counters. Error rate and latency are read only with at least
 * `minRequests` requests (two failures of three requests are not an outage); the security counters are
 * rates per minute and always read.
 */
export function intervalReadings(
  counters: IntervalCounters,
  thresholds: DetectorThresholds,
): DetectorReading[] {
  const minutes = Math.max(1, counters.minutes);
  const readings: DetectorReading[] = [];
  if (counters.requests >= thresholds.minRequests) {
    readings.push(above('error_rate', counters.errors / counters.requests, thresholds.errorRateMax));
    if (counters.p99LatencyMs !== null)
      readings.push(above('p99_latency_ms', counters.p99LatencyMs, thresholds.p99LatencyMsMax));
  }
  if (counters.authFailures !== null)
    readings.push(above('auth_failures', counters.authFailures / minutes, thresholds.authFailuresPerMinMax));
  readings.push(above('rate_limited', counters.rateLimited / minutes, thresholds.rateLimitedPerMinMax));
  readings.push(
    above('screening_blocks', counters.screeningBlocks / minutes, thresholds.screeningBlocksPerMinMax),
  );
  readings.push(above('extraction_alerts', counters.extractionAlerts, thresholds.extractionAlertsMax));
  return readings;
}
