import type { Observation } from '../../gateway/index.js';
import type { ColumnSample, ColumnSpec, PredictionSummary, WindowSummary } from '../monitor.types.js';
import { type Cell, columnCells } from './column-values.js';
import { createPredictionTally } from './prediction-tally.js';
import { createReservoir, type Reservoir } from './reservoir.js';

export interface WindowLimits {
  /** Rows at which the window closes (`monitor.window.rows`). */
  rows: number;
  /** Milliseconds after opening at which it closes (`monitor.window.seconds` × 1000). */
  ms: number;
  /** Values kept per column (`monitor.sampleSize`). */
  sampleSize: number;
}

/** A prediction by request id (a single-row request's answer), with its label once one is posted. */
export interface RequestPrediction {
  requestId: string;
  prediction: string;
  label: string | null;
}

/** What a window holds when it closes: everything its summary is made of, before drift is computed. */
export interface ClosedWindow {
  model: string;
  version: number;
  digest: string;
  start: number;
  end: number;
  closedBy: WindowSummary['closedBy'];
  requests: number;
  rows: number;
  columns: ColumnSpec[];
  samples: Record<string, ColumnSample>;
  prediction: PredictionSummary | null;
  predictions: RequestPrediction[];
}

interface ColumnState {
  spec: ColumnSpec;
  reservoir: Reservoir<number | string>;
  count: number;
  missing: number;
}

/**
 * One open window of one deployment's traffic on one digest: per column a uniform reservoir sample and
 * counts, the prediction tally, and the predictions by request id (at most one per request; a window
 * holds at most `rows` requests, so this is bounded too). Never the observations themselves.
 */
export function createWindowAccumulator(
  key: { model: string; version: number; digest: string },
  columns: readonly ColumnSpec[],
  openedAt: number,
  limits: WindowLimits,
  random: () => number = Math.random,
) {
  const states: ColumnState[] = columns.map((spec) => ({
    spec,
    reservoir: createReservoir(limits.sampleSize, random),
    count: 0,
    missing: 0,
  }));
  const predictionColumn = states.find((s) => s.spec.role === 'prediction');
  const probabilityColumns = states.filter((s) => s.spec.role === 'probability');
  const tally = createPredictionTally();
  const byRequest = new Map<string, RequestPrediction>();
  let requests = 0;
  let rows = 0;
  let first: number | null = null;
  let last: number | null = null;

  function add(observation: Observation): void {
    requests++;
    first ??= observation.at;
    last = observation.at;
    let observationRows = 0;
    const cellsOf = new Map<ColumnState, Cell[]>();
    for (const state of states) {
      const source = state.spec.source;
      if (!source) continue;
      const cells = columnCells(source, observation.inputs, observation.outputs);
      cellsOf.set(state, cells);
      observationRows = Math.max(observationRows, cells.length);
      for (const cell of cells) {
        if (cell === null || (state.spec.kind === 'numeric' && typeof cell !== 'number')) state.missing++;
        else {
          state.count++;
          state.reservoir.offer(state.spec.kind === 'categorical' ? String(cell) : cell);
        }
      }
    }
    rows += observationRows;
    const predictions = predictionColumn ? (cellsOf.get(predictionColumn) ?? []) : [];
    for (const p of predictions) if (p !== null) tally.prediction(String(p));
    if (probabilityColumns.length > 0)
      for (let r = 0; r < observationRows; r++)
        tally.probabilities(
          probabilityColumns.map((s) => {
            const v = cellsOf.get(s)?.[r];
            return typeof v === 'number' ? v : Number.NaN;
          }),
        );
    const only = predictions.length === 1 ? predictions[0] : null;
    if (
      observation.requestId !== null &&
      only !== null &&
      only !== undefined &&
      !byRequest.has(observation.requestId)
    )
      byRequest.set(observation.requestId, {
        requestId: observation.requestId,
        prediction: String(only),
        label: null,
      });
  }

  return {
    key,
    openedAt,
    get rows() {
      return rows;
    },
    get requests() {
      return requests;
    },
    /** Takes one observation of this deployment and digest. */
    add,
    /** Whether the window is due at `now`: full, or its time is up. */
    due(now: number): WindowSummary['closedBy'] | null {
      if (rows >= limits.rows) return 'count';
      if (now - openedAt >= limits.ms) return 'time';
      return null;
    },
    /** Attaches a posted label to a prediction this window holds; false when it holds none by that id. */
    label(requestId: string, value: string): boolean {
      const found = byRequest.get(requestId);
      if (!found) return false;
      found.label = value;
      return true;
    },
    close(closedBy: WindowSummary['closedBy'], now: number): ClosedWindow {
      const samples: Record<string, ColumnSample> = {};
      for (const s of states)
        samples[s.spec.name] = {
          kind: s.spec.kind,
          count: s.count,
          missing: s.missing,
          values: s.reservoir.items() as number[] | string[],
        };
      return {
        ...key,
        start: first ?? now,
        end: first === null ? now : (last ?? now),
        closedBy,
        requests,
        rows,
        columns: [...columns],
        samples,
        prediction: tally.summary(),
        predictions: [...byRequest.values()],
      };
    },
  };
}

export type WindowAccumulator = ReturnType<typeof createWindowAccumulator>;
