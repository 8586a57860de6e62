import multipart from '@fastify/multipart';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import type { Config } from '../config/index.js';
import type { AttestationService } from '../modules/attestations/index.js';
import type { AuditRecorder, AuditService, AuditTally } from '../modules/audit/index.js';
import type { DeployService } from '../modules/deploy/index.js';
import type { Gateway, GatewayMetrics, GuardPolicyService, ServingStats } from '../modules/gateway/index.js';
import type {
  Authenticate,
  AuthFailureLimiter,
  AuthFailureLog,
  CallContext,
  ConsoleSessionService,
  IdentityService,
  OidcSignIn,
} from '../modules/identity/index.js';
import type {
  AlertEngine,
  MonitorPolicyService,
  MonitorReads,
  ReferenceService,
} from '../modules/monitor/index.js';
import {
  type AccessGuard,
  isPolicyAction,
  type PermissionChecker,
  type PolicyAction,
  type ResourceRef,
} from '../modules/policy/index.js';
import type { RegistryService } from '../modules/registry/index.js';
import type { WebhookService } from '../modules/webhooks/index.js';
import { requestIdGenerator } from '../platform/ids.js';
import { type AuthFailure, registerAuthentication, requirePrincipal } from './plugins/authenticate.js';
import { type ConsoleHandle, consoleAssetsPrefix, registerConsole } from './plugins/console.js';
import { registerConsoleCookies } from './plugins/console-cookies.js';
import { maxParamBytes, registerErrorHandler } from './plugins/error-handler.js';
import { observeInference } from './plugins/inference-observer.js';
import { docsPrefix, registerOpenApi } from './plugins/openapi.js';
import { refuseQueryCredentials } from './plugins/query-credentials.js';
import { enforceRouteActions } from './plugins/route-actions.js';
import {
  createClientErrorHandler,
  onFrameworkError,
  registerTransportGuards,
} from './plugins/transport-errors.js';
import { hookList } from './route-hooks.js';
import { aliasRoutes } from './routes/aliases.routes.js';
import { attestationRoutes } from './routes/attestations.routes.js';
import { auditRoutes } from './routes/audit.routes.js';
import { deployRoutes } from './routes/deploy.routes.js';
import { guardRoutes } from './routes/guards.routes.js';
import { healthRoutes } from './routes/health.routes.js';
import { inferenceRoutes } from './routes/inference.routes.js';
import { inferenceV1Routes } from './routes/inference-v1.routes.js';
import { type MetricsRouteOptions, metricsRoutes } from './routes/metrics.routes.js';
import { modelRoutes } from './routes/models.routes.js';
import { monitorRoutes } from './routes/monitor.routes.js';
import { monitorAlertRoutes } from './routes/monitor-alerts.routes.js';
import { oidcSignInRoutes } from './routes/oidc-sign-in.routes.js';
import { openAiRoutes } from './routes/openai.routes.js';
import { permissionRoutes } from './routes/permissions.routes.js';
import { referenceRoutes } from './routes/reference.routes.js';
import { servingRoutes } from './routes/serving.routes.js';
import { sessionRoutes } from './routes/session.routes.js';
import { signatureRoutes } from './routes/signatures.routes.js';
import { tokenRoutes } from './routes/tokens.routes.js';
import { versionRoutes } from './routes/versions.routes.js';
import { webhookRoutes } from './routes/webhooks.routes.js';
import { Checkpoint as AuditCheckpoint, AuditEntry } from './schemas/audit.schemas.js';
import { Problem } from './schemas/common.schemas.js';
import { Alias, Model, ModelListItem, Version } from './schemas/registry.schemas.js';
import { registerTextGuard } from './text-guard.js';

export interface AppDeps {
  config: Readonly<Config>;
  logger: PinoLogger;
  version: string;
  registry: RegistryService;
  /** Versions' reference datasets (monitoring's baselines). */
  references: ReferenceService;
  deploy: DeployService;
  attestations: AttestationService;
  identity: Pick<IdentityService, 'issueToken' | 'listTokens' | 'revokeToken'>;
  webhooks: WebhookService;
  authenticate: Authenticate;
  /** Console sessions (cookie authentication on the control plane's routes), swept on a timer. */
  consoleSessions: Pick<ConsoleSessionService, 'signInWithToken' | 'authenticate' | 'signOut' | 'sweep'>;
  /** Signing in to the console at the OIDC issuer; null when `console.oidc` is not configured. */
  oidcSignIn: Pick<OidcSignIn, 'begin' | 'finish'> | null;
  /** Per-deployment guard policies (and the gateway's extraction alerts). */
  guardPolicies: GuardPolicyService;
  /** Monitor alerts (read) and per-deployment monitor policies. */
  alerts: Pick<AlertEngine, 'alerts'>;
  monitorPolicies: MonitorPolicyService;
  /** Monitoring's windows, status and delayed labels. */
  monitor: MonitorReads;
  /** The inference gateway, started once the app is ready and stopped when it closes. */
  gateway: Gateway;
  /** The inference path's authentication: `authenticate` with successes cached for at most a second. */
  gatewayAuthenticate: Authenticate;
  guard: AccessGuard;
  /** POST /api/v1/permissions: decisions for the console, never recorded. */
  permissions: Pick<PermissionChecker, 'check'>;
  recorder: AuditRecorder;
  /** The audit log as callers read it: each read authorized inside the service. */
  audit: AuditService;
  checks: Record<string, () => Promise<boolean>>;
  authFailureLimiter: AuthFailureLimiter;
  /** Refused authentications, aggregated; flushed every `authFailures.auditIntervalSeconds` and on close. */
  authFailureLog: Pick<AuthFailureLog, 'note' | 'flush'>;
  /** Denials of `inference:invoke`, aggregated; flushed with the refused authentications. */
  deniedInference: Pick<AuditTally, 'flush'>;
  metrics: MetricsRouteOptions['metrics'] & { gateway: GatewayMetrics };
  /** The gateway's per-minute rollup, fed with every inference answer beside the metrics. */
  servingStats: Pick<ServingStats, 'record'>;
  /**
   * `server` (default): every route. `gateway` (`warden gateway`): the data plane alone — the inference
   * routes, /health and /metrics — without the control plane's /api/v1 and its docs.
   */
  role?: 'server' | 'gateway';
  /** The built console's folder (default dist/web). */
  consoleDir?: string;
}

