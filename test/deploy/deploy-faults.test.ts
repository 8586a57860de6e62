import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFactories } from '../fixtures/databases.js';
import { createModel, expectProblem, push } from '../fixtures/http-helpers.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { maliciousProtocol4 } from '../scanning/pickle-builder.js';
import { auditPage } from '../security/security-helpers.js';
import {
  api,
  attachReport,
  auth,
  deployCalls,
  deployWorld,
  goodMetadata,
  signBytes,
} from './deploy-fixtures.js';

const environments = {
  dev: {},
  staging: { approvals: 1, allowSelfApproval: false },
  qa: { approvals: 1, allowSelfApproval: true, gates: ['scan'] },
  strict: { approvals: 0, gates: ['metrics'], metrics: { accuracy: { min: 0.99 }, latency_ms: { max: 40 } } },
  production: { requireVulnReport: false },
};

describe.each(databaseFactories())('deployment faults ($name)', (factory) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof deployWorld>>;
  const as = (token: string) => ({ headers: auth(token) });
  const request = async (
    token: string,
    env: string,
    version: number | string,
    extra: Record<string, unknown> = {},
  ) => {
    const res = await t.app.inject({
      method: 'POST',
      url: `${api}/environments/${env}/requests`,
      payload: { model: w.model, version, ...extra },
      ...as(token),
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().request.id as string;
  };
  const decide = (token: string, id: string, verb: 'approve' | 'reject', reason = 'ok') =>
    deployCalls(t).decide(token, id, verb, reason);
  const apply = (token: string, id: string) => deployCalls(t).apply(token, id);
  const approvedProduction = async (version: number) => {
    const id = await request(w.deployer, 'production', version);
    expect((await decide(w.approver1, id, 'approve')).statusCode).toBe(200);
    expect((await decide(w.approver2, id, 'approve')).statusCode).toBe(200);
    return id;
  };
  const runSql = async (query: ReturnType<typeof sql>) => {
    const db = t.db.open();
    try {
      await query.execute(db.db);
    } finally {
      await db.close();
    }
  };

  beforeAll(async () => {
    t = await createTestApp({ factory, settings: { environments } });
    w = await deployWorld(t, { count: 4 });
  });
  afterAll(() => t.close());

  it('refuses the requester approving their own request where the environment forbids it', async () => {
    const admin = t.adminToken;
    const id = await request(admin, 'staging', 1);
    expectProblem(await decide(admin, id, 'approve'), 403, 'deploy_self_approval');
    const qa = await request(admin, 'qa', 1);
    const own = await decide(admin, qa, 'approve');
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json()).toMatchObject({ state: 'approved', approvalsCounted: 1 });
  });

  it('never counts self-approval where two approvals are needed, even for an admin', async () => {
    const id = await request(t.adminToken, 'production', 1);
    expectProblem(await decide(t.adminToken, id, 'approve'), 403, 'deploy_self_approval');
  });

  it('refuses approving after a rejection, and after the request expired', async () => {
    const id = await request(w.deployer, 'production', 2);
    expect((await decide(w.approver1, id, 'reject', 'metrics regressed')).json()).toMatchObject({
      state: 'rejected',
      closedReason: 'metrics regressed',
    });
    expectProblem(await decide(w.approver2, id, 'approve'), 409, 'deploy_request_closed');
    expectProblem(await apply(w.deployer, id), 409, 'deploy_request_closed');

    const late = await request(w.deployer, 'production', 2);
    await runSql(sql`update deploy_requests set expires_at = '2000-01-01T00:00:00.000Z' where id = ${late}`);
    const res = await decide(w.approver1, late, 'approve');
    expectProblem(res, 409, 'deploy_request_closed');
    expect(res.json().details.state).toBe('expired');
    const shown = await t.app.inject({ url: `${api}/deploy-requests/${late}` });
    expect(shown.json().state).toBe('expired');
  });

  it('does not count an expired approval, nor one whose approver lost the right, at apply', async () => {
    const id = await approvedProduction(1);
    await runSql(
      sql`update deploy_approvals set expires_at = '2000-01-01T00:00:00.000Z' where request_id = ${id} and approver_name = ${`approver1-${w.model}`}`,
    );
    const res = await apply(w.deployer, id);
    expectProblem(res, 412, 'deploy_approvals_missing');
    expect(res.json().details).toMatchObject({
      needed: 2,
      counted: 1,
      ignored: [{ why: expect.stringMatching(/^expired at/) }],
    });

    const approver3 = await t.tokenFor({ name: 'approver3', roles: ['approver'] });
    expect((await decide(approver3, id, 'approve')).statusCode).toBe(200);
    const tokenId = approver3.split('_')[1];
    expect((await t.app.inject({ method: 'DELETE', url: `${api}/tokens/${tokenId}` })).statusCode).toBe(204);
    const again = await apply(w.deployer, id);
    expectProblem(again, 412, 'deploy_approvals_missing');
    expect(again.json().details.ignored).toContainEqual({
      approver: `token:${tokenId}`,
      why: "the approver's token was revoked or has expired",
    });
  });

  it('refuses to apply when the signer was revoked between approval and apply', async () => {
    const other = (await import('./deploy-fixtures.js')).keyPair();
    await createModel(t, 'revocable');
    const add = await t.app.inject({
      method: 'POST',
      url: `${api}/signers`,
      payload: { name: 'short-lived', publicKey: other.publicPem, environments: ['production'] },
    });
    expect(add.statusCode, add.body).toBe(201);
    const content = Buffer.from('revocable weights');
    const bundle = await signBytes(other.privatePem, 'm.bin', content);
    const v = await push(t, 'revocable', { kind: 'file', signature: bundle, ...goodMetadata }, [
      { path: 'm.bin', content },
    ]);
    const res = await t.app.inject({
      method: 'POST',
      url: `${api}/environments/production/requests`,
      payload: { model: 'revocable', version: v.number },
      ...as(w.deployer),
    });
    const id = res.json().request.id;
    await decide(w.approver1, id, 'approve');
    await decide(w.approver2, id, 'approve');
    expect((await t.app.inject({ method: 'DELETE', url: `${api}/signers/short-lived` })).statusCode).toBe(
      200,
    );
    const applied = await apply(w.deployer, id);
    expectProblem(applied, 412, 'deploy_gates_failed');
    expect(applied.json().details.failed).toEqual([{ gate: 'signature', policies: ['gate-signature'] }]);
    const live = await t.app.inject({ url: `${api}/environments/production/live` });
    expect(live.json().models.map((m: { model: string }) => m.model)).not.toContain('revocable');
  });

  it('re-evaluates the gates at apply: a vulnerability report attached after approval blocks it', async () => {
    const id = await approvedProduction(1);
    const report = {
      SchemaVersion: 2,
      ArtifactName: 'iris-serving:1',
      ArtifactType: 'container_image',
      Results: [
        {
          Target: 'requirements.txt',
          Class: 'lang-pkgs',
          Type: 'pip',
          Vulnerabilities: [
            { VulnerabilityID: 'CVE-2024-0001', PkgName: 'numpy', InstalledVersion: '1.0', Severity: 'HIGH' },
          ],
        },
      ],
    };
    await attachReport(t, w.model, 1, report);
    const res = await apply(w.deployer, id);
    expectProblem(res, 412, 'deploy_gates_failed');
    expect(res.json().details.failed).toEqual([
      { gate: 'vulnerabilities', policies: ['gate-vulnerabilities'] },
    ]);
  });

  it('does not count approvals given on gate results that changed since (a new report, still passing)', async () => {
    const id = await approvedProduction(3);
    await attachReport(t, w.model, 3, {
      SchemaVersion: 2,
      ArtifactName: 'iris-serving:3',
      ArtifactType: 'container_image',
      Results: [
        {
          Target: 'requirements.txt',
          Class: 'lang-pkgs',
          Type: 'pip',
          Vulnerabilities: [
            { VulnerabilityID: 'CVE-2024-0002', PkgName: 'six', InstalledVersion: '1.0', Severity: 'LOW' },
          ],
        },
      ],
    });
    const res = await apply(w.deployer, id);
    expectProblem(res, 412, 'deploy_approvals_missing');
    expect(res.json().details.ignored).toEqual([
      expect.objectContaining({ why: 'the gate results changed since it was given' }),
      expect.objectContaining({ why: 'the gate results changed since it was given' }),
    ]);
  });

  it('refuses to request a failing-scan, below-threshold, deleted or unknown version', async () => {
    const post = (env: string, model: string, version: number | string) =>
      t.app.inject({
        method: 'POST',
        url: `${api}/environments/${env}/requests`,
        payload: { model, version },
        ...as(w.deployer),
      });
    await createModel(t, 'pickled');
    const bad = await push(t, 'pickled', { kind: 'directory' }, [
      { path: 'weights.pkl', content: Buffer.from(maliciousProtocol4()) },
    ]);
    const scan = await post('dev', 'pickled', bad.number);
    expectProblem(scan, 412, 'deploy_gates_failed');
    expect(scan.json().details.failed).toEqual([{ gate: 'scan', policies: ['gate-scan'] }]);

    const low = await post('strict', w.model, 1);
    expectProblem(low, 412, 'deploy_gates_failed');
    const check = await t.app.inject({
      method: 'POST',
      url: `${api}/environments/strict/check`,
      payload: { model: w.model, version: 1 },
    });
    expect(check.json().gates.gates[0].evidence.thresholds).toEqual([
      { metric: 'accuracy', value: 0.95, min: 0.99, ok: false },
      { metric: 'latency_ms', value: null, max: 40, ok: false },
    ]);

    const gone = await push(t, 'pickled', { kind: 'file' }, [{ path: 'w.bin', content: 'soon deleted' }]);
    await t.app.inject({
      method: 'DELETE',
      url: `${api}/models/pickled/versions/${gone.number}?reason=${encodeURIComponent('withdrawn')}`,
    });
    expectProblem(await post('dev', 'pickled', gone.number), 412, 'deploy_version_unavailable');
    expectProblem(await post('dev', 'pickled', 99), 404, 'version_not_found');
    expectProblem(await post('dev', 'no-such-model', 1), 404, 'model_not_found');
  });

  it('lets exactly one of two racing applies to the same target win', async () => {
    const a = await approvedProduction(3);
    const b = await approvedProduction(4);
    const results = await Promise.all([apply(w.deployer, a), apply(w.deployer, b)]);
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes, results.map((r) => r.body).join('\n')).toEqual([200, 409]);
    const loser = results.find((r) => r.statusCode === 409);
    expect(['deploy_target_changed', 'deploy_request_closed']).toContain(loser?.json().code);
    const winner = results.find((r) => r.statusCode === 200)?.json();
    const live = await t.app.inject({ url: `${api}/environments/production/live` });
    const iris = live.json().models.find((m: { model: string }) => m.model === w.model);
    expect(iris.stable.digest).toBe(winner.digest);
    const history = await t.app.inject({ url: `${api}/environments/production/models/${w.model}/history` });
    expect(
      history.json().items.filter((d: { revision: number }) => d.revision === winner.revision),
    ).toHaveLength(1);
  });

  it('refuses to apply a version deleted after the request', async () => {
    const id = await approvedProduction(2);
    const del = await t.app.inject({
      method: 'DELETE',
      url: `${api}/models/${w.model}/versions/2?reason=${encodeURIComponent('leaked training data')}`,
    });
    expect(del.statusCode, del.body).toBeLessThan(300);
    expectProblem(await apply(w.deployer, id), 412, 'deploy_version_unavailable');
  });

  it('audits every state change with the team that owns the model', async () => {
    const { items } = await auditPage(t, { limit: 500 });
    const actions = new Set(items.filter((e) => e.resource?.startsWith('deployment:')).map((e) => e.action));
    for (const a of ['deploy:request', 'deploy:approve', 'deploy:reject', 'deploy:apply', 'deploy:expire'])
      expect(actions).toContain(a);
  });
});

