import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlDatabase } from '../../src/adapters/sql/db.js';
import { createSqlStores } from '../../src/adapters/sql/unit-of-work.js';
import { databaseFactories } from '../fixtures/databases.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { api, auth, deploy, eventually, gatewayEnvironments, gatewayWorld } from './gateway-fixtures.js';

const url = (model = 'iris', env = 'production') => `${api}/environments/${env}/models/${model}/guards`;
const irisRow = {
  inputs: [{ name: 'float_input', shape: [1, 4], datatype: 'FP32', data: [6.3, 3.3, 6.0, 2.5] }],
};

describe.each(databaseFactories())('per-deployment guard policies over /api/v1 ($name)', (factory) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof gatewayWorld>>;
  let other: SqlDatabase;
  const put = (body: unknown, token?: string, target = url()) =>
    t.app.inject({
      method: 'PUT',
      url: target,
      payload: body as Record<string, unknown>,
      ...(token ? { headers: auth(token) } : {}),
    });
  const probabilities = async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v2/models/iris/infer',
      payload: irisRow,
      headers: auth(w.viewer),
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().outputs.find((o: { name: string }) => o.name === 'probabilities').data as number[];
  };
  const decimalsOf = (xs: number[]) => Math.max(...xs.map((x) => (String(x).split('.')[1] ?? '').length));

  beforeAll(async () => {
    t = await createTestApp({
      factory,
      settings: { environments: { ...gatewayEnvironments, staging: { approvals: 0 } } },
    });
    w = await gatewayWorld(t, { count: 1 });
    await deploy(t, w.deployer, { model: 'iris', version: 1 });
    await eventually(async () => (await t.app.inject({ url: '/v2/models/iris/ready' })).json().ready);
    other = t.db.open();
  });
  afterAll(async () => {
    await other?.close();
    await t.close();
  });

  it('shows the defaults before anything is set: every guard on, probabilities rounded to 4 decimals', async () => {
    const res = await t.app.inject({ url: url(), headers: auth(w.viewer) });
    expect(res.statusCode, res.body).toBe(200);
    const view = res.json();
    expect(view).toMatchObject({ environment: 'production', model: 'iris', revision: 0, overridden: [] });
    expect(view.document).toEqual({});
    for (const g of ['rateLimit', 'screening', 'redaction', 'coarsening', 'extraction'])
      expect(view.policy[g].enabled, g).toBe(true);
    expect(view.policy.coarsening.config).toEqual({ mode: 'full', decimals: 4 });
    expect(view.policy.rateLimit.perPrincipal).toEqual({ ratePerSecond: 1000, burst: 2000 });
    expect(decimalsOf(await probabilities())).toBeLessThanOrEqual(4);
  });

  it('refuses an invalid policy with every problem at its path', async () => {
    const res = await put({
      policy: {
        screning: {},
        screening: { enabled: 'yes', config: { flagAt: 2, rules: { extra: [] } } },
        redaction: { config: { types: ['EMAIL', 'DNA'] } },
        coarsening: { config: { decimals: 9, mode: 'top-k', topK: 0 } },
        extraction: {
          config: { coverage: { maxNovelty: 3 } },
          profile: { lo: [1], hi: [0], bins: 4, grid: [0] },
        },
        validation: { maxRows: 10_000_000 },
        rateLimit: { perPrincipal: { ratePerSecond: -1, burst: 1.5 } },
      },
    });
    expect(res.statusCode, res.body).toBe(400);
    const problem = res.json();
    expect(problem.code).toBe('guard_policy_invalid');
    const paths = problem.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'policy.screning',
        'policy.screening.enabled',
        'policy.screening.config.rules.extra',
        'policy.redaction.config',
        'policy.coarsening.config',
        'policy.extraction.config',
        'policy.extraction.profile',
        'policy.validation.maxRows',
        'policy.rateLimit.perPrincipal.ratePerSecond',
        'policy.rateLimit.perPrincipal.burst',
      ]),
    );
    const text = JSON.stringify(problem.errors);
    expect(text).toContain('unknown field');
    expect(text).toContain('must be true or false, got string');
    expect(text).toContain('types: unknown \\"DNA\\"');
    expect(text).toContain('decimals must be an integer from 0 to 6');
    expect(text).toContain('coverage.maxNovelty must be between 0 and 1');
    expect(text).toContain('must be an integer from 1 to 10000 (gateway.maxRows)');
    for (const bad of [{ policy: [] }, { policy: 'x' }, { policy: {}, extra: 1 }, {}]) {
      const r = await put(bad);
      expect(r.statusCode, JSON.stringify(bad)).toBe(400);
    }
    expect((await put({ policy: { coarsening: { config: { mode: 'off' } } } })).json().errors).toEqual([
      {
        path: 'policy.coarsening.config.mode',
        message: 'to turn coarsening off, set coarsening.enabled to false (with a reason)',
      },
    ]);
    const unchanged = await t.app.inject({ url: url() });
    expect(unchanged.json().revision).toBe(0);
  });

  it('needs a reason to turn a guard off or screening to monitor mode', async () => {
    const off = await put({ policy: { redaction: { enabled: false } } });
    expect(off.statusCode, off.body).toBe(400);
    expect(off.json()).toMatchObject({
      code: 'guard_policy_reason_required',
      details: { weakens: ['redaction off'] },
    });
    const monitor = await put({ policy: { screening: { config: { mode: 'monitor' } } } });
    expect(monitor.json().code).toBe('guard_policy_reason_required');
    expect((await t.app.inject({ url: url() })).json().revision).toBe(0);
  });

  it('lets only administrators of the model team change it; viewers of the team read it', async () => {
    const body = { policy: { coarsening: { config: { decimals: 2 } } } };
    expect((await t.rawApp.inject({ method: 'PUT', url: url(), payload: body })).statusCode).toBe(401);
    expect((await t.rawApp.inject({ url: url() })).statusCode).toBe(401);
    expect((await put(body, w.viewer)).statusCode).toBe(403);
    expect((await put(body, w.deployer)).statusCode).toBe(403);
    const nlpAdmin = await t.tokenFor({ name: 'nlp-admin', roles: ['admin'], teams: ['nlp'] });
    expect((await put(body, nlpAdmin)).statusCode).toBe(403);
    expect((await t.app.inject({ url: url(), headers: auth(nlpAdmin) })).statusCode).toBe(403);
    const nlpViewer = await t.tokenFor({ name: 'nlp-viewer', roles: ['viewer'], teams: ['nlp'] });
    expect((await t.app.inject({ url: url(), headers: auth(nlpViewer) })).statusCode).toBe(403);
    const alerts = await t.app.inject({ url: `${url()}/alerts`, headers: auth(w.viewer) });
    expect(alerts.statusCode).toBe(403);
    expect((await t.app.inject({ url: url('nope') })).json().code).toBe('model_not_found');
    expect((await t.app.inject({ url: url('iris', 'moon') })).json().code).toBe('environment_not_found');
    const denied = (await t.app.inject({ url: `${api}/audit?action=gateway:configure` })).json().items;
    expect(denied.filter((e: { outcome: string }) => e.outcome === 'denied').length).toBeGreaterThanOrEqual(
      3,
    );
  });

  it('sets, audits and applies a policy at once; resets it to the defaults', async () => {
    const mlAdmin = await t.tokenFor({ name: 'ml-admin', roles: ['admin'], teams: ['ml'] });
    const res = await put(
      {
        policy: { coarsening: { config: { decimals: 1 } }, extraction: { enabled: false } },
        reason: 'load test of the extraction thresholds',
      },
      mlAdmin,
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      revision: 1,
      overridden: ['coarsening.config.decimals', 'extraction.enabled'],
      reason: 'load test of the extraction thresholds',
      setByName: 'ml-admin',
    });
    expect(res.json().policy.coarsening.config).toEqual({ mode: 'full', decimals: 1 });
    expect(res.json().policy.extraction.enabled).toBe(false);
    // The same process applies it at once.
    expect(decimalsOf(await probabilities())).toBeLessThanOrEqual(1);

    const audit = (await t.app.inject({ url: `${api}/audit?action=gateway:configure` })).json().items;
    const set = audit.find((e: { outcome: string }) => e.outcome === 'success');
    expect(set).toMatchObject({
      resource: 'deployment:production/iris',
      team: 'ml',
      details: {
        change: 'set',
        revision: 1,
        before: 'all on',
        after: 'off: extraction',
        weakens: 'extraction off',
        overridden: 'coarsening.config.decimals, extraction.enabled',
        reason: 'load test of the extraction thresholds',
      },
    });

    const reset = await t.app.inject({ method: 'DELETE', url: url(), payload: { reason: 'test over' } });
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.json()).toMatchObject({ revision: 2, overridden: [], document: {}, reason: 'test over' });
    expect(reset.json().policy.extraction.enabled).toBe(true);
    expect(decimalsOf(await probabilities())).toBeGreaterThan(1);
    const after = (await t.app.inject({ url: `${api}/audit?action=gateway:configure` })).json().items;
    expect(after.some((e: { details?: { change?: string } }) => e.details?.change === 'reset')).toBe(true);
  });

  it('applies a change made by another process within about a second', async () => {
    const stores = createSqlStores(other.db, other.capabilities);
    const current = await stores.guardPolicies.find('production', 'iris');
    const saved = await stores.guardPolicies.save({
      environment: 'production',
      model: 'iris',
      document: { coarsening: { config: { decimals: 0 } } },
      revision: (current?.revision ?? 0) + 1,
      setBy: 'token:elsewhere',
      setByName: 'another replica',
      setAt: new Date().toISOString(),
      reason: null,
    });
    expect(saved).toBe(true);
    const started = Date.now();
    await eventually(async () => (await probabilities()).every((p) => Number.isInteger(p)), 2500);
    expect(Date.now() - started).toBeLessThan(1600);
    // A stale writer (same revision) loses.
    expect(
      await stores.guardPolicies.save({
        environment: 'production',
        model: 'iris',
        document: {},
        revision: (current?.revision ?? 0) + 1,
        setBy: 'token:late',
        setByName: null,
        setAt: new Date().toISOString(),
        reason: null,
      }),
    ).toBe(false);
  });

  it('keeps policies per environment', async () => {
    const staging = await put({ policy: { validation: { maxRows: 10 } } }, undefined, url('iris', 'staging'));
    expect(staging.statusCode, staging.body).toBe(200);
    expect(staging.json()).toMatchObject({ environment: 'staging', revision: 1 });
    expect((await t.app.inject({ url: url() })).json().policy.validation.maxRows).toBe(10_000);
  });
});
