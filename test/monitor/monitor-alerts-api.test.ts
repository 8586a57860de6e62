import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRules, defaultThresholds } from '../../src/modules/monitor/index.js';
import { createModel } from '../fixtures/http-helpers.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';

const api = '/api/v1';
const policyUrl = (env: string, model: string) =>
  `${api}/environments/${env}/deployments/${model}/monitor-policy`;

describe('monitor policy and alerts API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await createModel(t, 'iris');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('shows the defaults, replaces the policy (audited) and resets it', async () => {
    const shown = await t.app.inject({ url: policyUrl('production', 'iris') });
    expect(shown.statusCode, shown.body).toBe(200);
    expect(shown.json()).toMatchObject({
      revision: 0,
      document: {},
      policy: { thresholds: defaultThresholds, rules: defaultRules },
    });
    const document = {
      thresholds: { driftShare: 0.3 },
      rules: { confidence: { severity: 'critical', forWindows: 3 } },
    };
    const set = await t.app.inject({
      method: 'PUT',
      url: policyUrl('production', 'iris'),
      payload: { policy: document, reason: 'launch week' },
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({
      revision: 1,
      document,
      reason: 'launch week',
      policy: {
        thresholds: { ...defaultThresholds, driftShare: 0.3 },
        rules: { confidence: { ...defaultRules.confidence, severity: 'critical', forWindows: 3 } },
      },
    });
    const reset = await t.app.inject({ method: 'DELETE', url: policyUrl('production', 'iris'), payload: {} });
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.json()).toMatchObject({
      revision: 2,
      document: {},
      policy: { thresholds: defaultThresholds },
    });
    const audit = (await t.app.inject({ url: `${api}/audit?action=monitor:configure` })).json().items;
    expect(audit.map((e: { details: { change: string; revision: number } }) => e.details)).toEqual([
      { change: 'reset', revision: 2, reason: null },
      { change: 'set', revision: 1, reason: 'launch week' },
    ]);
  });

  it('refuses a bad policy with 400 and every problem at its path, changing nothing', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: policyUrl('production', 'iris'),
      payload: {
        policy: { thresholds: { errorRateMax: 2 }, rules: { telepathy: {}, confidence: { forWindows: 0 } } },
      },
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'monitor_policy_invalid',
      details: {
        problems: [
          { path: 'thresholds.errorRateMax', message: 'must be at most 1 (a share)' },
          { path: 'rules.telepathy', message: expect.stringMatching(/^is not a detector/) },
          { path: 'rules.confidence.forWindows', message: 'must be an integer from 1 to 1000' },
        ],
      },
    });
    const missing = await t.app.inject({ method: 'PUT', url: policyUrl('production', 'iris'), payload: {} });
    expect(missing.statusCode).toBe(400);
    expect((await t.app.inject({ url: policyUrl('production', 'iris') })).json().revision).toBe(2);
  });

  it('answers 404 for an unknown environment or model, and 403 to a caller without monitor:configure', async () => {
    expect((await t.app.inject({ url: policyUrl('moon', 'iris') })).statusCode).toBe(404);
    expect((await t.app.inject({ url: policyUrl('production', 'nope') })).statusCode).toBe(404);
    const viewer = await t.tokenFor({ name: 'viewer', roles: ['viewer'] });
    const res = await t.app.inject({
      method: 'PUT',
      url: policyUrl('production', 'iris'),
      payload: { policy: {} },
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(res.statusCode, res.body).toBe(403);
  });

  it('lists alerts and refuses bad filters precisely', async () => {
    const ok = await t.app.inject({
      url: `${api}/environments/production/monitor/alerts?model=iris&state=firing`,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ items: [], next: null });
    for (const q of ['state=burning', 'limit=0', 'limit=501', 'model=Not%20A%20Slug', 'colour=red'])
      expect(
        (await t.app.inject({ url: `${api}/environments/production/monitor/alerts?${q}` })).statusCode,
        q,
      ).toBe(400);
    expect((await t.app.inject({ url: `${api}/environments/moon/monitor/alerts` })).statusCode).toBe(404);
    expect(
      (await t.app.inject({ url: `${api}/environments/production/monitor/alerts?model=nope` })).statusCode,
    ).toBe(404);
  });
});
