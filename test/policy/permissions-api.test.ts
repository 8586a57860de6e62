import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PolicyAction, policyActions } from '../../src/modules/policy/index.js';
import { expectProblem } from '../fixtures/http-helpers.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import {
  api,
  auth,
  deploy,
  eventually,
  gatewayEnvironments,
  gatewayWorld,
} from '../gateway/gateway-fixtures.js';
import { type Caller, permissionProbes, type Send } from './permission-probes.js';

// The console asks the server which controls to show: each answer must be what the real call would do.
describe('POST /api/v1/permissions', () => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof gatewayWorld>>;
  let callers: Caller[];
  let pendingId: string;
  let revokedTokenId: string;
  const ask = (token: string, checks: unknown) =>
    t.rawApp.inject({ method: 'POST', url: `${api}/permissions`, payload: { checks }, headers: auth(token) });
  const send: Send = (token, method, url, payload) =>
    t.rawApp.inject({ method, url, headers: auth(token), ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    t = await createTestApp({
      settings: {
        environments: {
          ...gatewayEnvironments,
          // Three approvals: the approvals the probes give never close the request.
          review: { approvals: 3, autoApply: false, gates: [], requireVulnReport: false },
        },
      },
    });
    w = await gatewayWorld(t, { model: 'iris', owner: 'ml', count: 1 });
    await deploy(t, w.deployer, { model: 'iris', version: 1 });
    await eventually(async () => (await t.app.inject({ url: '/v2/models/iris/ready' })).json().ready);
    expect(
      (await send(t.adminToken, 'PUT', `${api}/models/iris/aliases/champion`, { version: '1' })).statusCode,
    ).toBe(200);

    const token = (name: string, roles: string[], teams: string[]) => t.tokenFor({ name, roles, teams });
    const mlAdmin = await token('ml-admin', ['admin'], ['ml']);
    callers = [
      { name: 'viewer', token: w.viewer, teams: ['ml'] },
      { name: 'contributor', token: await token('ml-contributor', ['contributor'], ['ml']), teams: ['ml'] },
      { name: 'deployer', token: w.deployer, teams: ['ml'] },
      { name: 'approver', token: await token('ml-approver', ['approver'], ['ml']), teams: ['ml'] },
      { name: 'team admin', token: mlAdmin, teams: ['ml'] },
      { name: 'admin', token: t.adminToken, teams: [] },
      {
        name: 'other-team viewer',
        token: await token('other-viewer', ['viewer'], ['other']),
        teams: ['other'],
      },
      { name: 'other-team admin', token: await token('other-admin', ['admin'], ['other']), teams: ['other'] },
    ];
    // A pending request in an environment without self-approval, made by the team's administrator.
    const requested = await send(mlAdmin, 'POST', `${api}/environments/review/requests`, {
      model: 'iris',
      version: 1,
    });
    expect(requested.statusCode, requested.body).toBe(201);
    pendingId = requested.json().request.id;
    // A token of team ml, revoked: revoking it again changes nothing, and is decided on its team.
    const issued = await send(t.adminToken, 'POST', `${api}/tokens`, {
      name: 'old',
      roles: ['viewer'],
      teams: ['ml'],
    });
    revokedTokenId = issued.json().id;
    expect((await send(t.adminToken, 'DELETE', `${api}/tokens/${revokedTokenId}`)).statusCode).toBe(204);
  });
  afterAll(() => t?.close());

  const probes = () => permissionProbes(send, { pendingId, revokedTokenId });

  it('answers, for every role, exactly what the real call does (403 or not)', async () => {
    const table: string[] = [];
    const outcomes = new Map<string, Set<boolean>>();
    for (const who of callers) {
      const list = probes();
      const res = await ask(
        who.token,
        list.map(({ action, resource }) => ({ action, resource })),
      );
      expect(res.statusCode, res.body).toBe(200);
      const results = res.json().results as { action: string; allowed: boolean }[];
      expect(results.map((r) => r.action)).toEqual(list.map((p) => p.action));
      for (const [i, probe] of list.entries()) {
        const real = await probe.call(who.token, who);
        expect(real.statusCode, `${who.name}: ${probe.name}: ${real.body}`).not.toBe(401);
        const permitted = real.statusCode !== 403;
        outcomes.set(probe.name, (outcomes.get(probe.name) ?? new Set()).add(permitted));
        if (results[i]?.allowed !== permitted)
          table.push(
            `${who.name} / ${probe.name}: said ${results[i]?.allowed}, real call ${real.statusCode} ${real.body}`,
          );
      }
    }
    expect(table).toEqual([]);
    // Not vacuous: each action is allowed to some of the callers and refused to others (every role may
    // show an environment).
    const oneSided = [...outcomes].filter(([, seen]) => seen.size < 2).map(([name]) => name);
    expect(oneSided).toEqual(['show an environment']);
  });

  it('covers the roles: what a viewer, a deployer, an approver and another team may do differ', async () => {
    const checks = [
      { action: 'registry:model:read', resource: { type: 'model', model: 'iris' } },
      {
        action: 'deploy:request',
        resource: { type: 'deployment', environment: 'production', model: 'iris' },
      },
      { action: 'deploy:approve', resource: { type: 'deployment', environment: 'review', model: 'iris' } },
      { action: 'identity:token:list', resource: { type: 'global' } },
    ];
    const answers = async (name: string) => {
      const who = callers.find((c) => c.name === name) as Caller;
      return ((await ask(who.token, checks)).json().results as { allowed: boolean }[]).map((r) => r.allowed);
    };
    expect(await answers('viewer')).toEqual([true, false, false, false]);
    expect(await answers('deployer')).toEqual([true, true, false, false]);
    expect(await answers('approver')).toEqual([true, false, true, false]);
    expect(await answers('team admin')).toEqual([true, true, true, true]);
    expect(await answers('other-team viewer')).toEqual([false, false, false, false]);
    // Its own request: the two-person rule says no, though the role may approve others'.
    const mlAdmin = callers.find((c) => c.name === 'team admin') as Caller;
    const own = await ask(mlAdmin.token, [
      { action: 'deploy:approve', resource: { type: 'deploy-request', id: pendingId } },
    ]);
    expect(own.json().results).toEqual([{ action: 'deploy:approve', allowed: false }]);
    const real = await send(mlAdmin.token, 'POST', `${api}/deploy-requests/${pendingId}/approve`, {
      reason: 'mine',
    });
    expectProblem(real, 403, 'deploy_self_approval', t);
  });

  it('can ask about every action the policy schema declares, each of the resource types it is decided on', () => {
    const catalogue = t.container.permissions.catalogue();
    const askable = new Set(Object.values(catalogue).flat());
    expect(Object.keys(policyActions).filter((a) => !askable.has(a as PolicyAction))).toEqual([]);
    expect(Object.keys(catalogue).sort()).toEqual([
      'alias',
      'deploy-request',
      'deployment',
      'environment',
      'global',
      'guards',
      'model',
      'monitor',
      'new-model',
      'token',
      'version',
    ]);
  });

  it('says no for what does not exist, without telling it apart from a refusal', async () => {
    const res = await ask(t.adminToken, [
      { action: 'registry:model:read', resource: { type: 'model', model: 'nope' } },
      { action: 'registry:version:read', resource: { type: 'version', model: 'iris', version: 42 } },
      { action: 'registry:alias:set', resource: { type: 'alias', model: 'nope', alias: 'x' } },
      { action: 'deploy:read', resource: { type: 'deployment', environment: 'nowhere', model: 'iris' } },
      {
        action: 'deploy:read',
        resource: { type: 'deploy-request', id: '01900000-0000-7000-8000-000000000000' },
      },
      { action: 'deploy:environment:list', resource: { type: 'environment', environment: 'nowhere' } },
      { action: 'gateway:configure', resource: { type: 'guards', environment: 'production', model: 'nope' } },
      { action: 'identity:token:revoke', resource: { type: 'token', id: 'aaaaaaaaaaaa' } },
      { action: 'inference:invoke', resource: { type: 'deployment', environment: 'review', model: 'iris' } },
      // Present: the admin may.
      { action: 'registry:model:read', resource: { type: 'model', model: 'iris' } },
    ]);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().results.map((r: { allowed: boolean }) => r.allowed)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      true,
    ]);
  });

  it('writes no audit entry for the checks, allowed or not', async () => {
    const entries = async () => (await t.container.auditQuery.verify()).entries;
    const other = callers.find((c) => c.name === 'other-team viewer') as Caller;
    const before = await entries();
    const res = await ask(
      other.token,
      probes().map(({ action, resource }) => ({ action, resource })),
    );
    expect(res.statusCode).toBe(200);
    expect(res.json().results.some((r: { allowed: boolean }) => !r.allowed)).toBe(true);
    expect(await entries()).toBe(before);
  });

  it('refuses unknown actions, mismatched resources, too many checks and the anonymous', async () => {
    const viewer = w.viewer;
    const unknown = expectProblem(
      await ask(viewer, [
        { action: 'registry:model:read', resource: { type: 'model', model: 'iris' } },
        { action: 'registry:model:launch', resource: { type: 'model', model: 'iris' } },
      ]),
      400,
      'permission_action_unknown',
      t,
    );
    expect(unknown.details).toEqual({ check: 1, action: 'registry:model:launch' });
    expect(unknown.detail).toContain('registry:model:launch');
    const mismatch = expectProblem(
      await ask(viewer, [{ action: 'deploy:approve', resource: { type: 'model', model: 'iris' } }]),
      400,
      'permission_resource_mismatch',
      t,
    );
    expect(mismatch.details).toMatchObject({ check: 0, action: 'deploy:approve', resource: 'model' });
    expect(mismatch.details.accepted.sort()).toEqual(['deploy-request', 'deployment']);
    // The create action is asked of a model to be, not of an existing one.
    expectProblem(
      await ask(viewer, [{ action: 'registry:model:create', resource: { type: 'model', model: 'iris' } }]),
      400,
      'permission_resource_mismatch',
      t,
    );
    const one = { action: 'registry:model:read', resource: { type: 'model', model: 'iris' } };
    for (const checks of [
      [],
      Array(51).fill(one),
      [{ action: 'registry:model:read', resource: { type: 'planet', name: 'x' } }],
      [{ action: 'registry:model:read', resource: { type: 'model', model: 'iris', owner: 'ml' } }],
      [{ action: 'registry:model:read', resource: { type: 'model', model: 'Bad Name' } }],
      [{ action: 'registry:model:read' }],
    ]) {
      expectProblem(await ask(viewer, checks), 400, 'invalid_request', t);
    }
    expectProblem(
      await ask(viewer, [
        {
          action: 'registry:version:read',
          resource: { type: 'version', model: 'iris', version: 'not a ref!' },
        },
      ]),
      400,
      'invalid_version_ref',
      t,
    );
    const anonymous = await t.rawApp.inject({
      method: 'POST',
      url: `${api}/permissions`,
      payload: { checks: [one] },
    });
    expectProblem(anonymous, 401, 'unauthenticated', t);
  });
});
