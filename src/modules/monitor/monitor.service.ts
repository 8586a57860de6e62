import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';
import { type LoopSlices, loopSlices } from '../../platform/loop-slices.js';
import type { Observation, ObservationBuffer } from '../gateway/index.js';
import type { DriftPolicy } from './drift/drift-options.js';
import type { MonitorWindowStore, ReferenceProfiles, WindowRecord } from './monitor.ports.js';
import type { ReferenceProfile, WindowSummary } from './monitor.types.js';
import type { MonitorState } from './monitor-reads.js';
import { monitoredColumns } from './windows/column-values.js';
import { createPendingWrites } from './windows/pending-writes.js';
import { summarizeWindow } from './windows/summarize-window.js';
import type { ClosedWindow } from './windows/window-accumulator.js';
import { createWindowKeeper, type LiveDigest } from './windows/window-keeper.js';

export type WindowListener = (summary: WindowSummary) => Promise<void> | void;

export interface MonitorSettings {
  window: { rows: number; seconds: number; minRows: number };
  sampleSize: number;
  retentionDays: number;
}

export interface MonitorServiceDeps {
  /** The gateway's environment: the one whose traffic this process sees. */
  environment: string;
  observations: Pick<ObservationBuffer, 'drain'>;
  /** The digests live in the environment now (the deploy module's live state, adapted by the composition root). */
  liveDigests(): Promise<LiveDigest[]>;
  store: MonitorWindowStore;
  references: ReferenceProfiles;
  /** The deployment's drift policy (its monitor policy's `drift`), read at most every 15 s; absent: defaults. */
  driftPolicy?(model: string): Promise<DriftPolicy | null>;
  clock: Clock;
  logger: Logger;
  settings: MonitorSettings;
  /** Closed windows kept while the store is failing (default 1,000); past it the oldest are lost, counted. */
  maxPendingWindows?: number;
  /** Called with each window once it is stored; a listener's error is logged, never stops the others. */
  onWindowClosed?: readonly WindowListener[];
  metrics?: { windowsLost(model: string, count: number): void };
  random?: () => number;
  /**
   * Longest stretch (ms) a tick's own work holds the event loop before it lets the gateway's requests
   * through (default 1; 0: a turn after every step, as tests use).
   */
  sliceMs?: number;
}

const referenceTtlMs = 60_000;
const driftPolicyTtlMs = 15_000;
const retentionEveryMs = 3_600_000;
const defaultSliceMs = 1;
/** Observations taken into the windows between two looks at the clock (a few µs each). */
const observationsPerStep = 64;

/**
 * The monitor: each tick drains the gateway's observations for every live deployment of its environment
 * into per-digest windows, closes the due ones, computes their drift against the version's reference,
 * writes them (one transaction per window, oldest first) and tells the listeners. The gateway never waits
 * on it; a failing store only delays (and past a bound, loses and counts) summaries. A tick shares the
 * event loop with the gateway, so its work is cut into slices of about `sliceMs` (a tick at 4,000 req/s
 * drains thousands of observations: 20–50 ms held in one go before, every 10 s, which was most of the
 * gateway's p99); the order of the work, and so its results, is the same as in one go.
 */
