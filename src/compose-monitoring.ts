import type { WardenMetrics } from './adapters/metrics/prom-metrics.js';
import type { SqlDatabase } from './adapters/sql/db.js';
import type { Stores, UnitOfWork } from './adapters/sql/stores.js';
import { composeMonitor } from './compose-monitor.js';
import { composeMonitorAlerts } from './compose-monitor-alerts.js';
import { composeReference } from './compose-reference.js';
import type { Config } from './config/index.js';
import type { BlobStore } from './modules/artifacts/index.js';
import type { DeployService } from './modules/deploy/index.js';
import type { ObservationBuffer, ServingStats } from './modules/gateway/index.js';
import { describeMonitorEvent } from './modules/monitor/index.js';
import type { Access, AccessGuard, DescribeEvent } from './modules/policy/index.js';
import type { RegistryService } from './modules/registry/index.js';
import type { Clock } from './platform/clock.js';
import type { Logger } from './platform/logger.js';

export interface MonitoringComposition {
  config: Readonly<Config>;
  logger: Logger;
  clock: Clock;
  database: Pick<SqlDatabase, 'db'>;
  read: Stores;
  uow: UnitOfWork;
  blobs: BlobStore;
  accessFor: <E>(describe: DescribeEvent<E>) => Access<E>;
  guard: AccessGuard;
  role: 'server' | 'gateway';
  registry: Pick<RegistryService, 'readVerifiedFiles'>;
  deploy: Pick<DeployService, 'rollbackAsSystem' | 'abortAsSystem' | 'live'>;
  gateway: {
    observations: Pick<ObservationBuffer, 'drain'>;
    servingStats: Pick<ServingStats, 'read'>;
    extractionAlerts: (model: string) => number;
  };
  metrics: Pick<WardenMetrics, 'monitor' | 'authFailuresSoFar'>;
}

/**
 * Monitoring, whole: reference datasets (the baselines), windows over the gateway's observations with their
 * drift, and the alert engine they feed (each stored window, and the gateway's counters every minute) with
 * the per-deployment monitor policies. The firing gauge is rebuilt from the store before anything ticks.
 */
export async function composeMonitoring(deps: MonitoringComposition) {
  const { config, logger, clock, read, uow } = deps;
  const references = await composeReference({ ...deps });
  const alerts = composeMonitorAlerts({
    ...{ config, logger, read, uow, clock, deploy: deps.deploy, metrics: deps.metrics },
    servingStats: deps.gateway.servingStats,
    extractionAlerts: deps.gateway.extractionAlerts,
    access: deps.accessFor(describeMonitorEvent),
    profiles: references.profiles,
  });
  await alerts.restoreMetrics();
  const monitor = composeMonitor({
    ...{ config, logger, clock, read, deploy: deps.deploy, guard: deps.guard },
    database: deps.database,
    observations: deps.gateway.observations,
    metrics: deps.metrics.monitor,
    references: references.profiles,
    onWindowClosed: [(summary) => alerts.alerts.onWindow(summary)],
    everyMinute: (now) => alerts.everyMinute(now),
  });
  return { references, alerts: alerts.alerts, monitorPolicies: alerts.monitorPolicies, monitor };
}
