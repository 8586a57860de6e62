import type { Observation } from '../../gateway/index.js';
import type { ColumnSpec } from '../monitor.types.js';
import { inferColumns, monitoredColumns } from './column-values.js';
import {
  type ClosedWindow,
  createWindowAccumulator,
  type WindowAccumulator,
  type WindowLimits,
} from './window-accumulator.js';

/** A deployment's digest serving now: its window stays open even without traffic. */
export interface LiveDigest {
  model: string;
  version: number;
  digest: string;
}

/**
 * The open windows, one per deployment and digest. Observations go to their digest's window; a window
 * whose time is up closes before a later observation opens the next one; a full one closes at once. A
 * live digest always has an open window, so a period without traffic closes as an empty window (a gap
 * that shows). A digest no longer live keeps its window until it is due, and gets no new one.
 */
export function createWindowKeeper(options: {
  limits: WindowLimits;
  /** The columns a version's windows follow: its reference's (null without one). */
  columnsOf(model: string, version: number): ColumnSpec[] | null;
  random?: () => number;
}) {
  const open = new Map<string, WindowAccumulator>();
  const keyOf = (model: string, digest: string) => `${model}\0${digest}`;

  /**
   * The reference's columns, or those inferred from the traffic; the model's outputs the reference does not
   * describe (its prediction and probabilities, usually) are always inferred, for the prediction summary.
   */
  const columnsFor = (key: LiveDigest, first: Observation | null): ColumnSpec[] => {
    const reference = options.columnsOf(key.model, key.version);
    const inferred = first ? monitoredColumns(inferColumns(first.inputs, first.outputs)) : [];
    if (!reference) return inferred;
    const names = new Set(reference.map((c) => c.name));
    const outputs = new Set(reference.flatMap((c) => (c.source?.side === 'output' ? [c.source.tensor] : [])));
    const extra = inferred.filter(
      (c) => c.source?.side === 'output' && !outputs.has(c.source.tensor) && !names.has(c.name),
    );
    return [...reference, ...extra];
  };

  const openWindow = (key: LiveDigest, at: number, first: Observation | null) => {
    const columns = columnsFor(key, first);
    const acc = createWindowAccumulator(key, columns, at, options.limits, options.random);
    open.set(keyOf(key.model, key.digest), acc);
    return acc;
  };

  /** Takes a deployment's drained observations (oldest first per digest); returns the windows they closed. */
  function add(observations: readonly Observation[]): ClosedWindow[] {
    const closed: ClosedWindow[] = [];
    for (const o of observations) {
      const key = keyOf(o.model, o.digest);
      let acc = open.get(key);
      const due = acc?.due(o.at);
      if (acc && due === 'time') {
        closed.push(acc.close('time', o.at));
        acc = undefined;
      }
      // A window opened without traffic learns the model's outputs (and, without a reference, every
      // column) from its first observation.
      if (acc && acc.requests === 0) acc = openWindow(o, acc.openedAt, o);
      acc ??= openWindow(o, o.at, o);
      acc.add(o);
      if (acc.due(o.at) === 'count') {
        closed.push(acc.close('count', o.at));
        open.delete(key);
      }
    }
    return closed;
  }

  /** Closes the windows due at `now` and opens one for each live digest without one. */
  function advance(now: number, live: readonly LiveDigest[]): ClosedWindow[] {
    const closed: ClosedWindow[] = [];
    for (const [key, acc] of open) {
      const due = acc.due(now);
      if (!due) continue;
      closed.push(acc.close(due, now));
      open.delete(key);
    }
    for (const d of live) if (!open.has(keyOf(d.model, d.digest))) openWindow(d, now, null);
    return closed;
  }

  return {
    add,
    advance,
    /** Closes every open window (the process is stopping). */
    closeAll(now: number): ClosedWindow[] {
      const closed = [...open.values()].map((acc) => acc.close('shutdown', now));
      open.clear();
      return closed;
    },
    /** Models with an open window (drained even after they leave the live state). */
    models: () => new Set([...open.values()].map((a) => a.key.model)),
    /** A deployment's open windows. */
    openFor: (model: string) => [...open.values()].filter((a) => a.key.model === model),
    all: () => [...open.values()],
  };
}

export type WindowKeeper = ReturnType<typeof createWindowKeeper>;
