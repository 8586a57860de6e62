import type { Page } from '../../platform/page.js';
import type { ReferenceProfile, WindowSummary } from './monitor.types.js';
import type { LabelPair } from './windows/label-metrics.js';
import type { RequestPrediction } from './windows/window-accumulator.js';

/** A version's reference profile (the reference part stores them; null when the version has none). */
export type ReferenceProfiles = {
  profileFor(model: string, version: number): Promise<ReferenceProfile | null>;
};

/** A closed window as it is written: its summary and its predictions by request id (never raw inputs). */
export interface WindowRecord {
  summary: WindowSummary;
  predictions: RequestPrediction[];
}

/** A posted ground-truth label. */
export interface PostedLabel {
  requestId: string;
  value: string;
}

/** Window summaries and labelled predictions; each method is one transaction. */
export interface MonitorWindowStore {
  /** Writes a batch of closed windows at once (all or none). */
  saveWindows(records: readonly WindowRecord[]): Promise<void>;
  /** A deployment's windows, newest first; `after` is the previous page's last id. */
  listWindows(
    environment: string,
    model: string,
    page: { limit: number; after?: string },
  ): Promise<Page<WindowSummary>>;
  findWindow(environment: string, id: string): Promise<WindowSummary | null>;
  /** The stored predictions a batch of labels names get them; each touched window's label figures are recomputed by `metrics` from all its labelled pairs. Returns the ids that matched. */
  applyLabels(
    environment: string,
    model: string,
    labels: readonly PostedLabel[],
    metrics: (pairs: LabelPair[]) => WindowSummary['labels'],
  ): Promise<string[]>;
  /**
   * Deletes windows (with their predictions and detector readings) that ended before `cutoff` (ISO-8601),
   * and interval readings taken before it; returns how many windows.
   */
  deleteEndedBefore(cutoff: string): Promise<number>;
}
