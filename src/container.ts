import { access, constants, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import type { Logger as PinoLogger } from 'pino';
import { createFsObjectStore } from './adapters/blob/fs-object-store.js';
import { loadPolicyEngine } from './adapters/cedar/index.js';
import { createAdminTokenFileWriter } from './adapters/local/admin-token-file.js';
import { loadOrCreateAuditKey } from './adapters/local/audit-key.js';
import { secureDataDir } from './adapters/local/data-dir-permissions.js';
import { createPromMetrics } from './adapters/metrics/prom-metrics.js';
import { createJwtVerifier } from './adapters/oidc/jwt-verifier.js';
import { createMemoryFailureLimiter } from './adapters/rate-limit/flexible-failure-limiter.js';
import { openDatabase } from './adapters/sql/db.js';
import type { Stores } from './adapters/sql/stores.js';
import { createSqlStores, createSqlUnitOfWork } from './adapters/sql/unit-of-work.js';
import { createDnsHostResolver, createHttpWebhookSender } from './adapters/webhook/http-webhook-sender.js';
import { openBlobKeys } from './blob-keys.js';
import { composeConsole } from './compose-console.js';
import { composeGateway } from './compose-gateway.js';
import { composeMonitoring } from './compose-monitoring.js';
import { composePermissions } from './compose-permissions.js';
import { type Config, checkEnvironmentGates } from './config/index.js';
import { createEncryptingBlobStore } from './modules/artifacts/index.js';
import {
  createAttestationService,
  describeAttestationEvent,
  vulnerabilityEvidence,
} from './modules/attestations/index.js';
import {
  createAuditLog,
  createAuditQueryService,
  createAuditRecorder,
  createAuditService,
  createAuditTally,
} from './modules/audit/index.js';
import { createChangeFeed, createDeployService, describeDeployEvent } from './modules/deploy/index.js';
import { cachedAuthenticator, describeGatewayEvent } from './modules/gateway/index.js';
import {
  createAuthenticator,
  createAuthFailureLog,
  createIdentityService,
  describeIdentityEvent,
  ensureBootstrapAdmin,
} from './modules/identity/index.js';
import {
  createAccess,
  createAccessGuard,
  createAuthorizer,
  type DescribeEvent,
} from './modules/policy/index.js';
import { createRegistryService, describeRegistryEvent } from './modules/registry/index.js';
import { createSignatureVerifier } from './modules/signing/index.js';
import {
  createWebhookDispatcher,
  createWebhookService,
  describeWebhookEvent,
} from './modules/webhooks/index.js';
import { type Clock, systemClock } from './platform/clock.js';
import { prepareDatabase, startUp } from './start-up.js';

export interface ContainerOptions {
  /**
   * `server` (default): the whole of Warden. `gateway`: the data plane alone (`warden gateway`), joining a
   * database and data directory that a server owns: it takes no lock, runs no migration and no start-up
   * work, creates no key, and never starts the work that must run once (webhook delivery).
   */
  role?: 'server' | 'gateway';
  /** What time it is for every service (default: the system clock); tests pass one they can move. */
  clock?: Clock;
}

/**
 * The composition root: configuration → adapters → services. Nothing else knows both sides. It only
 * wires; what a start does to the data (migrations, crash clean-up, bootstrap) is in start-up.ts.
 */
export async function createContainer(
  config: Readonly<Config>,
  logger: PinoLogger,
  options: ContainerOptions = {},
) {
  const role = options.role ?? 'server';
  const clock = options.clock ?? systemClock;
  // Policies first: an invalid operator policy stops the start before anything is opened.
  const {
    engine: policyEngine,
    gates: gateEngine,
    files: policyFiles,
  } = await loadPolicyEngine({
    extraFiles: [...config.policyFiles],
  });
  // Every gate an environment names must be defined by a gate policy: a typo must not pass silently.
  checkEnvironmentGates(config, gateEngine.gates);
  for (const warning of policyEngine.warnings)
    logger.warn({ policy: warning }, 'authorization policy warning');
  logger.debug({ policyFiles }, 'authorization policies loaded');
  const jwt = config.oidc ? createJwtVerifier(config.oidc) : null;

  // Before anything is opened or created inside it: the data directory and its secrets are private.
  for (const open of await secureDataDir(config.dataDir, config.dataDirPermissions))
    logger.warn(
      { event: 'data_dir.insecure', path: open.path, mode: open.mode, fix: open.fix },
      `${open.path} is open to group or others (mode ${open.mode}); run \`${open.fix}\``,
    );

  const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const lock = await prepareDatabase(database, config.dataDir, logger, role);
  // Set once the dispatcher exists: a commit that wrote an outbox event wakes it, and close stops it first.
  let wakeDispatcher = () => {};
  let stopDispatcher = async () => {};
  let stopGateway = async () => {};
  let stopMonitor = async () => {};
  let closeRedis = async () => {};
  const close = async () => {
    // The monitor first: its last windows are written while the database is still open.
    await stopMonitor();
    await stopGateway();
    await closeRedis();
    await stopDispatcher();
    await database.close();
    await lock?.release();
  };

  try {
    const blobRoot = path.join(config.dataDir, 'blobs');
    await mkdir(blobRoot, { recursive: true, mode: 0o700 });
    // Every blob is encrypted with its own data key, wrapped by the key-encryption key of the keyring.
    const objects = createFsObjectStore({ root: blobRoot });
    const keys = await openBlobKeys(config, objects, role === 'server');
    const blobs = createEncryptingBlobStore(objects, keys);

    const uow = createSqlUnitOfWork(database.db, database.capabilities, {
      onOutboxCommit: () => wakeDispatcher(),
    });
    const read = createSqlStores(database.db, database.capabilities);

    const auditKey = await loadOrCreateAuditKey(config.dataDir, { allowCreate: role === 'server' });
    const auditLog = createAuditLog({
      clock,
      signer: auditKey,
      retiredVkeys: auditKey.retiredVkeys,
      origin: 'warden/audit',
      checkpointEvery: config.audit.checkpointEvery,
    });
    const recorder = createAuditRecorder({ uow, log: auditLog });
    const auditQuery = createAuditQueryService({
      read: read.audit,
      uow,
      log: auditLog,
      retiredVkeys: auditKey.retiredVkeys,
    });

    const metrics = createPromMetrics();
    // In process for one server; a RateLimiterRedis behind the same port when servers share the load.
    const authFailureLimiter = createMemoryFailureLimiter(config.authFailures);
    const authFailureLog = createAuthFailureLog({
      record: (event) => recorder.record(event),
      count: metrics.countAuthFailure,
      now: () => clock.now(),
    });

    // Denials on the inference path, counted per principal, action and resource and written with the
    // refused authentications: a valid token without the permission cannot add one audit row per request.
    const deniedInference = createAuditTally({
      record: (event) => recorder.record(event),
      now: () => systemClock.now(),
    });

    const authorizer = createAuthorizer({ engine: policyEngine });
    // One access contract for every module: the shared guard, the audit log, and the module's event mapper.
    const guard = createAccessGuard({
      authorizer,
      log: auditLog,
      uow,
      tallied: { actions: ['inference:invoke'], tally: deniedInference },
    });
    const accessFor = <E>(describe: DescribeEvent<E>) =>
      createAccess({ guard, log: auditLog, uow, describe, clock });
    const identityAccess = accessFor(describeIdentityEvent);
    const audit = createAuditService({ queries: auditQuery, guard });

    const identity = createIdentityService<Stores>({
      uow,
      read,
      clock,
      logger,
      access: identityAccess,
    });
    const authenticate = createAuthenticator({ tokens: identity, jwt });
    // Console sessions (cookie sign-in with a token or at the OIDC issuer).
    const { consoleSessions, oidcSignIn } = composeConsole({
      config,
      logger,
      uow,
      read,
      clock,
      access: identityAccess,
      tokens: identity,
    });

    const registry = createRegistryService({
      uow,
      read,
      blobs,
      clock,
      logger,
      limits: config.limits,
      access: accessFor(describeRegistryEvent),
      verifier: createSignatureVerifier(),
    });
    const attestations = createAttestationService({
      uow,
      read,
      clock,
      access: accessFor(describeAttestationEvent),
    });

    const deploy = createDeployService<Stores>({
      uow,
      read,
      clock,
      logger,
      access: accessFor(describeDeployEvent),
      gates: gateEngine,
      verifier: createSignatureVerifier(),
      environments: config.environments,
      vulnerabilities: async (stores, versionId) =>
        vulnerabilityEvidence(await stores.attestations.listForVersion(versionId)),
      feed: createChangeFeed(),
    });

    // The inference gateway (/v2), its guards and their per-deployment policies.
    const {
      gateway,
      guardPolicyService,
      observations,
      servingStats,
      extractionAlerts,
      closeRedis: closeGatewayRedis,
    } = await composeGateway({
      config,
      logger,
      read,
      uow,
      registry,
      deploy,
      access: accessFor(describeGatewayEvent),
      metrics: metrics.gateway,
      clock,
    });
    closeRedis = closeGatewayRedis;
    stopGateway = () => gateway.stop();
    // Monitoring: reference datasets, windows over the gateway's observations, drift, alerts and rollback.
    const monitoring = await composeMonitoring({
      ...{ config, logger, clock, database, read, uow, blobs, accessFor, guard, role, registry, deploy },
      gateway: { observations, servingStats, extractionAlerts },
      metrics,
    });
    const { references, monitor } = monitoring;
    stopMonitor = () => monitor.stop();

    // Webhooks: endpoints (secrets wrapped by the blob keyring's KEK) and the dispatcher that delivers the
    // outbox; `warden serve` starts it once it listens.
    const webhooks = createWebhookService({
      uow,
      read,
      keys,
      resolver: createDnsHostResolver(),
      clock,
      access: accessFor(describeWebhookEvent),
      allowPrivateTargets: config.webhooks.allowPrivateTargets,
    });
    const webhookDispatcher = createWebhookDispatcher({
      uow,
      read,
      keys,
      sender: createHttpWebhookSender({ allowPrivateTargets: config.webhooks.allowPrivateTargets }),
      clock,
      logger,
      timeoutSeconds: config.webhooks.timeoutSeconds,
      maxAttempts: config.webhooks.maxAttempts,
    });
    wakeDispatcher = () => webhookDispatcher.wake();
    stopDispatcher = () => webhookDispatcher.stop();

    // A gateway process leaves all of this to the server: sweeping staging areas or collecting blobs here
    // would race the server's uploads and deletions.
    const boot =
      role === 'gateway'
        ? null
        : await startUp({
            logger,
            blobRoot,
            blobs,
            keys,
            bootstrapAdmin: () =>
              ensureBootstrapAdmin({
                uow,
                clock,
                writeAdminToken: createAdminTokenFileWriter(config.dataDir),
                // No caller at the first start: its changes are the system's.
                recordEvent: (stores, event) => identityAccess.record(stores, null, event),
              }),
            collectPendingBlobs: () => registry.collectPendingBlobs(),
            rewrapWebhookSecrets: () => webhooks.rewrapSecrets(),
          });

    const checks = {
      database: async () => {
        await sql`select 1`.execute(database.db);
        return true;
      },
      artifacts: async () => {
        await access(blobRoot, constants.W_OK);
        return true;
      },
    };

    return {
      config,
      logger,
      registry,
      references,
      deploy,
      attestations,
      identity,
      webhooks,
      /** Delivers the outbox to webhook endpoints; started by `warden serve`, stopped by `close`. */
      webhookDispatcher,
      authenticate,
      consoleSessions,
      oidcSignIn,
      /** The inference path's authentication: successes remembered for one second (no database read per call). */
      gatewayAuthenticate: cachedAuthenticator(authenticate, { ttlMs: 1000 }),
      /** Started by buildApp once the app is ready, stopped by the app's close and by `close`. */
      gateway,
      /** Per-deployment guard policies (/api/v1/environments/{env}/models/{model}/guards). */
      guardPolicies: guardPolicyService,
      /** Recent successful requests per deployment and digest, drained by the monitoring module. */
      observations,
      /** Monitoring's reads and labels (the API); `monitorRunner.start()` begins its ticks (`warden serve`). */
      monitor: monitor.reads,
      monitorRunner: monitor,
      /** Every inference answer, per minute over the last hour, fed by the transport (buildApp). */
      servingStats,
      /** Monitor alerts (`onWindow`, `onInterval`, `alerts`) and per-deployment monitor policies. */
      alerts: monitoring.alerts,
      monitorPolicies: monitoring.monitorPolicies,
      /** "May I do this here?" for the console: decided by the modules owning each target, never recorded. */
      permissions: composePermissions({ config, read, guard, gateway }),
      guard,
      recorder,
      audit,
      /** The log's reads without a caller (tests and offline tools); the API goes through `audit`. */
      auditQuery,
      auditVkey: auditKey.vkey,
      checks,
      authFailureLimiter,
      authFailureLog,
      deniedInference,
      metrics,
      /** Set on the very first start only: the bootstrap admin token, to be shown once. */
      firstAdminToken: boot?.created ? { token: boot.token, file: boot.file } : null,
      role,
      describeDatabase: database.describe,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

export type Container = Awaited<ReturnType<typeof createContainer>>;