/**
 * Actions with no service behind them (the caller itself, the metrics) are decided when the request
 * arrives; every other action is decided by its service against the real resource and its attributes.
 */
const singletonResources: Partial<Record<PolicyAction, ResourceRef>> = {
  'identity:whoami': { type: 'Registry' },
  'metrics:read': { type: 'Registry' },
};

/** Builds the HTTP application without listening: server.ts listens, tests use inject(). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: config.limits.maxJsonBodyBytes,
    genReqId: requestIdGenerator(),
    // request.ip (the failed-authentication limit's key, audit and logs) comes from X-Forwarded-For only
    // when the hop that sent it is a configured proxy; otherwise a client could pick its own address.
    trustProxy: config.trustProxy.length > 0 ? [...config.trustProxy] : false,
    // Answered by registerTransportGuards as problem+json instead.
    return503OnClosing: false,
    forceCloseConnections: true,
    routerOptions: { maxParamLength: maxParamBytes },
    frameworkErrors: onFrameworkError,
    clientErrorHandler: createClientErrorHandler(deps.logger),
  });
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  // No route takes text: a text/plain body is refused as 415, not parsed as a JSON string.
  app.removeContentTypeParser('text/plain');
  // A callback hook: on every request, an async one's promise costs a microtask turn.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    reply.header('x-content-type-options', 'nosniff');
    done();
  });
  registerTransportGuards(app);
  // Before authentication and every other hook but the transport guards: a token in the URL is refused,
  // never tried.
  refuseQueryCredentials(app);
  let consolePages: ConsoleHandle | null = null;
  registerErrorHandler(app, {
    bodyLimit: config.limits.maxJsonBodyBytes,
    notFound: (request, reply) => consolePages?.servePage(request, reply) ?? false,
  });
  registerTextGuard(app);
  enforceRouteActions(app, { publicPrefixes: [docsPrefix, consoleAssetsPrefix] });
  app.addHook('onRoute', (route) => {
    const action = route.config?.action;
    if (action !== undefined && action !== 'public' && !isPolicyAction(action)) {
      throw new Error(
        `route ${route.method} ${route.url} declares action "${action}", which the policy schema does not`,
      );
    }
  });
  // Every refusal is on the record, with the reason the caller is never told: one entry per address and
  // reason per interval, with a count, so a flood cannot grow the audit table one row per request.
  const onFailure = (failure: AuthFailure) => deps.authFailureLog.note(failure);
  const controlPlane = (deps.role ?? 'server') === 'server';
  await registerConsoleCookies(app);
  registerAuthentication(app, {
    authenticate: deps.authenticate,
    limiter: deps.authFailureLimiter,
    onFailure,
    // Console sessions are the control plane's: the data plane (and the inference routes, which
    // authenticate in their own scope) take bearer credentials only.
    ...(controlPlane ? { sessions: deps.consoleSessions } : {}),
    publicPrefixes: [docsPrefix, consoleAssetsPrefix],
  });
  const flushFailures = () =>
    Promise.all([
      deps.authFailureLog.flush().catch((err: unknown) => {
        app.log.error({ err }, 'could not record refused authentications');
      }),
      deps.deniedInference.flush().catch((err: unknown) => {
        app.log.error({ err }, 'could not record denied inference requests');
      }),
    ]);
  const flushTimer = setInterval(flushFailures, config.authFailures.auditIntervalSeconds * 1000);
  flushTimer.unref();
  app.addHook('onClose', async () => {
    clearInterval(flushTimer);
    await flushFailures();
  });
  const contextOf = (request: FastifyRequest): CallContext => ({
    principal: requirePrincipal(request),
    requestId: String(request.id),
    clientAddress: request.ip,
  });
  // Attached to the few routes whose action has no service behind it, not app-wide: every other route
  // (the inference API's above all) would otherwise pay an async hook's promise for nothing.
  app.addHook('onRoute', (route) => {
    const action = route.config?.action as PolicyAction | undefined;
    const resource = action ? singletonResources[action] : undefined;
    if (!action || !resource) return;
    const decide = async (request: FastifyRequest) =>
      deps.guard.require(contextOf(request), action, resource);
    route.preHandler = [decide, ...hookList(route.preHandler)];
  });
  for (const schema of [Problem, Model, ModelListItem, Version, Alias, AuditEntry, AuditCheckpoint])
    app.addSchema(schema);
  // Before any inference route is registered, so every one of them (/v2, /v1, /openai) is counted.
  observeInference(app, {
    metrics: deps.metrics.gateway,
    servingStats: deps.servingStats,
    serves: (model) => deps.gateway.serves(model),
    accessLog: {
      logger: deps.logger.child({ log: 'access' }),
      sampleRate: config.gateway.accessLog.sampleRate,
    },
  });

  if (controlPlane) {
    await registerOpenApi(app, deps.version);
    // The web console (dist/web) at /, on the API's origin: its pages are public, its data is the API's.
    consolePages = await registerConsole(app, { dir: deps.consoleDir });
    await app.register(multipart, { preservePath: true, defParamCharset: 'utf8' } as never);
  }
  await app.register(healthRoutes, { checks: deps.checks, version: deps.version });
  await app.register(metricsRoutes, { metrics: deps.metrics });
  if (controlPlane)
    await app.register(
      async (api) => {
        await api.register(modelRoutes, { registry: deps.registry, contextOf });
        await api.register(versionRoutes, { registry: deps.registry, contextOf, limits: config.limits });
        await api.register(aliasRoutes, { registry: deps.registry, contextOf });
        await api.register(signatureRoutes, { registry: deps.registry, contextOf });
        await api.register(referenceRoutes, {
          references: deps.references,
          contextOf,
          maxBytes: config.monitor.reference.maxBytes,
        });
        await api.register(attestationRoutes, { attestations: deps.attestations, contextOf });
        await api.register(tokenRoutes, {
          identity: deps.identity,
          principalOf: requirePrincipal,
          contextOf,
        });
        await api.register(auditRoutes, { audit: deps.audit, contextOf });
        await api.register(deployRoutes, { deploy: deps.deploy, contextOf });
        await api.register(servingRoutes, { gateway: deps.gateway, contextOf });
        await api.register(webhookRoutes, { webhooks: deps.webhooks, contextOf });
        await api.register(guardRoutes, { guardPolicies: deps.guardPolicies, contextOf });
        const { alerts, monitorPolicies } = deps;
        await api.register(monitorAlertRoutes, { alerts, monitorPolicies, contextOf });
        await api.register(monitorRoutes, {
          monitor: deps.monitor,
          references: deps.references.profiles,
          contextOf,
        });
        const gate = { limiter: deps.authFailureLimiter, onFailure };
        await api.register(sessionRoutes, { sessions: deps.consoleSessions, gate });
        await api.register(oidcSignInRoutes, { signIn: deps.oidcSignIn, gate });
        await api.register(permissionRoutes, { permissions: deps.permissions, contextOf });
      },
      { prefix: '/api/v1' },
    );
  // The inference API (Open Inference Protocol V2), outside /api/v1: its own error shape and authentication.
  await app.register(inferenceRoutes, {
    prefix: '/v2',
    gateway: deps.gateway,
    authentication: { authenticate: deps.gatewayAuthenticate, limiter: deps.authFailureLimiter, onFailure },
    maxBodyBytes: config.gateway.maxBodyBytes,
    version: deps.version,
  });
  // KServe's V1 protocol on the same gateway, with the same scope rules.
  await app.register(inferenceV1Routes, {
    prefix: '/v1',
    gateway: deps.gateway,
    authentication: { authenticate: deps.gatewayAuthenticate, limiter: deps.authFailureLimiter, onFailure },
    maxBodyBytes: config.gateway.maxBodyBytes,
  });
  // Chat completions for the chat models the gateway serves, where an OpenAI client expects them.
  await app.register(openAiRoutes, {
    prefix: '/openai/v1',
    gateway: deps.gateway,
    authentication: { authenticate: deps.gatewayAuthenticate, limiter: deps.authFailureLimiter, onFailure },
    maxBodyBytes: config.gateway.maxBodyBytes,
  });
  app.addHook('onReady', async () => {
    deps.gateway.start();
  });
  if (controlPlane) sweepConsoleSessions(app, deps.consoleSessions);
  app.addHook('onClose', async () => {
    await deps.gateway.stop();
  });
  return app;
}

/** Ended, expired and idle console sessions and stale sign-ins go at start and every ten minutes, in bounded batches. */
function sweepConsoleSessions(app: FastifyInstance, sessions: Pick<ConsoleSessionService, 'sweep'>): void {
  const sweep = () =>
    sessions.sweep().catch((err: unknown) => app.log.warn({ err }, 'could not sweep console sessions'));
  const timer = setInterval(sweep, 10 * 60_000);
  timer.unref();
  app.addHook('onReady', async () => {
    await sweep();
  });
  app.addHook('onClose', async () => clearInterval(timer));
}
