import type { DeployService, LiveView } from '../deploy/index.js';
import type { Access } from '../policy/index.js';
import type { ModelRecord } from '../registry/index.js';
import type { GatewayEvent, LoadCheck } from './gateway.events.js';
import type { GatewayMetrics } from './gateway-metrics.port.js';
import { type LoaderDeps, LoadRefused, loadVersion } from './model-loader.js';
import { SessionLease } from './session-lease.js';

export interface ServingTableDeps extends LoaderDeps {
  deploy: Pick<DeployService, 'changes'>;
  access: Access<GatewayEvent>;
  /** How long one change-feed read waits before asking again (default 30 s). */
  feedWaitMs?: number;
  /** Counts loads, refusals and unloads (default: not counted). */
  metrics?: Pick<GatewayMetrics, 'modelLoad' | 'modelUnloaded'>;
}

/** One deployed version as the gateway holds it: loaded, or refused and why. */
export interface Slot {
  version: number;
  digest: string;
  lease: SessionLease | null;
  failure: { check: LoadCheck; reason: string } | null;
}

export interface Served {
  model: ModelRecord;
  /** The stable version serving now (a refused new stable leaves the previous one here). */
  stable: Slot | null;
  candidate: (Slot & { mode: 'canary' | 'shadow'; percent: number }) | null;
  /** A stable version the live state names that could not be loaded (the previous one keeps serving). */
  refused: Slot | null;
}

export interface SlotStatus {
  version: number;
  digest: string;
  loaded: boolean;
  failure: { check: LoadCheck; reason: string } | null;
}

export interface ModelStatus {
  name: string;
  environment: string;
  ready: boolean;
  stable: SlotStatus | null;
  candidate: (SlotStatus & { mode: 'canary' | 'shadow'; percent: number }) | null;
  /** The live stable version the gateway refused to load, while an earlier one keeps serving. */
  refused: SlotStatus | null;
  revision: number;
}

/**
 * What the gateway serves: a table from model name to its loaded versions, kept in line with the deploy
 * module's live state for one environment. A change to the live state loads the new versions first and
 * then swaps the table in one step: requests already running finish on the sessions they hold, which are
 * released after their last request.
 */
