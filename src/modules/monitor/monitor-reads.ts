import type { CallContext } from '../../platform/call-context.js';
import type { Page } from '../../platform/page.js';
import { deployErrors, deploymentAuthorizer } from '../deploy/index.js';
import type { AccessGuard } from '../policy/index.js';
import type { RegistryStore } from '../registry/index.js';
import type { MonitorAlertStore } from './alerts/alert.ports.js';
import { windowNotFound } from './monitor.errors.js';
import type { MonitorWindowStore, PostedLabel } from './monitor.ports.js';
import type { StoredReading, WindowSummary } from './monitor.types.js';
import { labelMetrics } from './windows/label-metrics.js';
import type { createPendingWrites } from './windows/pending-writes.js';
import type { WindowAccumulator } from './windows/window-accumulator.js';

export interface MonitorReadDeps {
  store: MonitorWindowStore;
  /** The alert engine's stored detector readings. */
  readings: Pick<MonitorAlertStore, 'windowReadings' | 'latestInterval'>;
  access: Pick<AccessGuard, 'require'>;
  registry: Pick<RegistryStore, 'findModelByName'>;
  /** The configured environments' names. */
  environments: readonly string[];
  state: MonitorState;
}

/** The monitor service's live state, as the reads show it. */
export interface MonitorState {
  environment: string;
  openFor(model: string): WindowAccumulator[];
  lastClosed(model: string): WindowSummary | null;
  pendingFor(model: string): number;
  lostFor(model: string): number;
  pending: ReturnType<typeof createPendingWrites>;
}

/** A window summary with the alert engine's readings of it (null: the window was never evaluated). */
export type WindowView = WindowSummary & { readings: StoredReading[] | null };

/**
 * A deployment's monitoring now: its open windows, its last closed one, what waits to be written, what was
 * lost, and the detectors' latest reading of its gateway counters (null: none stored).
 */
export interface MonitorStatus {
  environment: string;
  model: string;
  open: { version: number; digest: string; openedAt: string; requests: number; rows: number }[];
  lastClosed: WindowView | null;
  pendingWrites: number;
  lostWindows: number;
  latestInterval: { at: string; readings: StoredReading[] } | null;
}

/** The monitor's reads and the labels it takes, each authorized on the deployment. */
export function createMonitorReads(deps: MonitorReadDeps) {
  const { store, state } = deps;

  /** The windows with their readings, in one query. */
  async function withReadings(environment: string, windows: WindowSummary[]): Promise<WindowView[]> {
    if (windows.length === 0) return [];
    const found = await deps.readings.windowReadings(
      environment,
      windows.map((w) => w.id),
    );
    return windows.map((w) => ({ ...w, readings: found.get(w.id) ?? null }));
  }

  const authorize = deploymentAuthorizer(deps);

  return {
    /** A deployment's window summaries, newest first. */
    async windows(
      ctx: CallContext,
      environment: string,
      model: string,
      page: { limit: number; cursor?: string },
    ): Promise<Page<WindowView>> {
      await authorize(ctx, environment, model, 'monitor:read');
      const found = await store.listWindows(environment, model, {
        limit: page.limit,
        ...(page.cursor ? { after: page.cursor } : {}),
      });
      return { items: await withReadings(environment, found.items), next: found.next };
    },

    /** One window summary with its readings (authorized on its deployment; another's is not found). */
    async window(ctx: CallContext, environment: string, id: string): Promise<WindowView> {
      if (!deps.environments.includes(environment))
        throw deployErrors.environmentNotFound(environment, deps.environments);
      const found = await store.findWindow(environment, id);
      if (!found) throw windowNotFound(id);
      await authorize(ctx, environment, found.model, 'monitor:read');
      const [view] = await withReadings(environment, [found]);
      return view ?? { ...found, readings: null };
    },

    async status(ctx: CallContext, environment: string, model: string): Promise<MonitorStatus> {
      await authorize(ctx, environment, model, 'monitor:read');
      const here = environment === state.environment;
      // During a store outage the status still answers, from what this process holds.
      const latest = await store
        .listWindows(environment, model, { limit: 1 })
        .then((page) => page.items[0] ?? null)
        .catch(() => null);
      const lastClosed = latest ?? (here ? state.lastClosed(model) : null);
      const readings = lastClosed
        ? await deps.readings
            .windowReadings(environment, [lastClosed.id])
            .then((found) => found.get(lastClosed.id) ?? null)
            .catch(() => null)
        : null;
      const latestInterval = await deps.readings.latestInterval(environment, model).catch(() => null);
      return {
        environment,
        model,
        open: here
          ? state.openFor(model).map((w) => ({
              version: w.key.version,
              digest: w.key.digest,
              openedAt: new Date(w.openedAt).toISOString(),
              requests: w.requests,
              rows: w.rows,
            }))
          : [],
        lastClosed: lastClosed ? { ...lastClosed, readings } : null,
        pendingWrites: here ? state.pendingFor(model) : 0,
        lostWindows: here ? state.lostFor(model) : 0,
        latestInterval,
      };
    },

    /**
     * Delayed ground truth by request id: labels stored predictions (recomputing their windows' accuracy
     * and F1), then the predictions of windows not yet written; the ids that match nothing are returned.
     */
    async labels(
      ctx: CallContext,
      environment: string,
      model: string,
      labels: readonly PostedLabel[],
    ): Promise<{ accepted: number; unknown: string[] }> {
      await authorize(ctx, environment, model, 'monitor:label');
      const matched = new Set(await store.applyLabels(environment, model, labels, labelMetrics));
      if (environment === state.environment)
        for (const l of labels) {
          if (matched.has(l.requestId)) continue;
          for (const w of state.openFor(model)) if (w.label(l.requestId, l.value)) matched.add(l.requestId);
          for (const record of state.pending.peek()) {
            if (record.summary.model !== model) continue;
            const p = record.predictions.find((x) => x.requestId === l.requestId);
            if (!p) continue;
            p.label = l.value;
            matched.add(l.requestId);
            record.summary.labels = labelMetrics(
              record.predictions.flatMap((x) =>
                x.label === null ? [] : [{ prediction: x.prediction, label: x.label }],
              ),
            );
          }
        }
      const unknown = [...new Set(labels.map((l) => l.requestId).filter((id) => !matched.has(id)))];
      return { accepted: labels.filter((l) => matched.has(l.requestId)).length, unknown };
    },
  };
}

export type MonitorReads = ReturnType<typeof createMonitorReads>;