describe('deployment scope and input', () => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof deployWorld>>;
  beforeAll(async () => {
    t = await createTestApp({ settings: { environments } });
    w = await deployWorld(t, { count: 1, model: 'vision-model', owner: 'vision' });
  });
  afterAll(() => t.close());

  it("keeps another team's deployer and approver out, and anonymous callers too", async () => {
    const outsider = await t.tokenFor({ name: 'nlp-deployer', roles: ['deployer'], teams: ['nlp'] });
    const res = await t.app.inject({
      method: 'POST',
      url: `${api}/environments/staging/requests`,
      payload: { model: 'vision-model', version: 1 },
      headers: auth(outsider),
    });
    expectProblem(res, 403, 'forbidden');
    const id = (
      await t.app.inject({
        method: 'POST',
        url: `${api}/environments/staging/requests`,
        payload: { model: 'vision-model', version: 1 },
        headers: auth(w.deployer),
      })
    ).json().request.id;
    const nlpApprover = await t.tokenFor({ name: 'nlp-approver', roles: ['approver'], teams: ['nlp'] });
    expectProblem(
      await t.app.inject({
        method: 'POST',
        url: `${api}/deploy-requests/${id}/approve`,
        payload: { reason: 'x' },
        headers: auth(nlpApprover),
      }),
      403,
      'forbidden',
    );
    const live = await t.app.inject({ url: `${api}/environments/staging/live`, headers: auth(outsider) });
    expect(live.statusCode).toBe(200);
    expect(live.json().models).toEqual([]);
    for (const url of [
      `${api}/environments`,
      `${api}/environments/staging/live`,
      `${api}/deploy-requests/${id}`,
    ])
      expectProblem(await t.rawApp.inject({ url }), 401, 'unauthenticated');
  });

  it('answers bad input with precise problems', async () => {
    const post = (url: string, payload: unknown) =>
      t.app.inject({ method: 'POST', url: `${api}${url}`, payload: payload as object });
    expectProblem(
      await post('/environments/staging/requests', { model: 'vision-model' }),
      400,
      'invalid_request',
    );
    expectProblem(
      await post('/environments/Staging/requests', { model: 'vision-model', version: 1 }),
      400,
      'invalid_request',
    );
    expectProblem(
      await post('/environments/moon/requests', { model: 'vision-model', version: 1 }),
      404,
      'environment_not_found',
    );
    expectProblem(
      await post('/environments/staging/requests', { model: 'nope', version: 1 }),
      404,
      'model_not_found',
    );
    expectProblem(
      await post('/environments/staging/requests', { model: 'vision-model', version: 99 }),
      404,
      'version_not_found',
    );
    expectProblem(
      await post('/environments/staging/requests', { model: 'vision-model', version: 'sha256:zz' }),
      400,
      'invalid_version_ref',
    );
    expectProblem(
      await post('/environments/staging/requests', { model: 'vision-model', version: 1, percent: 5 }),
      400,
      'deploy_invalid_percent',
    );
    expectProblem(
      await post('/environments/staging/requests', {
        model: 'vision-model',
        version: 1,
        slot: 'canary',
        percent: 5,
      }),
      412,
      'deploy_canary_needs_stable',
    );
    expectProblem(await post('/deploy-requests/not-a-uuid/approve', { reason: 'x' }), 400, 'invalid_request');
    expectProblem(
      await post('/deploy-requests/01a24ee6-2fb4-70f9-8a02-0ed4cc96c869/approve', { reason: 'x' }),
      404,
      'deploy_request_not_found',
    );
    expectProblem(
      await post('/deploy-requests/01a24ee6-2fb4-70f9-8a02-0ed4cc96c869/approve', {}),
      400,
      'invalid_request',
    );
    expectProblem(
      await t.app.inject({ url: `${api}/environments/staging/live?since=-1` }),
      400,
      'invalid_request',
    );
    expectProblem(
      await t.app.inject({ url: `${api}/environments/staging/live?since=0&wait=3600` }),
      400,
      'invalid_request',
    );
  });
});

