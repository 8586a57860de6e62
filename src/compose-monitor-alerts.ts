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
    logger: deps.logger.child({ module: 'monitor' }),
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
  return { alerts, monitorPolicies };
}
