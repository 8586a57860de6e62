import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFactories } from '../fixtures/databases.js';
import { expectProblem, push } from '../fixtures/http-helpers.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { api, deployCalls, deployWorld, goodMetadata } from './deploy-fixtures.js';

const environments = {
  dev: {},
  staging: { approvals: 0 },
  production: { requireVulnReport: false, metrics: { accuracy: { min: 0.9 } } },
};

describe.each(databaseFactories())('governed deployments over HTTP ($name)', (factory) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof deployWorld>>;
  const calls = () => deployCalls(t);
  const as = (token: string) => calls().as(token);
  const requestAs = (token: string, env: string, body: Record<string, unknown>) =>
    calls().requestAs(token, env, body);
  const decide = (token: string, id: string, verb: 'approve' | 'reject', reason?: string) =>
    calls().decide(token, id, verb, reason);
  const apply = (token: string, id: string) => calls().apply(token, id);
  const live = (env: string) => calls().live(env);

  beforeAll(async () => {
    t = await createTestApp({ factory, settings: { environments } });
    w = await deployWorld(t, { count: 3 });
  });
  afterAll(() => t.close());

  it('lists the configured environments with their settings', async () => {
    const res = await t.app.inject({ url: `${api}/environments`, ...as(w.viewer) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().map((e: { name: string }) => e.name)).toEqual(['dev', 'staging', 'production']);
    const prod = await t.app.inject({ url: `${api}/environments/production`, ...as(w.viewer) });
    expect(prod.json()).toMatchObject({ approvals: 2, selfApproval: false, autoApply: false });
    expectProblem(await t.app.inject({ url: `${api}/environments/moon` }), 404, 'environment_not_found');
  });

  it('staging applies itself when the gates pass and no approval is needed (zero-touch)', async () => {
    const res = await requestAs(w.deployer, 'staging', { model: 'iris', version: 1 });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.request).toMatchObject({
      state: 'applied',
      digest: w.versions[0]?.digest,
      approvalsNeeded: 0,
    });
    expect(body.deployment).toMatchObject({ action: 'applied', slot: 'stable', version: 1, revision: 1 });
    expect(await live('staging')).toMatchObject({
      revision: 1,
      models: [{ model: 'iris', stable: { digest: w.versions[0]?.digest, version: 1 }, candidate: null }],
    });
  });

  it('production waits for two distinct approvers, never the requester, then applies', async () => {
    const res = await requestAs(w.deployer, 'production', {
      model: 'iris',
      version: 1,
      reason: 'first release',
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().request.id as string;
    expect(res.json().request).toMatchObject({ state: 'pending', approvalsNeeded: 2, approvalsCounted: 0 });
    expect(
      res.json().request.gates.gates.map((g: { gate: string; passed: boolean }) => [g.gate, g.passed]),
    ).toEqual([
      ['signature', true],
      ['scan', true],
      ['metrics', true],
      ['provenance', true],
      ['vulnerabilities', true],
    ]);

    expectProblem(await apply(w.deployer, id), 412, 'deploy_approvals_missing');
    expectProblem(await decide(w.deployer, id, 'approve'), 403, 'forbidden');
    const first = await decide(w.approver1, id, 'approve');
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ state: 'pending', approvalsCounted: 1 });
    expectProblem(await decide(w.approver1, id, 'approve'), 409, 'deploy_already_decided');
    expectProblem(await apply(w.deployer, id), 412, 'deploy_approvals_missing');
    const second = await decide(w.approver2, id, 'approve');
    expect(second.json()).toMatchObject({ state: 'approved', approvalsCounted: 2 });
    expectProblem(await apply(w.approver1, id), 403, 'forbidden');

    const applied = await apply(w.deployer, id);
    expect(applied.statusCode, applied.body).toBe(200);
    expect(applied.json()).toMatchObject({ action: 'applied', version: 1, digest: w.versions[0]?.digest });
    expect((await live('production')).models[0].stable.version).toBe(1);
    expectProblem(await apply(w.deployer, id), 409, 'deploy_request_closed');
  });

  it('refuses a version that fails a gate, naming the gate and its policy, and stores nothing', async () => {
    const unsigned = await push(t, 'iris', { kind: 'file', ...goodMetadata }, [
      { path: 'iris.bin', content: Buffer.from('unsigned weights') },
    ]);
    const before = (await t.app.inject({ url: `${api}/environments/production/requests?model=iris` })).json();
    const res = await requestAs(w.deployer, 'production', { model: 'iris', version: unsigned.number });
    expectProblem(res, 412, 'deploy_gates_failed');
    expect(res.json().details.failed).toEqual([{ gate: 'signature', policies: ['gate-signature'] }]);
    const after = (await t.app.inject({ url: `${api}/environments/production/requests?model=iris` })).json();
    expect(after.items.length).toBe(before.items.length);
    const check = await t.app.inject({
      method: 'POST',
      url: `${api}/environments/production/check`,
      payload: { model: 'iris', version: unsigned.number },
      ...as(w.viewer),
    });
    expect(check.statusCode, check.body).toBe(200);
    expect(check.json().gates.passed).toBe(false);
    const signature = check.json().gates.gates.find((g: { gate: string }) => g.gate === 'signature');
    expect(signature).toMatchObject({
      passed: false,
      policies: ['gate-signature'],
      evidence: { signatures: [] },
    });
  });

  it('rolls back to the last known-good stable deployment, and again to the one before', async () => {
    for (const version of [2, 3]) {
      const id = (await requestAs(w.deployer, 'production', { model: 'iris', version })).json().request.id;
      await decide(w.approver1, id, 'approve');
      await decide(w.approver2, id, 'approve');
      expect((await apply(w.deployer, id)).statusCode).toBe(200);
    }
    expect((await live('production')).models[0].stable.version).toBe(3);
    const rollback = (reason?: string) =>
      t.app.inject({
        method: 'POST',
        url: `${api}/environments/production/models/iris/rollback`,
        payload: reason === undefined ? {} : { reason },
        ...as(w.deployer),
      });
    expectProblem(await rollback(), 400, 'invalid_request');
    const once = await rollback('error rate up');
    expect(once.statusCode, once.body).toBe(200);
    expect(once.json()).toMatchObject({
      action: 'rolled_back',
      version: 2,
      previousDigest: w.versions[2]?.digest,
    });
    const twice = await rollback('still bad');
    expect(twice.json()).toMatchObject({ action: 'rolled_back', version: 1 });
    expectProblem(await rollback('nothing left'), 412, 'deploy_no_known_good');
    const history = await t.app.inject({ url: `${api}/environments/production/models/iris/history` });
    expect(
      history.json().items.map((d: { action: string; version: number }) => `${d.action}:${d.version}`),
    ).toEqual(['rolled_back:1', 'rolled_back:2', 'applied:3', 'applied:2', 'applied:1']);
  });

  it('keeps the digest a request named when its alias moves afterwards', async () => {
    await t.app.inject({
      method: 'PUT',
      url: `${api}/models/iris/aliases/candidate`,
      payload: { version: 2 },
    });
    const res = await requestAs(w.deployer, 'staging', { model: 'iris', version: 'candidate' });
    expect(res.json().request.digest).toBe(w.versions[1]?.digest);
    await t.app.inject({
      method: 'PUT',
      url: `${api}/models/iris/aliases/candidate`,
      payload: { version: 3 },
    });
    const shown = await t.app.inject({ url: `${api}/deploy-requests/${res.json().request.id}` });
    expect(shown.json().digest).toBe(w.versions[1]?.digest);
  });

  it('runs a canary beside stable and promotes it, or aborts it', async () => {
    const canary = await requestAs(w.deployer, 'staging', {
      model: 'iris',
      version: 3,
      slot: 'canary',
      percent: 20,
    });
    expect(canary.statusCode, canary.body).toBe(201);
    expect((await live('staging')).models[0]).toMatchObject({
      stable: { version: 2 },
      candidate: { version: 3, mode: 'canary', percent: 20 },
    });
    const promote = await t.app.inject({
      method: 'POST',
      url: `${api}/environments/staging/models/iris/promote`,
      payload: {},
      ...as(w.deployer),
    });
    expect(promote.statusCode, promote.body).toBe(200);
    expect((await live('staging')).models[0]).toMatchObject({ stable: { version: 3 }, candidate: null });
    expectProblem(
      await t.app.inject({
        method: 'POST',
        url: `${api}/environments/staging/models/iris/abort`,
        payload: {},
        ...as(w.deployer),
      }),
      412,
      'deploy_no_candidate',
    );
    expectProblem(
      await requestAs(w.deployer, 'staging', { model: 'iris', version: 1, slot: 'canary' }),
      400,
      'deploy_invalid_percent',
    );
  });

  it('answers a long poll as soon as the live state changes', async () => {
    const { revision } = await live('staging');
    const waiting = t.app.inject({ url: `${api}/environments/staging/live?since=${revision}&wait=10` });
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await requestAs(w.deployer, 'staging', { model: 'iris', version: 1 });
    const res = await waiting;
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      changed: true,
      revision: revision + 1,
      models: [{ stable: { version: 1 } }],
    });
    expect(Date.now() - started).toBeLessThan(2000);
    const idle = await t.app.inject({ url: `${api}/environments/staging/live?since=${revision + 1}&wait=0` });
    expect(idle.json()).toMatchObject({ changed: false, revision: revision + 1 });
  });
});
