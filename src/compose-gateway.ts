import { createMemoryRateLimiter } from './adapters/rate-limit/memory-token-bucket.js';
import { openRedis } from './adapters/redis/redis-connection.js';
import { createRedisRateLimiter } from './adapters/redis/redis-rate-limiter.js';
import type { Stores } from './adapters/sql/stores.js';
import type { Config } from './config/index.js';
import type { DeployService } from './modules/deploy/index.js';
import {
  batchingRuntime,
  createCoarseningGuard,
  createExtractionGuard,
  createGateway,
  createGuardPolicyCache,
  createGuardPolicyService,
  createObservationBuffer,
  createRateLimitGuard,
  createRedactionGuard,
  createScreeningGuard,
  createServingStats,
  type GatewayEvent,
  type GatewayMetrics,
  observationGuard,
} from './modules/gateway/index.js';
import type { Access } from './modules/policy/index.js';
import type { RegistryService } from './modules/registry/index.js';
import { createSignatureVerifier } from './modules/signing/index.js';
import { type Clock, systemClock } from './platform/clock.js';
import type { Logger } from './platform/logger.js';
import type { UnitOfWork } from './platform/unit-of-work.js';

export interface GatewayComposition {
  config: Readonly<Config>;
  logger: Logger;
  read: Stores;
  uow: UnitOfWork<Stores>;
  registry: Pick<RegistryService, 'readVerifiedFiles'>;
  deploy: Pick<DeployService, 'changes'>;
  access: Access<GatewayEvent>;
  metrics: GatewayMetrics;
  /** The serving statistics' minutes (default: the system clock); the container passes its own. */
  clock?: Clock;
}

/**
 * The inference gateway as `warden serve` and `warden gateway` run it: its runtimes (ONNX in process,
 * upstream proxies), its guards in order, each deployment's guard policy, its rate limiter (memory or
 * Redis), the observation buffer the monitoring module drains and the per-minute serving statistics.
 */
export async function composeGateway(deps: GatewayComposition) {
  const { config, logger, read, uow, registry, deploy } = deps;
  let closeRedis = async () => {};
  // The inference gateway (/v2): follows the live state of one environment and serves it. Its runtime is
  // loaded here, not at import, so CLI commands that open the container never load ONNX Runtime.
  const { createOnnxRuntime } = await import('./adapters/onnx/onnx-runtime.js');
  const { createUpstreamRuntimes } = await import('./adapters/upstream/upstream-runtimes.js');
  const gatewayLogger = logger.child({ module: 'gateway' });
  // An environment list without the gateway's environment (production removed, say) serves nothing at
  // /v2 rather than refusing to start: the registry and deployments work without the gateway.
  const gatewayEnabled = Object.hasOwn(config.environments, config.gateway.environment);
  if (!gatewayEnabled)
    logger.warn(
      { setting: 'gateway.environment', environment: config.gateway.environment },
      `the gateway's environment "${config.gateway.environment}" is not configured: /v2 serves no model`,
    );
  const gatewayAccess = deps.access;
  // Each deployment's guard policy, read from the database every second (a change here: at once).
  const policyBounds = { maxRows: config.gateway.maxRows, rateLimit: config.gateway.rateLimit };
  const guardPolicies = createGuardPolicyCache({
    store: read.guardPolicies,
    environment: config.gateway.environment,
    bounds: policyBounds,
    logger: gatewayLogger,
  });
  const extractionGuard = createExtractionGuard({
    logger: gatewayLogger,
    record: (event) => gatewayAccess.recordAlone(null, event),
  });
  const guardPolicyService = createGuardPolicyService({
    uow,
    read,
    access: gatewayAccess,
    clock: systemClock,
    environments: Object.keys(config.environments),
    bounds: policyBounds,
    onChange: () => guardPolicies.refresh(),
    alerts: { environment: config.gateway.environment, of: (model) => extractionGuard.alerts(model) },
  });
  // The gateway's rate limits: in this process, or in Redis when configured so that replicas share them.
  let rateLimiter = createMemoryRateLimiter();
  if (config.redis.url) {
    const redis = await openRedis({ url: config.redis.url, logger: logger.child({ module: 'redis' }) });
    closeRedis = redis.close;
    rateLimiter = createRedisRateLimiter(redis.client, `${config.redis.keyPrefix}:gateway`);
  }
  // Each successful request's inputs and outputs, in memory, for the monitoring module to drain.
  const observations = createObservationBuffer({
    maxBytes: config.gateway.observations.maxBytes,
    metrics: deps.metrics,
  });
  // Each answer's status, refusal reason and latency, per minute over the last hour (this process only).
  const statsClock = deps.clock ?? systemClock;
  const servingStats = createServingStats({ now: () => statsClock.now().getTime() });
  const onnx = createOnnxRuntime({ intraOpThreads: config.gateway.intraOpThreads });
  const upstreams = createUpstreamRuntimes(config.gateway.upstreams, gatewayLogger);
  const batched = new Set(config.gateway.batching.models);
  const batchedOnnx = batchingRuntime(onnx, { maxRows: config.gateway.batching.maxRows });
  const gateway = createGateway({
    enabled: gatewayEnabled,
    environment: config.gateway.environment,
    read,
    files: (version) => registry.readVerifiedFiles(version),
    verifier: createSignatureVerifier(),
    runtime: onnx,
    // Models configured as upstreams are still deployed, verified and signature-checked; their sessions
    // proxy. Models opted into batching run on ONNX sessions whose runs of one event-loop turn are coalesced.
    runtimeFor: (name) => upstreams(name) ?? (batched.has(name) ? batchedOnnx : undefined),
    logger: gatewayLogger,
    deploy,
    access: gatewayAccess,
    maxRows: config.gateway.maxRows,
    maxBodyBytes: config.gateway.maxBodyBytes,
    policies: guardPolicies,
    metrics: deps.metrics,
    stats: servingStats,
    // Rate limits first (a refused request costs no other guard's work), then the extraction watch's
    // throttling, the input checks and the output ones. The observation guard stays last: it keeps what
    // the caller receives, after every other guard.
    guards: [
      createRateLimitGuard({ limiter: rateLimiter }),
      extractionGuard,
      createScreeningGuard({ logger: gatewayLogger }),
      createCoarseningGuard({ logger: gatewayLogger }),
      createRedactionGuard({ logger: gatewayLogger }),
      observationGuard(observations),
    ],
  });
  return {
    gateway,
    guardPolicyService,
    observations,
    servingStats,
    /** How many principals the extraction watch holds suspect or throttled on a model now. */
    extractionAlerts: (model: string) => extractionGuard.alerts(model).length,
    closeRedis: () => closeRedis(),
  };
}
