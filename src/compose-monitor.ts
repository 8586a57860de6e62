import type { SqlDatabase } from './adapters/sql/db.js';
import { createMonitorSqlStore } from './adapters/sql/monitor.sql-store.js';
import type { Stores } from './adapters/sql/stores.js';
import type { Config } from './config/index.js';
import type { DeployService } from './modules/deploy/index.js';
import type { ObservationBuffer } from './modules/gateway/index.js';
import {
  createMonitorReads,
  createMonitorService,
  type ReferenceProfiles,
  type WindowListener,
} from './modules/monitor/index.js';
import type { AccessGuard } from './modules/policy/index.js';
import type { Clock } from './platform/clock.js';
import type { Logger } from './platform/logger.js';

export interface MonitorComposition {
  config: Readonly<Config>;
  logger: Logger;
  clock: Clock;
  database: Pick<SqlDatabase, 'db'>;
  read: Pick<Stores, 'registry' | 'monitorAlerts'>;
  deploy: Pick<DeployService, 'live'>;
  observations: Pick<ObservationBuffer, 'drain'>;
  guard: Pick<AccessGuard, 'require'>;
  /** The versions' reference profiles (the container passes the reference service's; without: no drift). */
  references?: ReferenceProfiles;
  /** Told of every stored window (the container passes the alert engine's `onWindow`). */
  onWindowClosed?: readonly WindowListener[];
  metrics?: { windowsLost(model: string, count: number): void };
  /** Run once a minute while ticking (the alert engine's detectors on the gateway's counters). */
  everyMinute?: (now: Date) => Promise<void>;
}

/**
 * The monitor as `warden serve` and `warden gateway` run it: windows over this process's gateway traffic
 * (its environment), stored in the database, ticking every `monitor.drainSeconds` once started, when
 * `monitor.enabled`. Its reads and labels serve the API whatever the setting.
 */
export function composeMonitor(deps: MonitorComposition) {
  const { config } = deps;
  const environment = config.gateway.environment;
  const store = createMonitorSqlStore(deps.database.db);
  const service = createMonitorService({
    environment,
    observations: deps.observations,
    liveDigests: async () => {
      if (!Object.hasOwn(config.environments, environment)) return [];
      const view = await deps.deploy.live(null, environment);
      return view.models.flatMap((m) =>
        [m.stable, m.candidate].flatMap((s) =>
          s ? [{ model: m.model, version: s.version, digest: s.digest }] : [],
        ),
      );
    },
    store,
    references: deps.references ?? { profileFor: async () => null },
    driftPolicy: async (model) =>
      (await deps.read.monitorAlerts.findPolicy(environment, model))?.document.drift ?? null,
    clock: deps.clock,
    logger: deps.logger,
    settings: config.monitor,
    ...(deps.onWindowClosed ? { onWindowClosed: deps.onWindowClosed } : {}),
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
  });
  const reads = createMonitorReads({
    store,
    readings: deps.read.monitorAlerts,
    access: deps.guard,
    registry: deps.read.registry,
    environments: Object.keys(config.environments),
    state: service.state,
  });
  let timers: NodeJS.Timeout[] = [];
  let ticking: Promise<void> | null = null;
  let minute: Promise<void> | null = null;
  const log = deps.logger.child({ module: 'monitor' });
  // A run still going when the next is due is not started twice: that one is skipped.
  const tick = () => {
    ticking ??= service
      .tick()
      .catch((err) => log.error({ err }, 'monitor tick failed'))
      .finally(() => {
        ticking = null;
      });
  };
  const everyMinute = deps.everyMinute;
  const onMinute = () => {
    if (!everyMinute) return;
    minute ??= everyMinute(deps.clock.now())
      .catch((err) => log.error({ err }, 'monitor interval failed'))
      .finally(() => {
        minute = null;
      });
  };
  return {
    service,
    reads,
    /** Starts ticking (when monitoring is enabled); a tick never overlaps the previous one. */
    start() {
      if (!config.monitor.enabled || timers.length > 0) return;
      timers = [setInterval(tick, config.monitor.drainSeconds * 1000), setInterval(onMinute, 60_000)];
      for (const t of timers) t.unref();
    },
    /** Stops ticking, closes the open windows as `shutdown` and writes them. */
    async stop() {
      for (const t of timers) clearInterval(t);
      timers = [];
      await Promise.all([ticking, minute]);
      if (config.monitor.enabled)
        await service.stop().catch((err) => log.error({ err }, 'monitor stop failed'));
    },
  };
}

export type MonitorComposed = ReturnType<typeof composeMonitor>;