describe('operator gate policies', () => {
  it('adds an operator gate (metric tags in Cedar) that a request must pass, shown by the dry run', async () => {
    const dir = (await import('node:fs')).mkdtempSync(
      path.join((await import('node:os')).tmpdir(), 'warden-gates-'),
    );
    writeFileSync(
      path.join(dir, 'gates-accuracy.cedar'),
      `@id("accuracy-floor")
@gate("accuracy-floor")
permit (principal, action == Warden::Action::"deploy:gate", resource)
when { resource.hasTag("accuracy") && resource.getTag("accuracy").greaterThanOrEqual(decimal("0.97")) };
`,
    );
    const t = await createTestApp({
      policyFiles: [dir],
      settings: { environments: { staging: { approvals: 0, gates: ['scan', 'accuracy-floor'] } } },
    });
    try {
      await deployWorld(t, { count: 1 });
      const check = await t.app.inject({
        method: 'POST',
        url: `${api}/environments/staging/check`,
        payload: { model: 'iris', version: 1 },
      });
      expect(check.json().gates.gates).toEqual([
        expect.objectContaining({ gate: 'scan', passed: true }),
        expect.objectContaining({
          gate: 'accuracy-floor',
          passed: false,
          policies: ['accuracy-floor'],
          evidence: { candidate: expect.objectContaining({ metrics: { accuracy: 0.95 } }) },
        }),
      ]);
      const res = await t.app.inject({
        method: 'POST',
        url: `${api}/environments/staging/requests`,
        payload: { model: 'iris', version: 1 },
      });
      expectProblem(res, 412, 'deploy_gates_failed');
    } finally {
      await t.close();
    }
  });

  it('refuses to start on an invalid gate policy (with file:line:col) or an unknown gate name', async () => {
    const dir = (await import('node:fs')).mkdtempSync(
      path.join((await import('node:os')).tmpdir(), 'warden-gates-'),
    );
    const file = path.join(dir, 'gates-broken.cedar');
    writeFileSync(
      file,
      `@id("broken")
@gate("broken")
permit (principal, action == Warden::Action::"deploy:gate", resource)
when { resource.notAnAttribute > 3 };
`,
    );
    await expect(createTestApp({ policyFiles: [file] })).rejects.toMatchObject({
      code: 'policy_invalid',
      details: {
        problems: [expect.objectContaining({ file, line: expect.any(Number), column: expect.any(Number) })],
      },
    });
    writeFileSync(
      file,
      `@id("no-gate-name")\npermit (principal, action == Warden::Action::"deploy:gate", resource);\n`,
    );
    await expect(createTestApp({ policyFiles: [file] })).rejects.toMatchObject({ code: 'policy_invalid' });
    await expect(
      createTestApp({ settings: { environments: { staging: { gates: ['signature', 'sbom'] } } } }),
    ).rejects.toMatchObject({ code: 'config_invalid', message: expect.stringContaining('"sbom"') });
  });
});
