import Type, { type Static } from 'typebox';
import { slugPattern } from '../platform/slug.js';
import { ConsoleSchema, consoleDefaults } from './console.schema.js';
import type { ConsoleSettings } from './console-settings.js';
import { defaultEnvironments, EnvironmentSchema, type EnvironmentSettings } from './environments.js';
import { GatewaySchema, RedisSchema } from './gateway.schema.js';
import { MonitorSchema, monitorDefaults } from './monitor.schema.js';
import type { UpstreamSettings } from './upstreams.js';

const Size = (description: string) =>
  Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description });

/** The one description of Warden's configuration: the file, WARDEN_* variables and flags all land here. */
export const ConfigSchema = Type.Object(
  {
    host: Type.String({ minLength: 1, description: 'Address to listen on.' }),
    port: Type.Integer({
      minimum: 0,
      maximum: 65535,
      description: 'TCP port to listen on (0: any free port).',
    }),
    dataDir: Type.String({
      minLength: 1,
      description: 'Folder for the embedded database and artifact store.',
    }),
    dataDirPermissions: Type.Union([Type.Literal('refuse'), Type.Literal('warn')], {
      description:
        'When the data directory (0700) or its database and key files (0600) are open to group or others: refuse to start, or start and log a warning.',
    }),
    databaseUrl: Type.Union([Type.String({ pattern: '^postgres(ql)?://' }), Type.Null()], {
      description: 'PostgreSQL URL; null uses the SQLite file in the data directory.',
    }),
    logLevel: Type.Union(
      [
        Type.Literal('fatal'),
        Type.Literal('error'),
        Type.Literal('warn'),
        Type.Literal('info'),
        Type.Literal('debug'),
        Type.Literal('trace'),
        Type.Literal('silent'),
      ],
      { description: 'Log level.' },
    ),
    oidc: Type.Union(
      [
        Type.Object(
          {
            issuer: Type.String({ minLength: 1, description: 'Expected `iss` of accepted JWTs.' }),
            audience: Type.String({ minLength: 1, description: 'Expected `aud`.' }),
            jwksUrl: Type.String({
              pattern: '^https?://',
              description: "The issuer's JWKS URL (https, or http on loopback).",
            }),
            algorithms: Type.Optional(
              Type.Array(Type.String({ pattern: '^(RS|PS|ES)(256|384|512)$|^EdDSA$' }), {
                minItems: 1,
                uniqueItems: true,
                description:
                  'Accepted JWT algorithms (unset: RS256, ES256, EdDSA); none and HS* are refused.',
              }),
            ),
            rolesClaim: Type.Optional(
              Type.String({
                minLength: 1,
                description: 'Claim (dotted path) listing Warden roles (unset: warden_roles).',
              }),
            ),
            roleMap: Type.Optional(
              Type.Record(Type.String(), Type.String(), {
                description: 'Claim value → Warden role (config file only); unset: role names as they are.',
              }),
            ),
            teamsClaim: Type.Optional(
              Type.String({
                minLength: 1,
                description:
                  'Claim (dotted path) listing team names. Missing or malformed: no teams, access to no team-owned model.',
              }),
            ),
            requireTeams: Type.Optional(
              Type.Boolean({ description: 'Refuse (401) tokens whose teams claim names no team.' }),
            ),
            unscopedRoles: Type.Optional(
              Type.Array(Type.String({ minLength: 1 }), {
                description: "Roles-claim values that grant access to every team's models (unscoped).",
              }),
            ),
            unscopedTeam: Type.Optional(
              Type.String({
                minLength: 1,
                description: "A teams-claim value that grants access to every team's models (unscoped).",
              }),
            ),
          },
          { additionalProperties: false },
        ),
        Type.Null(),
      ],
      { description: 'Accept bearer JWTs from this OpenID Connect issuer; null accepts API tokens only.' },
    ),
    trustProxy: Type.Array(
      Type.String({
        minLength: 1,
        maxLength: 64,
        pattern: '^(loopback|linklocal|uniquelocal|[0-9A-Fa-f.:]+(/[0-9]{1,3})?)$',
      }),
      {
        maxItems: 100,
        description:
          'Addresses or CIDRs (or loopback, linklocal, uniquelocal) of reverse proxies whose X-Forwarded-For names the client (comma-separated in the variable); none: the socket address is the client.',
      },
    ),
    policyFiles: Type.Array(Type.String({ minLength: 1 }), {
      description:
        'Operator Cedar policy files or folders of *.cedar (comma-separated in the variable), added to the built-in role policies.',
    }),
    encryption: Type.Object(
      {
        masterKey: Type.Union([Type.String({ minLength: 1 }), Type.Null()], {
          description:
            'Base64 of a 32-byte key-encryption key; null keeps a generated keyring in <dataDir>/keys (a secret: never logged).',
        }),
      },
      { additionalProperties: false },
    ),
    audit: Type.Object(
      {
        checkpointEvery: Type.Integer({
          minimum: 1,
          maximum: 1_000_000,
          description: 'Sign a checkpoint every N entries.',
        }),
      },
      { additionalProperties: false },
    ),
    authFailures: Type.Object(
      {
        limit: Type.Integer({
          minimum: 1,
          maximum: 1_000_000,
          description: 'Failed authentications one client address may make per window before it is blocked.',
        }),
        windowSeconds: Type.Integer({
          minimum: 1,
          maximum: 86_400,
          description: 'The window, in seconds, over which failed authentications are counted.',
        }),
        blockSeconds: Type.Integer({
          minimum: 1,
          maximum: 86_400,
          description: 'How long a blocked address gets 429 (with Retry-After) for every request.',
        }),
        auditIntervalSeconds: Type.Integer({
          minimum: 1,
          maximum: 3_600,
          description:
            'Failed authentications are audited as one entry per address and reason per interval, with a count.',
        }),
      },
      { additionalProperties: false },
    ),
    environments: Type.Record(
      Type.String({ pattern: slugPattern }),
      Type.Union([EnvironmentSchema, Type.Null()]),
      {
        description:
          "Deployment environments by name (JSON in the variable), merged over the defaults dev, staging and production; null removes one. Unset settings take the defaults of dev or staging by name, production's otherwise.",
      },
    ),
    webhooks: Type.Object(
      {
        allowPrivateTargets: Type.Boolean({
          description:
            'Allow webhook targets on private, loopback and link-local addresses (checked on the resolved address at connect time).',
        }),
        timeoutSeconds: Type.Integer({
          minimum: 1,
          maximum: 120,
          description: 'How long one delivery attempt may take.',
        }),
        maxAttempts: Type.Integer({
          minimum: 1,
          maximum: 50,
          description: 'Delivery attempts per event and endpoint (exponential backoff between them).',
        }),
      },
      { additionalProperties: false },
    ),
    gateway: GatewaySchema,
    monitor: MonitorSchema,
    redis: RedisSchema,
    console: ConsoleSchema,
    limits: Type.Object(
      {
        maxFileBytes: Size('Largest single file in a version.'),
        maxVersionBytes: Size('Largest version, all files together.'),
        maxFilesPerVersion: Type.Integer({
          minimum: 1,
          maximum: 1_000_000,
          description: 'Most files in one version.',
        }),
        maxJsonBodyBytes: Type.Integer({
          minimum: 1024,
          maximum: 64 * 1024 * 1024,
          description: 'Largest JSON request body, and the metadata part of a push.',
        }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

/** The configuration as given: environments not yet resolved. */
export type ConfigInput = Static<typeof ConfigSchema>;

/** The configuration in effect: every environment with all its settings, every upstream resolved. */
export type Config = Omit<ConfigInput, 'environments' | 'gateway' | 'console'> & {
  environments: Record<string, EnvironmentSettings>;
  console: ConsoleSettings;
  gateway: Omit<ConfigInput['gateway'], 'upstreams'> & { upstreams: Record<string, UpstreamSettings> };
};

export const GiB = 1024 ** 3;
export const MiB = 1024 ** 2;

export const configDefaults: ConfigInput = {
  host: '127.0.0.1',
  port: 8080,
  dataDir: './warden-data',
  dataDirPermissions: 'refuse',
  databaseUrl: null,
  logLevel: 'info',
  oidc: null,
  trustProxy: [],
  policyFiles: [],
  encryption: { masterKey: null },
  audit: { checkpointEvery: 100 },
  authFailures: { limit: 20, windowSeconds: 60, blockSeconds: 300, auditIntervalSeconds: 60 },
  environments: defaultEnvironments,
  webhooks: { allowPrivateTargets: false, timeoutSeconds: 10, maxAttempts: 8 },
  gateway: {
    environment: 'production',
    intraOpThreads: 1,
    maxBodyBytes: 1 * MiB,
    maxRows: 10_000,
    rateLimit: {
      perPrincipal: { ratePerSecond: 1000, burst: 2000 },
      perAddress: { ratePerSecond: 2000, burst: 4000 },
    },
    upstreams: {},
    accessLog: { sampleRate: 0.01 },
    observations: { maxBytes: 4 * MiB },
    batching: { models: [], maxRows: 256 },
  },
  monitor: monitorDefaults,
  redis: { url: null, keyPrefix: 'warden' },
  console: consoleDefaults,
  limits: {
    maxFileBytes: 64 * GiB,
    maxVersionBytes: 256 * GiB,
    maxFilesPerVersion: 10_000,
    maxJsonBodyBytes: 1 * MiB,
  },
};

/** Environment variables and the config key each one sets. */
export const envKeys = {
  WARDEN_HOST: 'host',
  WARDEN_PORT: 'port',
  WARDEN_DATA_DIR: 'dataDir',
  WARDEN_DATA_DIR_PERMISSIONS: 'dataDirPermissions',
  WARDEN_DATABASE_URL: 'databaseUrl',
  WARDEN_LOG_LEVEL: 'logLevel',
  WARDEN_OIDC_ISSUER: 'oidc.issuer',
  WARDEN_OIDC_AUDIENCE: 'oidc.audience',
  WARDEN_OIDC_JWKS_URL: 'oidc.jwksUrl',
  WARDEN_OIDC_ALGORITHMS: 'oidc.algorithms',
  WARDEN_OIDC_ROLES_CLAIM: 'oidc.rolesClaim',
  WARDEN_OIDC_TEAMS_CLAIM: 'oidc.teamsClaim',
  WARDEN_OIDC_REQUIRE_TEAMS: 'oidc.requireTeams',
  WARDEN_OIDC_UNSCOPED_ROLES: 'oidc.unscopedRoles',
  WARDEN_OIDC_UNSCOPED_TEAM: 'oidc.unscopedTeam',
  WARDEN_TRUST_PROXY: 'trustProxy',
  WARDEN_POLICY_FILES: 'policyFiles',
  WARDEN_AUDIT_CHECKPOINT_EVERY: 'audit.checkpointEvery',
  WARDEN_MASTER_KEY: 'encryption.masterKey',
  WARDEN_AUTH_FAILURES_LIMIT: 'authFailures.limit',
  WARDEN_AUTH_FAILURES_WINDOW_SECONDS: 'authFailures.windowSeconds',
  WARDEN_AUTH_FAILURES_BLOCK_SECONDS: 'authFailures.blockSeconds',
  WARDEN_AUTH_FAILURES_AUDIT_INTERVAL_SECONDS: 'authFailures.auditIntervalSeconds',
  WARDEN_ENVIRONMENTS: 'environments',
  WARDEN_WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'webhooks.allowPrivateTargets',
  WARDEN_WEBHOOKS_TIMEOUT_SECONDS: 'webhooks.timeoutSeconds',
  WARDEN_WEBHOOKS_MAX_ATTEMPTS: 'webhooks.maxAttempts',
  WARDEN_GATEWAY_ENVIRONMENT: 'gateway.environment',
  WARDEN_GATEWAY_INTRA_OP_THREADS: 'gateway.intraOpThreads',
  WARDEN_GATEWAY_MAX_BODY_BYTES: 'gateway.maxBodyBytes',
  WARDEN_GATEWAY_MAX_ROWS: 'gateway.maxRows',
  WARDEN_GATEWAY_RATE_LIMIT_PER_PRINCIPAL_RATE_PER_SECOND: 'gateway.rateLimit.perPrincipal.ratePerSecond',
  WARDEN_GATEWAY_RATE_LIMIT_PER_PRINCIPAL_BURST: 'gateway.rateLimit.perPrincipal.burst',
  WARDEN_GATEWAY_RATE_LIMIT_PER_ADDRESS_RATE_PER_SECOND: 'gateway.rateLimit.perAddress.ratePerSecond',
  WARDEN_GATEWAY_RATE_LIMIT_PER_ADDRESS_BURST: 'gateway.rateLimit.perAddress.burst',
  WARDEN_MONITOR_ENABLED: 'monitor.enabled',
  WARDEN_MONITOR_DRAIN_SECONDS: 'monitor.drainSeconds',
  WARDEN_MONITOR_WINDOW_ROWS: 'monitor.window.rows',
  WARDEN_MONITOR_WINDOW_SECONDS: 'monitor.window.seconds',
  WARDEN_MONITOR_WINDOW_MIN_ROWS: 'monitor.window.minRows',
  WARDEN_MONITOR_SAMPLE_SIZE: 'monitor.sampleSize',
  WARDEN_MONITOR_REFERENCE_MAX_BYTES: 'monitor.reference.maxBytes',
  WARDEN_MONITOR_REFERENCE_SAMPLE_SIZE: 'monitor.reference.sampleSize',
  WARDEN_MONITOR_RETENTION_DAYS: 'monitor.retentionDays',
  WARDEN_REDIS_URL: 'redis.url',
  WARDEN_REDIS_KEY_PREFIX: 'redis.keyPrefix',
  WARDEN_GATEWAY_UPSTREAMS: 'gateway.upstreams',
  WARDEN_GATEWAY_ACCESS_LOG_SAMPLE_RATE: 'gateway.accessLog.sampleRate',
  WARDEN_GATEWAY_OBSERVATIONS_MAX_BYTES: 'gateway.observations.maxBytes',
  WARDEN_GATEWAY_BATCHING_MODELS: 'gateway.batching.models',
  WARDEN_GATEWAY_BATCHING_MAX_ROWS: 'gateway.batching.maxRows',
  WARDEN_CONSOLE_SESSION_IDLE_MINUTES: 'console.session.idleMinutes',
  WARDEN_CONSOLE_SESSION_ABSOLUTE_HOURS: 'console.session.absoluteHours',
  WARDEN_CONSOLE_OIDC_CLIENT_ID: 'console.oidc.clientId',
  WARDEN_CONSOLE_OIDC_CLIENT_SECRET: 'console.oidc.clientSecret',
  WARDEN_CONSOLE_OIDC_CLIENT_SECRET_FILE: 'console.oidc.clientSecretFile',
  WARDEN_CONSOLE_OIDC_REDIRECT_URI: 'console.oidc.redirectUri',
  WARDEN_CONSOLE_OIDC_SCOPES: 'console.oidc.scopes',
  WARDEN_MAX_FILE_BYTES: 'limits.maxFileBytes',
  WARDEN_MAX_VERSION_BYTES: 'limits.maxVersionBytes',
  WARDEN_MAX_FILES_PER_VERSION: 'limits.maxFilesPerVersion',
  WARDEN_MAX_JSON_BODY_BYTES: 'limits.maxJsonBodyBytes',
} as const;

/** Keys whose environment value is a comma-separated list. */
export const listKeys = new Set<string>([
  'policyFiles',
  'trustProxy',
  'oidc.algorithms',
  'oidc.unscopedRoles',
  'console.oidc.scopes',
  'gateway.batching.models',
]);

/** Keys whose environment value is a boolean: `true`/`false`/`1`/`0`, nothing else. */
export const booleanKeys = new Set<string>([
  'oidc.requireTeams',
  'webhooks.allowPrivateTargets',
  'monitor.enabled',
]);

/** Keys whose environment value is a JSON object, merged like the same object in the config file. */
export const jsonKeys = new Set<string>(['environments', 'gateway.upstreams']);

/** Numeric keys that take a fraction (a rate), not a size. */
export const decimalKeys = new Set<string>([
  'gateway.rateLimit.perPrincipal.ratePerSecond',
  'gateway.rateLimit.perAddress.ratePerSecond',
  'gateway.accessLog.sampleRate',
]);

export const numericKeys = new Set<string>([
  'port',
  'audit.checkpointEvery',
  'authFailures.limit',
  'authFailures.windowSeconds',
  'authFailures.blockSeconds',
  'authFailures.auditIntervalSeconds',
  'webhooks.timeoutSeconds',
  'webhooks.maxAttempts',
  'gateway.intraOpThreads',
  'gateway.maxBodyBytes',
  'gateway.maxRows',
  'gateway.rateLimit.perPrincipal.ratePerSecond',
  'gateway.rateLimit.perPrincipal.burst',
  'gateway.rateLimit.perAddress.ratePerSecond',
  'gateway.rateLimit.perAddress.burst',
  'gateway.accessLog.sampleRate',
  'gateway.observations.maxBytes',
  'gateway.batching.maxRows',
  'monitor.drainSeconds',
  'monitor.window.rows',
  'monitor.window.seconds',
  'monitor.window.minRows',
  'monitor.sampleSize',
  'monitor.reference.maxBytes',
  'monitor.reference.sampleSize',
  'monitor.retentionDays',
  'console.session.idleMinutes',
  'console.session.absoluteHours',
  'limits.maxFileBytes',
  'limits.maxVersionBytes',
  'limits.maxFilesPerVersion',
  'limits.maxJsonBodyBytes',
]);
