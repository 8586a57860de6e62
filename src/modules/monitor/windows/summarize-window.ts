import { newId } from '../../../platform/ids.js';
import { columnDrift } from '../drift/column-drift.js';
import { columnHistogram } from '../drift/column-histogram.js';
import { datasetDrift } from '../drift/dataset-drift.js';
import { type DriftPolicy, resolveDriftOptions } from '../drift/drift-options.js';
import type { ColumnHistogram, ReferenceProfile, WindowSummary } from '../monitor.types.js';
import { labelMetrics } from './label-metrics.js';
import type { ClosedWindow } from './window-accumulator.js';

/**
 * A closed window's stored summary. Drift (every followed column the reference has a sample of, with the
 * test and threshold the deployment's drift policy gives it, then the dataset verdict) and histograms only
 * when the version has a reference and the window has at least `minRows` rows: a small or empty window
 * reports no drift, never false drift.
 */
export function summarizeWindow(
  closed: ClosedWindow,
  context: {
    environment: string;
    reference: ReferenceProfile | null;
    minRows: number;
    /** The deployment's drift policy (null or absent: Evidently's defaults for every column). */
    drift?: DriftPolicy | null;
  },
): WindowSummary {
  const { reference } = context;
  let driftResult: WindowSummary['drift'] = null;
  const histograms: ColumnHistogram[] = [];
  if (reference && closed.rows >= context.minRows) {
    const columns = [];
    for (const spec of closed.columns) {
      const ref = reference.samples[spec.name];
      const cur = closed.samples[spec.name];
      if (!ref || !cur) continue;
      const { chosenBy, ...options } = resolveDriftOptions(context.drift, spec);
      const drift = columnDrift(spec, ref, cur, options);
      columns.push(chosenBy ? { ...drift, chosenBy } : drift);
      histograms.push(columnHistogram(spec.name, ref, cur));
    }
    if (columns.length > 0) driftResult = { columns, dataset: datasetDrift(columns) };
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
