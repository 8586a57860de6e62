import type { AlertSeverity, DetectorReading } from '../monitor.types.js';

/** Where the alert engine reports for Prometheus (the metrics adapter implements it). */
export interface AlertMetrics {
  /** A detector's latest value for a deployment. */
  reading(environment: string, model: string, reading: DetectorReading): void;
  /** An alert fired (firing = 1) or resolved (0); each call is one transition. */
  transition(
    labels: { environment: string; model: string; rule: string; severity: AlertSeverity },
    firing: boolean,
  ): void;
  /**
   * The alerts firing now, as stored: each shows as firing, every other one this process showed as firing
   * shows as resolved; no transition is counted (the start of a process, or another process's changes).
   */
  firing(
    alerts: readonly { environment: string; model: string; rule: string; severity: AlertSeverity }[],
  ): void;
}
