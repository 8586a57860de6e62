import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { booleanKeys, ConfigSchema, configDefaults, envKeys, GiB, MiB } from './config.schema.js';
import { resolveEnvironment } from './environments.js';
import { type ConfigProblem, configInvalid, loadConfig } from './load-config.js';

const defaultEnvironments = {
  dev: resolveEnvironment('dev', {}),
  staging: resolveEnvironment('staging', {}),
  production: resolveEnvironment('production', {}),
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'warden-config-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a config file into the test folder and returns its absolute path. */
function configFile(name: string, content: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function problemsOf(load: () => unknown): ConfigProblem[] {
  try {
    load();
  } catch (err) {
    if (configInvalid.is(err)) return (err.details as { problems: ConfigProblem[] }).problems;
    throw err;
  }
  throw new Error('expected config_invalid');
}

const problem = (key: string, source: string | RegExp) =>
  expect.objectContaining({
    key,
    source: typeof source === 'string' ? source : expect.stringMatching(source),
  });

const cwd = path.resolve(path.sep, 'srv', 'warden');

describe('loadConfig', () => {
  it('uses the defaults when nothing is set', () => {
    expect(loadConfig({ env: {}, cwd })).toEqual({
      ...configDefaults,
      environments: defaultEnvironments,
      dataDir: path.join(cwd, 'warden-data'),
    });
  });

  it('layers file < environment < flags', () => {
    const file = configFile('layers.json', {
      host: '0.0.0.0',
      port: 1000,
      logLevel: 'debug',
      dataDir: 'from-file',
      limits: { maxFilesPerVersion: 50 },
    });
    const config = loadConfig({
      cwd,
      file,
      env: { WARDEN_PORT: '2000', WARDEN_LOG_LEVEL: 'warn' },
      flags: { port: 3000, host: undefined },
    });
    expect(config.host).toBe('0.0.0.0');
    expect(config.logLevel).toBe('warn');
    expect(config.port).toBe(3000);
    expect(config.dataDir).toBe(path.join(cwd, 'from-file'));
    expect(config.limits).toEqual({ ...configDefaults.limits, maxFilesPerVersion: 50 });
  });

  it('maps WARDEN_* variables onto their keys', () => {
    const config = loadConfig({
      cwd,
      env: {
        WARDEN_HOST: '::1',
        WARDEN_PORT: '9090',
        WARDEN_DATA_DIR: 'data',
        WARDEN_DATA_DIR_PERMISSIONS: 'warn',
        WARDEN_DATABASE_URL: 'postgres://warden@db:5432/warden',
        WARDEN_LOG_LEVEL: 'error',
        WARDEN_MAX_FILES_PER_VERSION: '20',
        WARDEN_MAX_JSON_BODY_BYTES: '4096',
        WARDEN_OIDC_ISSUER: 'https://idp.example',
        WARDEN_OIDC_AUDIENCE: 'warden',
        WARDEN_OIDC_JWKS_URL: 'https://idp.example/jwks',
        WARDEN_OIDC_ALGORITHMS: 'RS256, ES256',
        WARDEN_OIDC_ROLES_CLAIM: 'realm_access.roles',
        WARDEN_OIDC_TEAMS_CLAIM: 'groups',
        WARDEN_OIDC_REQUIRE_TEAMS: 'true',
        WARDEN_TRUST_PROXY: '10.0.0.1, 192.168.0.0/16',
        WARDEN_POLICY_FILES: 'extra.cedar,policies.d',
        WARDEN_AUDIT_CHECKPOINT_EVERY: '50',
        WARDEN_AUTH_FAILURES_LIMIT: '5',
        WARDEN_AUTH_FAILURES_BLOCK_SECONDS: '900',
        WARDEN_GATEWAY_ENVIRONMENT: 'staging',
        WARDEN_GATEWAY_INTRA_OP_THREADS: '2',
        WARDEN_GATEWAY_MAX_BODY_BYTES: '4MiB',
        WARDEN_GATEWAY_MAX_ROWS: '500',
        WARDEN_GATEWAY_RATE_LIMIT_PER_PRINCIPAL_RATE_PER_SECOND: '0.5',
        WARDEN_GATEWAY_RATE_LIMIT_PER_ADDRESS_BURST: '30',
        WARDEN_REDIS_URL: 'redis://:pw@cache:6379/2',
        WARDEN_REDIS_KEY_PREFIX: 'warden-eu',
        WARDEN_GATEWAY_ACCESS_LOG_SAMPLE_RATE: '0.5',
        WARDEN_GATEWAY_OBSERVATIONS_MAX_BYTES: '1MiB',
        WARDEN_GATEWAY_BATCHING_MODELS: 'iris, fraud-score',
        WARDEN_GATEWAY_BATCHING_MAX_ROWS: '64',
        WARDEN_MONITOR_ENABLED: 'false',
        WARDEN_MONITOR_WINDOW_ROWS: '250',
        WARDEN_MONITOR_REFERENCE_MAX_BYTES: '64MiB',
      },
    });
    expect(config).toEqual({
      host: '::1',
      port: 9090,
      dataDir: path.join(cwd, 'data'),
      dataDirPermissions: 'warn',
      databaseUrl: 'postgres://warden@db:5432/warden',
      logLevel: 'error',
      oidc: {
        issuer: 'https://idp.example',
        audience: 'warden',
        jwksUrl: 'https://idp.example/jwks',
        algorithms: ['RS256', 'ES256'],
        rolesClaim: 'realm_access.roles',
        teamsClaim: 'groups',
        requireTeams: true,
      },
      trustProxy: ['10.0.0.1', '192.168.0.0/16'],
      policyFiles: [path.join(cwd, 'extra.cedar'), path.join(cwd, 'policies.d')],
      encryption: { masterKey: null },
      audit: { checkpointEvery: 50 },
      authFailures: { ...configDefaults.authFailures, limit: 5, blockSeconds: 900 },
      limits: { ...configDefaults.limits, maxFilesPerVersion: 20, maxJsonBodyBytes: 4096 },
      environments: defaultEnvironments,
      webhooks: configDefaults.webhooks,
      gateway: {
        environment: 'staging',
        intraOpThreads: 2,
        maxBodyBytes: 4 * MiB,
        maxRows: 500,
        upstreams: {},
        rateLimit: {
          perPrincipal: { ratePerSecond: 0.5, burst: 2000 },
          perAddress: { ratePerSecond: 2000, burst: 30 },
        },
        accessLog: { sampleRate: 0.5 },
        observations: { maxBytes: 1 * MiB },
        batching: { models: ['iris', 'fraud-score'], maxRows: 64 },
      },
      monitor: {
        ...configDefaults.monitor,
        enabled: false,
        window: { ...configDefaults.monitor.window, rows: 250 },
        reference: { ...configDefaults.monitor.reference, maxBytes: 64 * MiB },
      },
      redis: { url: 'redis://:pw@cache:6379/2', keyPrefix: 'warden-eu' },
      console: configDefaults.console,
    });
  });

  it('ignores empty variables and variables outside WARDEN_*', () => {
    const config = loadConfig({ cwd, env: { WARDEN_PORT: '', PORT: '1', HOME: '/root', warden_port: 'x' } });
    expect(config.port).toBe(configDefaults.port);
  });

  it('reads sizes with units from the environment and the file', () => {
    const file = configFile('sizes.json', { limits: { maxJsonBodyBytes: '2MiB', maxFilesPerVersion: 7 } });
    const config = loadConfig({
      cwd,
      file,
      env: { WARDEN_MAX_FILE_BYTES: '512MiB', WARDEN_MAX_VERSION_BYTES: '2GB' },
    });
    expect(config.limits).toEqual({
      maxFileBytes: 512 * MiB,
      maxVersionBytes: 2_000_000_000,
      maxFilesPerVersion: 7,
      maxJsonBodyBytes: 2 * MiB,
    });
  });

  it('accepts a postgresql:// URL and a null databaseUrl from the file', () => {
    expect(loadConfig({ cwd, env: { WARDEN_DATABASE_URL: 'postgresql://h/db' } }).databaseUrl).toBe(
      'postgresql://h/db',
    );
    const file = configFile('null-url.json', { databaseUrl: null });
    expect(loadConfig({ cwd, file, env: {} }).databaseUrl).toBeNull();
  });

  it('resolves dataDir against cwd and keeps an absolute one', () => {
    expect(loadConfig({ cwd, env: {}, flags: { dataDir: '../shared/data' } }).dataDir).toBe(
      path.resolve(cwd, '../shared/data'),
    );
    const absolute = path.join(dir, 'abs-data');
    expect(loadConfig({ cwd, env: { WARDEN_DATA_DIR: absolute } }).dataDir).toBe(absolute);
  });

  it('reads the file named by WARDEN_CONFIG, and prefers an explicit file', () => {
    const fromEnv = configFile('from-env.json', { port: 1111 });
    const explicit = configFile('explicit.json', { port: 2222 });
    expect(loadConfig({ cwd, env: { WARDEN_CONFIG: fromEnv } }).port).toBe(1111);
    expect(loadConfig({ cwd, file: explicit, env: { WARDEN_CONFIG: fromEnv } }).port).toBe(2222);
  });

  it('finds a relative config file from cwd, not from the process directory', () => {
    configFile('relative.json', { port: 3333 });
    expect(loadConfig({ cwd: dir, file: 'relative.json', env: {} }).port).toBe(3333);
    expect(loadConfig({ cwd: dir, env: { WARDEN_CONFIG: './relative.json' } }).port).toBe(3333);
  });

  it('returns a deeply frozen object', () => {
    const config = loadConfig({ cwd, env: {} });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.limits)).toBe(true);
    expect(() => {
      (config as { port: number }).port = 1;
    }).toThrow(TypeError);
    expect(() => {
      (config.limits as { maxFileBytes: number }).maxFileBytes = 1;
    }).toThrow(TypeError);
    expect(configDefaults.limits.maxFileBytes).toBe(64 * GiB);
    expect(Object.isFrozen(configDefaults)).toBe(false);
  });

  it('reports every problem together, each with its key and source', () => {
    const file = configFile('bad.json', { colour: 'red', databaseUrl: 'mysql://x' });
    let thrown: unknown;
    try {
      loadConfig({ cwd, file, env: { WARDEN_PORT: 'abc' }, flags: { 'limits.maxFileBytes': -5 } });
    } catch (err) {
      thrown = err;
    }
    expect(configInvalid.is(thrown)).toBe(true);
    expect(thrown).toMatchObject({ code: 'config_invalid', kind: 'invalid' });
    const problems = (thrown as { details: { problems: ConfigProblem[] } }).details.problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        problem('port', 'env WARDEN_PORT'),
        problem('colour', `file ${file}`),
        problem('databaseUrl', `file ${file}`),
        problem('limits.maxFileBytes', 'flag'),
      ]),
    );
    const message = (thrown as Error).message;
    for (const key of ['port', 'colour', 'databaseUrl', 'limits.maxFileBytes'])
      expect(message).toContain(key);
  });

  it('does not let one key with many schema errors hide the others', () => {
    const problems = problemsOf(() =>
      loadConfig({
        cwd,
        env: { WARDEN_LOG_LEVEL: 'loud', WARDEN_DATABASE_URL: 'mysql://x' },
        flags: { 'limits.maxFileBytes': 0, 'limits.maxVersionBytes': -1, port: 70_000, host: '' },
      }),
    );
    for (const key of [
      'logLevel',
      'databaseUrl',
      'limits.maxFileBytes',
      'limits.maxVersionBytes',
      'port',
      'host',
    ]) {
      expect(problems.map((p) => p.key)).toContain(key);
    }
  });

  it('reports a port that is not a number, and one out of range', () => {
    expect(problemsOf(() => loadConfig({ cwd, env: { WARDEN_PORT: '80x' } }))).toEqual(
      expect.arrayContaining([problem('port', 'env WARDEN_PORT')]),
    );
    expect(problemsOf(() => loadConfig({ cwd, env: {}, flags: { port: 65_536 } }))).toEqual([
      problem('port', 'flag'),
    ]);
  });

  it('refuses a Redis URL of another scheme (without echoing it) and an empty or zero bucket', () => {
    let thrown: unknown;
    try {
      loadConfig({
        cwd,
        env: {
          WARDEN_REDIS_URL: 'http://:hunter2@cache:6379',
          WARDEN_GATEWAY_RATE_LIMIT_PER_PRINCIPAL_BURST: '0',
          WARDEN_GATEWAY_RATE_LIMIT_PER_ADDRESS_RATE_PER_SECOND: 'many',
        },
      });
    } catch (err) {
      thrown = err;
    }
    const problems = (thrown as { details: { problems: ConfigProblem[] } }).details.problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        problem('redis.url', /^env/),
        problem('gateway.rateLimit.perPrincipal.burst', /^env/),
        problem('gateway.rateLimit.perAddress.ratePerSecond', /^env/),
      ]),
    );
    expect((thrown as Error).message).not.toContain('hunter2');
  });

  it('reports a size that cannot be read', () => {
    expect(problemsOf(() => loadConfig({ cwd, env: { WARDEN_MAX_FILE_BYTES: 'lots' } }))).toEqual(
      expect.arrayContaining([problem('limits.maxFileBytes', 'env WARDEN_MAX_FILE_BYTES')]),
    );
  });

  it('reads the access-log sample rate as a fraction, and reports one that is not, or above 1', () => {
    const env = (v: string) => ({ WARDEN_GATEWAY_ACCESS_LOG_SAMPLE_RATE: v });
    expect(loadConfig({ cwd, env: env('0.25') }).gateway.accessLog.sampleRate).toBe(0.25);
    const key = 'gateway.accessLog.sampleRate';
    for (const bad of ['1%', '2', '-0.1'])
      expect(problemsOf(() => loadConfig({ cwd, env: env(bad) }))).toEqual(
        expect.arrayContaining([problem(key, /^env/)]),
      );
  });

  it('reports an unknown WARDEN_ variable but allows the client ones', () => {
    const file = configFile('empty.json', {});
    expect(problemsOf(() => loadConfig({ cwd, env: { WARDEN_PROT: '80' } }))).toEqual([
      problem('WARDEN_PROT', 'env WARDEN_PROT'),
    ]);
    const config = loadConfig({
      cwd,
      env: { WARDEN_URL: 'http://localhost:8080', WARDEN_TOKEN: 'secret', WARDEN_CONFIG: file },
    });
    expect(config.port).toBe(configDefaults.port);
  });

  it('reports a missing config file under the key (file)', () => {
    const missing = path.join(dir, 'missing.json');
    expect(problemsOf(() => loadConfig({ cwd, file: missing, env: {} }))).toEqual([
      { key: '(file)', source: `file ${missing}`, message: 'file not found' },
    ]);
  });

  it.each([
    ['an array', '[1, 2]'],
    ['a string', '"port: 80"'],
    ['a number', '42'],
    ['null', 'null'],
  ])('reports a config file holding %s under the key (file)', (_what, content) => {
    const file = configFile('not-object.json', content);
    expect(problemsOf(() => loadConfig({ cwd, file, env: {} }))).toEqual([
      { key: '(file)', source: `file ${file}`, message: 'must be a JSON object' },
    ]);
  });

  it('reports a file that is not JSON under the key (file), beside other problems', () => {
    const file = configFile('broken.json', '{ "port": ');
    expect(problemsOf(() => loadConfig({ cwd, file, env: { WARDEN_PORT: 'abc' } }))).toEqual(
      expect.arrayContaining([problem('(file)', `file ${file}`), problem('port', 'env WARDEN_PORT')]),
    );
  });

  it('reports unknown keys nested in limits', () => {
    const file = configFile('nested.json', { limits: { maxFileByte: 10 } });
    expect(problemsOf(() => loadConfig({ cwd, file, env: {} }))).toEqual(
      expect.arrayContaining([problem('limits.maxFileByte', `file ${file}`)]),
    );
  });

  it('treats a __proto__ key in the file as unknown and leaves Object.prototype alone', () => {
    const file = configFile('proto.json', '{ "__proto__": { "polluted": "yes" }, "port": 1234 }');
    const problems = problemsOf(() => loadConfig({ cwd, file, env: {} }));
    expect(problems.map((p) => p.key)).toContain('__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  const oidcEnv = {
    WARDEN_OIDC_ISSUER: 'https://idp.example',
    WARDEN_OIDC_AUDIENCE: 'warden',
    WARDEN_OIDC_JWKS_URL: 'https://idp.example/jwks',
    WARDEN_OIDC_TEAMS_CLAIM: 'groups',
  };

  it.each([
    ['true', true],
    ['1', true],
    ['false', false],
    ['0', false],
    [' true ', true],
  ])('reads the boolean variable WARDEN_OIDC_REQUIRE_TEAMS=%j', (raw, expected) => {
    const config = loadConfig({ cwd, env: { ...oidcEnv, WARDEN_OIDC_REQUIRE_TEAMS: raw } });
    expect(config.oidc?.requireTeams).toBe(expected);
  });

  it.each(['yes', 'no', 'on', 'TRUE', 'False', '2', 'true1', '-1'])(
    'refuses %j as a boolean, naming the variable',
    (raw) => {
      const problems = problemsOf(() =>
        loadConfig({ cwd, env: { ...oidcEnv, WARDEN_OIDC_REQUIRE_TEAMS: raw } }),
      );
      expect(problems).toEqual([problem('oidc.requireTeams', 'env WARDEN_OIDC_REQUIRE_TEAMS')]);
      expect(problems[0]?.message).toContain('is not a boolean');
    },
  );

  it('gives every boolean setting of the schema a variable read as a boolean', () => {
    const booleans: string[] = [];
    const walk = (node: Record<string, unknown>, prefix: string) => {
      for (const [name, child] of Object.entries(
        (node.properties ?? {}) as Record<string, Record<string, unknown>>,
      )) {
        const key = prefix ? `${prefix}.${name}` : name;
        for (const member of [child, ...((child.anyOf ?? []) as Record<string, unknown>[])]) {
          if (member.type === 'boolean') booleans.push(key);
          if (member.type === 'object') walk(member, key);
        }
      }
    };
    walk(ConfigSchema as unknown as Record<string, unknown>, '');
    expect(booleans).toContain('oidc.requireTeams');
    const envKeyValues = new Set<string>(Object.values(envKeys));
    for (const key of booleans) {
      expect(envKeyValues.has(key), `${key} has no WARDEN_ variable`).toBe(true);
      expect(booleanKeys.has(key), `${key} is not parsed as a boolean`).toBe(true);
    }
  });

  it('reads trusted proxies as a list and refuses one that is no address or CIDR', () => {
    expect(loadConfig({ cwd, env: {} }).trustProxy).toEqual([]);
    expect(loadConfig({ cwd, env: { WARDEN_TRUST_PROXY: '127.0.0.1,::1, 10.0.0.0/8' } }).trustProxy).toEqual([
      '127.0.0.1',
      '::1',
      '10.0.0.0/8',
    ]);
    expect(
      problemsOf(() => loadConfig({ cwd, env: { WARDEN_TRUST_PROXY: 'proxy.internal' } })).map((p) => p.key),
    ).toContain('trustProxy.0');
    for (const bad of ['999.1.1.1', '10.0.0.0/33', '::1/129', '1.2.3', ':::'])
      expect(
        problemsOf(() => loadConfig({ cwd, env: { WARDEN_TRUST_PROXY: `loopback,${bad}` } })),
        bad,
      ).toEqual([expect.objectContaining({ key: 'trustProxy.1', message: expect.stringContaining(bad) })]);
    expect(loadConfig({ cwd, env: { WARDEN_TRUST_PROXY: 'loopback,fd00::/8' } }).trustProxy).toEqual([
      'loopback',
      'fd00::/8',
    ]);
  });

  describe('deployment environments', () => {
    it('offers dev, staging and production with their defaults', () => {
      const { environments } = loadConfig({ env: {}, cwd });
      expect(Object.keys(environments)).toEqual(['dev', 'staging', 'production']);
      expect(environments.dev).toMatchObject({ approvals: 0, autoApply: true, allowSelfApproval: true });
      expect(environments.staging).toMatchObject({ approvals: 1, autoApply: true });
      expect(environments.production).toMatchObject({
        approvals: 2,
        autoApply: false,
        allowSelfApproval: false,
        gates: ['signature', 'scan', 'metrics', 'provenance', 'vulnerabilities'],
      });
    });

    it('merges the file over the defaults; null removes one; any other name gets production’s settings', () => {
      const file = configFile('envs.json', {
        environments: {
          dev: null,
          production: { metrics: { accuracy: { min: 0.9 } } },
          'prod-eu': {},
          qa: { approvals: 1, gates: ['scan'] },
        },
      });
      const { environments } = loadConfig({ env: {}, cwd, file });
      expect(Object.keys(environments).sort()).toEqual(['prod-eu', 'production', 'qa', 'staging']);
      expect(environments.production).toMatchObject({ approvals: 2, metrics: { accuracy: { min: 0.9 } } });
      expect(environments['prod-eu']).toEqual({ ...defaultEnvironments.production, name: 'prod-eu' });
      expect(environments.qa).toMatchObject({ approvals: 1, gates: ['scan'], allowSelfApproval: false });
    });

    it('keeps automatic rollback off by default and fills the fields an environment leaves out', () => {
      const off = loadConfig({ env: {}, cwd }).environments;
      for (const env of Object.values(off))
        expect(env.autoRollback).toEqual({ enabled: false, severity: 'critical', cooldownMinutes: 30 });
      const file = configFile('rollback.json', {
        environments: {
          production: { autoRollback: { enabled: true } },
          staging: { autoRollback: { cooldownMinutes: 5 } },
        },
      });
      const { environments } = loadConfig({ env: {}, cwd, file });
      expect(environments.production?.autoRollback).toEqual({
        enabled: true,
        severity: 'critical',
        cooldownMinutes: 30,
      });
      expect(environments.staging?.autoRollback).toEqual({
        enabled: false,
        severity: 'critical',
        cooldownMinutes: 5,
      });
      const bad = configFile('bad-rollback.json', {
        environments: {
          production: { autoRollback: { enabled: true, severity: 'page', cooldownMinutes: -1 } },
        },
      });
      expect(() => loadConfig({ env: {}, cwd, file: bad })).toThrow(/autoRollback/);
    });

    it('reads WARDEN_ENVIRONMENTS as JSON, merged like the file', () => {
      const { environments } = loadConfig({
        cwd,
        env: {
          WARDEN_ENVIRONMENTS: '{"staging":{"approvals":0},"canary-lab":{"approvals":0,"autoApply":true}}',
        },
      });
      expect(environments.staging?.approvals).toBe(0);
      expect(environments['canary-lab']).toMatchObject({
        approvals: 0,
        autoApply: true,
        gates: defaultEnvironments.production.gates,
      });
    });

    it('refuses self-approval where two approvals are needed, bad names, bad JSON and removing them all', () => {
      const problems = (sources: Parameters<typeof loadConfig>[0]): ConfigProblem[] => {
        try {
          loadConfig({ cwd, env: {}, ...sources });
        } catch (err) {
          if (configInvalid.is(err)) return (err.details as { problems: ConfigProblem[] }).problems;
          throw err;
        }
        throw new Error('expected config_invalid');
      };
      expect(problems({ env: { WARDEN_ENVIRONMENTS: '{"production":{"allowSelfApproval":true}}' } })).toEqual(
        [
          {
            key: 'environments.production.allowSelfApproval',
            source: 'env',
            message: 'a requester may never approve their own request where two or more approvals are needed',
          },
        ],
      );
      expect(problems({ env: { WARDEN_ENVIRONMENTS: '[1]' } })).toEqual([
        { key: 'environments', source: 'env WARDEN_ENVIRONMENTS', message: 'must be a JSON object' },
      ]);
      const bad = problems({
        file: configFile('bad-envs.json', {
          environments: { Prod: {}, staging: { approvals: -1, colour: 'red', maxScanSeverity: 'severe' } },
        }),
      });
      expect(bad.map((p) => p.key)).toEqual(
        expect.arrayContaining(['environments.staging.approvals', 'environments.staging.maxScanSeverity']),
      );
      expect(bad.length).toBeGreaterThanOrEqual(4);
      expect(
        problems({ env: { WARDEN_ENVIRONMENTS: '{"dev":null,"staging":null,"production":null}' } }),
      ).toEqual([
        { key: 'environments', source: 'env', message: 'at least one deployment environment must remain' },
      ]);
    });
  });
});