export function createMonitorService(deps: MonitorServiceDeps) {
  const { settings, logger, store } = deps;
  const sliceMs = deps.sliceMs ?? defaultSliceMs;
  const log = logger.child({ module: 'monitor' });
  const pending = createPendingWrites(deps.maxPendingWindows ?? 1_000);
  const profiles = new Map<string, { profile: ReferenceProfile | null; at: number }>();
  const driftPolicies = new Map<string, { policy: DriftPolicy | null; at: number }>();
  const keeper = createWindowKeeper({
    limits: {
      rows: settings.window.rows,
      ms: settings.window.seconds * 1000,
      sampleSize: settings.sampleSize,
    },
    columnsOf: (model, version) => {
      const profile = profiles.get(`${model}\0${version}`)?.profile;
      return profile ? monitoredColumns(profile.columns) : null;
    },
    ...(deps.random ? { random: deps.random } : {}),
  });
  let live: LiveDigest[] = [];
  let lastRetention = Number.NEGATIVE_INFINITY;
  const lastClosed = new Map<string, WindowSummary>();
  let running: Promise<void> | null = null;

  async function loadProfile(model: string, version: number, now: number) {
    const key = `${model}\0${version}`;
    const cached = profiles.get(key);
    if (cached && now - cached.at < referenceTtlMs) return;
    try {
      profiles.set(key, { profile: await deps.references.profileFor(model, version), at: now });
    } catch (err) {
      log.warn({ err, model, version }, 'reference profile unavailable; windows use the last one read');
      if (!cached) profiles.set(key, { profile: null, at: Number.NEGATIVE_INFINITY });
    }
  }

  async function loadDriftPolicy(model: string, now: number) {
    const cached = driftPolicies.get(model);
    if (!deps.driftPolicy || (cached && now - cached.at < driftPolicyTtlMs)) return;
    try {
      driftPolicies.set(model, { policy: await deps.driftPolicy(model), at: now });
    } catch (err) {
      log.warn({ err, model }, 'monitor policy unavailable; windows use the drift settings last read');
      if (!cached) driftPolicies.set(model, { policy: null, at: Number.NEGATIVE_INFINITY });
    }
  }

  async function refreshLive() {
    try {
      live = await deps.liveDigests();
    } catch (err) {
      log.warn({ err }, 'live state unavailable; monitoring the deployments it last saw');
    }
  }

  const summarize = (closed: ClosedWindow): WindowRecord => ({
    summary: summarizeWindow(closed, {
      environment: deps.environment,
      reference: profiles.get(`${closed.model}\0${closed.version}`)?.profile ?? null,
      minRows: settings.window.minRows,
      drift: driftPolicies.get(closed.model)?.policy ?? null,
    }),
    predictions: closed.predictions,
  });

  async function enqueue(closed: ClosedWindow[], slices: LoopSlices) {
    for (const c of closed) {
      const dropped = pending.push(summarize(c));
      if (dropped) {
        deps.metrics?.windowsLost(dropped.summary.model, 1);
        log.error(
          { model: dropped.summary.model, window: dropped.summary.id, lost: pending.lost },
          'monitor store unavailable too long: the oldest unwritten window summary was lost',
        );
      }
      await slices.pause();
    }
  }

  /** Writes the waiting windows oldest first, one transaction each; stops at the first failure. */
  async function flush(slices: LoopSlices) {
    while (pending.size > 0) {
      const record = pending.peek()[0] as WindowRecord;
      try {
        await store.saveWindows([record]);
      } catch (err) {
        log.warn(
          { err, pending: pending.size, lost: pending.lost },
          'monitor store unavailable; window summaries wait for the next tick',
        );
        return;
      }
      pending.settle(1);
      const { summary } = record;
      lastClosed.set(summary.model, summary);
      for (const listener of deps.onWindowClosed ?? [])
        try {
          await listener(summary);
        } catch (err) {
          log.error({ err, window: summary.id }, 'a window listener failed');
        }
      await slices.pause();
    }
  }

  async function retention(now: number) {
    if (now - lastRetention < retentionEveryMs) return;
    try {
      const cutoff = new Date(now - settings.retentionDays * 86_400_000).toISOString();
      const deleted = await store.deleteEndedBefore(cutoff);
      lastRetention = now;
      if (deleted > 0) log.info({ deleted, cutoff }, 'old window summaries deleted');
    } catch (err) {
      log.warn({ err }, 'window retention failed; retried next tick');
    }
  }

  /** Takes a deployment's drained observations into the windows, a few at a time between pauses. */
  async function take(drained: readonly Observation[], slices: LoopSlices) {
    for (let i = 0; i < drained.length; i += observationsPerStep) {
      await enqueue(keeper.add(drained.slice(i, i + observationsPerStep)), slices);
      await slices.pause();
    }
  }

  async function runTick(now: number) {
    const slices = loopSlices(sliceMs);
    await refreshLive();
    for (const d of live) await loadProfile(d.model, d.version, now);
    const models = new Set([...live.map((d) => d.model), ...keeper.models()]);
    for (const model of models) {
      await loadDriftPolicy(model, now);
      const drained = deps.observations.drain(model);
      for (const version of new Set(drained.map((o) => o.version))) await loadProfile(model, version, now);
      await take(drained, slices);
    }
    await enqueue(keeper.advance(now, live), slices);
    await flush(slices);
    await retention(now);
  }

  /** One pass; ticks never overlap (a tick asked for while one runs waits for it, then runs). */
  async function tick(now?: number): Promise<void> {
    const at = now ?? deps.clock.now().getTime();
    const previous = running;
    const current = (async () => {
      if (previous) await previous.catch(() => {});
      await runTick(at);
    })();
    running = current;
    try {
      await current;
    } finally {
      if (running === current) running = null;
    }
  }

  const state: MonitorState = {
    environment: deps.environment,
    openFor: (model: string) => keeper.openFor(model),
    lastClosed: (model: string) => lastClosed.get(model) ?? null,
    pendingFor: (model: string) => pending.sizeFor(model),
    lostFor: (model: string) => pending.lostFor(model),
    pending,
  };

  return {
    tick,
    /** Closes the open windows as `shutdown` and writes what it can. */
    async stop(now?: number) {
      if (running) await running.catch(() => {});
      const at = now ?? deps.clock.now().getTime();
      const slices = loopSlices(sliceMs);
      for (const model of keeper.models()) await take(deps.observations.drain(model), slices);
      await enqueue(keeper.closeAll(at), slices);
      await flush(slices);
    },
    /** What the reads show of this process's windows (open, last closed, waiting, lost). */
    state,
  };
}

export type MonitorService = ReturnType<typeof createMonitorService>;