export function createServingTable(deps: ServingTableDeps) {
  const { environment, logger, access } = deps;
  const feedWaitMs = deps.feedWaitMs ?? 30_000;
  let table = new Map<string, Served>();
  let revision = -1;
  let synced = false;
  let loop: Promise<void> | null = null;
  const stopping = new AbortController();

  const slotKey = (model: string, digest: string) => `${model}\0${digest}`;
  const label = (model: string, s: { version: number; digest: string }) => ({
    environment,
    model,
    version: s.version,
    digest: s.digest,
  });

  /** Loads one version, or says why not; the outcome is audited (a load is rare, and it is a trust decision). */
  async function load(model: ModelRecord, version: number, digest: string, slot: 'stable' | 'candidate') {
    const started = Date.now();
    const base = { environment, model: model.name, owner: model.owner, version, digest, slot };
    try {
      const { session } = await loadVersion(deps, model, version, digest);
      const loadMs = Date.now() - started;
      try {
        await access.recordAlone(null, { type: 'gateway.loaded', ...base, loadMs });
      } catch (err) {
        await session.release().catch(() => undefined);
        throw err;
      }
      // Counted as unloaded when its last reference goes, so loads minus unloads is what is held.
      const lease = new SessionLease(session, logger, label(model.name, { version, digest }), () =>
        deps.metrics?.modelUnloaded(model.name),
      );
      logger.info({ ...base, loadMs }, 'model version loaded');
      deps.metrics?.modelLoad({ model: model.name, slot, result: 'loaded', seconds: loadMs / 1000 });
      return { version, digest, lease, failure: null };
    } catch (err) {
      const refused =
        err instanceof LoadRefused
          ? err
          : new LoadRefused('runtime', `load failed: ${(err as Error).message}`);
      const fields = { ...base, check: refused.check, reason: refused.reason };
      const seconds = (Date.now() - started) / 1000;
      deps.metrics?.modelLoad({ model: model.name, slot, result: refused.check, seconds });
      if (refused.check === 'format')
        logger.warn(fields, 'model version not served: no runtime for its format');
      else logger.error(fields, 'model version refused');
      // A format no runtime serves is not a fault of the bytes: shown, logged, not audited as a refusal.
      if (refused.check !== 'format')
        await access
          .recordAlone(null, {
            type: 'gateway.load_failed',
            ...base,
            check: refused.check,
            reason: refused.reason,
          })
          .catch((e: unknown) => logger.error({ err: e }, 'could not record a refused model load'));
      return { version, digest, lease: null, failure: { check: refused.check, reason: refused.reason } };
    }
  }

  /** Brings the table in line with a live view: loads what is new, keeps what is loaded, releases the rest. */
  async function reconcile(view: LiveView): Promise<void> {
    const current = table;
    const loaded = new Map<string, Slot>();
    for (const served of current.values())
      for (const s of [served.stable, served.candidate])
        if (s?.lease) loaded.set(slotKey(served.model.name, s.digest), s);
    const next = new Map<string, Served>();
    const reuse = (model: string, version: number, digest: string) => {
      const s = loaded.get(slotKey(model, digest));
      return s && s.version === version ? s : null;
    };
    for (const live of view.models) {
      if (stopping.signal.aborted) return;
      const model = await deps.read.registry.findModelByName(live.model);
      if (!model) continue;
      const before = current.get(live.model);
      let stable: Slot | null = null;
      let refused: Slot | null = null;
      if (live.stable) {
        const { version, digest } = live.stable;
        const got = reuse(live.model, version, digest) ?? (await load(model, version, digest, 'stable'));
        if (got.lease) stable = got;
        else {
          refused = got;
          // The previous stable keeps serving until a version that passes every check replaces it.
          stable = before?.stable?.lease ? before.stable : null;
        }
      }
      let candidate: Served['candidate'] = null;
      if (live.candidate) {
        const { version, digest, mode, percent } = live.candidate;
        const got = reuse(live.model, version, digest) ?? (await load(model, version, digest, 'candidate'));
        candidate = { ...got, mode, percent };
      }
      next.set(live.model, { model, stable, candidate, refused });
    }
    if (stopping.signal.aborted) {
      // Loaded for a table that will never serve: let them go.
      for (const served of next.values())
        for (const s of [served.stable, served.candidate])
          if (s?.lease && !loaded.has(slotKey(served.model.name, s.digest))) s.lease.release();
      return;
    }
    // Each lease held by the table is carried over once (the table's reference moves) or released once.
    const kept = new Set<SessionLease>();
    for (const served of next.values())
      for (const s of [served.stable, served.candidate]) if (s?.lease) kept.add(s.lease);
    table = next;
    revision = view.revision;
    const dropped = new Set<SessionLease>();
    for (const s of loaded.values()) if (s.lease && !kept.has(s.lease)) dropped.add(s.lease);
    for (const lease of dropped) lease.release();
  }

  async function follow(): Promise<void> {
    const signal = stopping.signal;
    let since = -1;
    let backoffMs = 250;
    while (!signal.aborted) {
      try {
        const view = await deps.deploy.changes(null, environment, since, since < 0 ? 0 : feedWaitMs, signal);
        if (signal.aborted) break;
        if (view.changed || !synced) await reconcile(view);
        synced = true;
        since = view.revision;
        backoffMs = 250;
      } catch (err) {
        if (signal.aborted) break;
        logger.error({ err, environment }, 'gateway could not read the live state; retrying');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, backoffMs);
          signal.addEventListener('abort', () => {
            clearTimeout(timer);
            resolve();
          });
        });
        backoffMs = Math.min(backoffMs * 2, 5000);
      }
    }
  }

  function statusOf(served: Served): ModelStatus {
    const view = (s: Slot | null): SlotStatus | null =>
      s ? { version: s.version, digest: s.digest, loaded: s.lease !== null, failure: s.failure } : null;
    const candidate = served.candidate;
    return {
      name: served.model.name,
      environment,
      ready: served.stable?.lease != null,
      stable: view(served.stable),
      candidate: candidate
        ? { ...(view(candidate) as SlotStatus), mode: candidate.mode, percent: candidate.percent }
        : null,
      refused: view(served.refused),
      revision,
    };
  }

  return {
    label,
    /** The table as it is now (replaced, never mutated, on a change). */
    get: (name: string): Served | undefined => table.get(name),
    /** Every model in the table, by name. */
    list: (): Served[] => [...table.values()].sort((a, b) => (a.model.name < b.model.name ? -1 : 1)),
    statusOf,
    /** Starts following the live state (idempotent). */
    start(): void {
      loop ??= follow();
    },
    /** Stops following, waits for the loop, and releases the table's sessions (running requests finish). */
    async stop(): Promise<void> {
      stopping.abort();
      await loop;
      for (const served of table.values())
        for (const s of [served.stable, served.candidate]) s?.lease?.release();
      table = new Map();
    },
    /** True once the first live state is in hand (server readiness). */
    ready: () => synced && !stopping.signal.aborted,
    /** The revision of the live state the table was built from. */
    revision: () => revision,
  };
}

export type ServingTable = ReturnType<typeof createServingTable>;
