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
  read: Pick<Stores, 'registry'>;
  deploy: Pick<DeployService, 'live'>;
  observations: Pick<ObservationBuffer, 'drain'>;
  guard: Pick<AccessGuard, 'require'>;
  /** The versions' reference profiles (until the reference part is wired: none, so no drift is computed). */
  references?: ReferenceProfiles;
  /** Told of every stored window (the alerts part plugs in here). */
  onWindowClosed?: readonly WindowListener[];
  metrics?: { windowsLost(model: string, count: number): void };
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
    clock: deps.clock,
    logger: deps.logger,
    settings: config.monitor,
    ...(deps.onWindowClosed ? { onWindowClosed: deps.onWindowClosed } : {}),
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
  });
  const reads = createMonitorReads({
    store,
    access: deps.guard,
    registry: deps.read.registry,
    environments: Object.keys(config.environments),
    state: service.state,
  });
  let timer: NodeJS.Timeout | null = null;
  let ticking: Promise<void> = Promise.resolve();
  const log = deps.logger.child({ module: 'monitor' });
  return {
    service,
    reads,
    /** Starts ticking (when monitoring is enabled); a tick never overlaps the previous one. */
    start() {
      if (!config.monitor.enabled || timer) return;
      timer = setInterval(() => {
        ticking = service.tick().catch((err) => log.error({ err }, 'monitor tick failed'));
      }, config.monitor.drainSeconds * 1000);
      timer.unref();
    },
    /** Stops ticking, closes the open windows as `shutdown` and writes them. */
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await ticking;
      if (config.monitor.enabled)
        await service.stop().catch((err) => log.error({ err }, 'monitor stop failed'));
    },
  };
}

export type MonitorComposed = ReturnType<typeof composeMonitor>;
