import { newId } from '../../../platform/ids.js';
import type { DriftFunctions } from '../monitor.ports.js';
import type { ColumnHistogram, ReferenceProfile, WindowSummary } from '../monitor.types.js';
import { labelMetrics } from './label-metrics.js';
import type { ClosedWindow } from './window-accumulator.js';

/**
 * A closed window's stored summary. Drift (every followed column the reference has a sample of, then the
 * dataset verdict) and histograms only when the version has a reference, the statistics are wired, and
 * the window has at least `minRows` rows: a small or empty window reports no drift, never false drift.
 */
export function summarizeWindow(
  closed: ClosedWindow,
  context: {
    environment: string;
    reference: ReferenceProfile | null;
    drift: DriftFunctions | null;
    minRows: number;
  },
): WindowSummary {
  const { reference, drift } = context;
  let driftResult: WindowSummary['drift'] = null;
  const histograms: ColumnHistogram[] = [];
  if (reference && drift && closed.rows >= context.minRows) {
    const columns = [];
    for (const spec of closed.columns) {
      const ref = reference.samples[spec.name];
      const cur = closed.samples[spec.name];
      if (!ref || !cur || ref.values.length === 0 || cur.values.length === 0) continue;
      columns.push(drift.columnDrift(spec, ref, cur));
      histograms.push(drift.columnHistogram(spec.name, ref, cur));
    }
    if (columns.length > 0) driftResult = { columns, dataset: drift.datasetDrift(columns) };
  }
  const labelled = closed.predictions.flatMap((p) =>
    p.label === null ? [] : [{ prediction: p.prediction, label: p.label }],
  );
  return {
    id: newId(),
    environment: context.environment,
    model: closed.model,
    version: closed.version,
    digest: closed.digest,
    start: new Date(closed.start).toISOString(),
    end: new Date(closed.end).toISOString(),
    closedBy: closed.closedBy,
    requests: closed.requests,
    rows: closed.rows,
    drift: driftResult,
    histograms,
    prediction: closed.prediction,
    labels: labelMetrics(labelled),
  };
}
