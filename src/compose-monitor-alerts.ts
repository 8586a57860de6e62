import type { WardenMetrics } from './adapters/metrics/prom-metrics.js';
import type { Stores } from './adapters/sql/stores.js';
import type { Config } from './config/index.js';
import type { DeployService } from './modules/deploy/index.js';
import type { ServingStats } from './modules/gateway/index.js';
import {
  createAlertEngine,
  createGatewayIntervals,
  createMonitorPolicyService,
  type MonitorEvent,
  type ReferenceProfile,
} from './modules/monitor/index.js';
import type { Access } from './modules/policy/index.js';
import type { Clock } from './platform/clock.js';
import type { Logger } from './platform/logger.js';
import type { UnitOfWork } from './platform/unit-of-work.js';

export interface MonitorAlertsComposition {
  config: Readonly<Config>;
  logger: Logger;
  read: Stores;
  uow: UnitOfWork<Stores>;
  clock: Clock;
  access: Access<MonitorEvent>;
  deploy: Pick<DeployService, 'rollbackAsSystem' | 'abortAsSystem' | 'live'>;
  metrics: Pick<WardenMetrics, 'monitor' | 'authFailuresSoFar'>;
  servingStats: Pick<ServingStats, 'read'>;
  extractionAlerts: (model: string) => number;
  /** The version's reference profile, once the reference part is wired in. */
  profiles?: { profileFor(model: string, version: number): Promise<ReferenceProfile | null> };
}

/**
 * Monitoring's alerts: the engine (detectors → rules → alerts → webhooks and automatic rollback), fed the
 * gateway's counters of its environment each minute, and the per-deployment monitor policies.
 */
export function composeMonitorAlerts(deps: MonitorAlertsComposition) {
  const { config, read, uow, clock, access } = deps;
  const log = deps.logger.child({ module: 'monitor' });
  const intervals = createGatewayIntervals({
    environment: config.gateway.environment,
    read,
    stats: deps.servingStats,
    extractionAlerts: deps.extractionAlerts,
    authFailures: deps.metrics.authFailuresSoFar,
  });
  const alerts = createAlertEngine<Stores>({
    uow,
    read,
    clock,
    logger: log,
    access,
    environments: config.environments,
    deploy: deps.deploy,
    intervals,
    metrics: deps.metrics.monitor,
    ...(deps.profiles ? { profiles: deps.profiles } : {}),
  });
  const monitorPolicies = createMonitorPolicyService<Stores>({
    uow,
    read,
    access,
    clock,
    environments: Object.keys(config.environments),
    // A policy's drift settings are checked against the live versions' reference columns.
    live: deps.deploy,
    ...(deps.profiles ? { profiles: deps.profiles } : {}),
  });
  // The firing gauge follows the store, not this process's memory: a restart must not read as every alert
  // resolving, nor a replica miss what another fired or resolved. A failing read is logged once in a row.
  let syncFailing = false;
  const syncMetrics = async () => {
    try {
      await alerts.syncMetrics();
      syncFailing = false;
    } catch (err) {
      if (!syncFailing) log.warn({ err }, 'firing alerts unreadable; the firing gauge is kept as it was');
      syncFailing = true;
    }
  };
  return {
    alerts,
    monitorPolicies,
    /** Once at start: the firing gauge rebuilt from the stored alerts. */
    restoreMetrics: syncMetrics,
    /** Once a minute: the gateway's counters through the detectors, then the firing gauge from the store. */
    async everyMinute(now: Date): Promise<void> {
      await alerts.onInterval(now);
      await syncMetrics();
    },
  };
}
