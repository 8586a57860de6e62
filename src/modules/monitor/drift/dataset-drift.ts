import { invalidSample } from '../monitor.errors.js';
import type { ColumnDrift, DatasetDrift } from '../monitor.types.js';

/** Evidently's default: the dataset drifts when at least half of its columns do. */
export const defaultDatasetDriftThreshold = 0.5;

/**
 * The dataset-level verdict: the share of drifted feature columns against `threshold` (drift when the
 * share is at or above it). Only `feature` columns count — prediction and probability drift is reported
 * per column and judged on its own, so a model answering differently never counts as its inputs drifting
 * — and a column with no verdict (`noData`) counts neither way. No column to count: share 0, no drift.
 * A threshold outside (0, 1] throws `monitor_invalid_sample`.
 */
export function datasetDrift(
  columns: readonly ColumnDrift[],
  threshold: number = defaultDatasetDriftThreshold,
): DatasetDrift {
  if (!(Number.isFinite(threshold) && threshold > 0 && threshold <= 1)) {
    throw invalidSample(`a dataset drift threshold must be in (0, 1], not ${threshold}`);
  }
  const counted = columns.filter((column) => column.role === 'feature' && column.noData === undefined);
  const drifted = counted.filter((column) => column.drifted).length;
  const share = counted.length === 0 ? 0 : drifted / counted.length;
  return {
    columns: counted.length,
    drifted,
    share,
    threshold,
    detected: counted.length > 0 && share >= threshold,
  };
}
