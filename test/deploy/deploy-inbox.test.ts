import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFactories } from '../fixtures/databases.js';
import { expectProblem } from '../fixtures/http-helpers.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { api, auth, deployCalls, deployWorld } from './deploy-fixtures.js';

const environments = {
  dev: {},
  staging: { approvals: 1 },
  production: { requireVulnReport: false },
};

interface Listed {
  items: { id: string; environment: string; model: string; state: string; requestedBy: string }[];
  next: string | null;
}

describe.each(databaseFactories())('requests across environments: the approver inbox ($name)', (factory) => {
  let t: TestApp;
  let iris: Awaited<ReturnType<typeof deployWorld>>;
  let fraud: Awaited<ReturnType<typeof deployWorld>>;
  let outsider: string;
  const ids: Record<'irisProd' | 'irisStaging' | 'fraudProd' | 'adminProd', string> = {
    irisProd: '',
    irisStaging: '',
    fraudProd: '',
    adminProd: '',
  };

  const list = async (token: string | null, query: string): Promise<Listed> => {
    const res = await t.app.inject({
      url: `${api}/deploy-requests?${query}`,
      ...(token ? { headers: auth(token) } : {}),
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const idsOf = (page: Listed) => page.items.map((r) => r.id);

  beforeAll(async () => {
    t = await createTestApp({ factory, settings: { environments } });
    iris = await deployWorld(t, { count: 2 });
    fraud = await deployWorld(t, { model: 'fraud', owner: 'alpha', count: 1 });
    outsider = await t.tokenFor({ name: 'approver-beta', roles: ['approver'], teams: ['beta'] });
    const calls = deployCalls(t);
    const requested = async (token: string, env: string, body: Record<string, unknown>) => {
      const res = await calls.requestAs(token, env, body);
      expect(res.statusCode, res.body).toBe(201);
      return res.json().request.id as string;
    };
    ids.irisStaging = await requested(iris.deployer, 'staging', { model: 'iris', version: 1 });
    ids.irisProd = await requested(iris.deployer, 'production', { model: 'iris', version: 1 });
    ids.fraudProd = await requested(fraud.deployer, 'production', { model: 'fraud', version: 1 });
    ids.adminProd = await requested(t.adminToken, 'production', { model: 'iris', version: 2 });
  });
  afterAll(() => t.close());

  it('lists every environment’s requests newest first, filtered by environment, model and state', async () => {
    const all = await list(iris.viewer, 'limit=50');
    expect(idsOf(all)).toEqual([ids.adminProd, ids.fraudProd, ids.irisProd, ids.irisStaging]);
    expect(all.next).toBeNull();
    expect(idsOf(await list(null, 'environment=staging'))).toEqual([ids.irisStaging]);
    expect(idsOf(await list(null, 'model=fraud'))).toEqual([ids.fraudProd]);
    expect(idsOf(await list(null, 'environment=production&state=pending'))).toEqual([
      ids.adminProd,
      ids.fraudProd,
      ids.irisProd,
    ]);
    expect(idsOf(await list(null, 'state=applied'))).toEqual([]);
  });

  it('shows an approver what waits for them: never their own, never what they decided, across environments', async () => {
    const inbox = await list(iris.approver1, 'approvable=true');
    expect(idsOf(inbox)).toEqual([ids.adminProd, ids.fraudProd, ids.irisProd, ids.irisStaging]);
    expect(inbox.items.every((r) => r.state === 'pending')).toBe(true);
    // The admin may approve, but not the request it made itself (two-person rule).
    expect(idsOf(await list(null, 'approvable=true'))).toEqual([
      ids.fraudProd,
      ids.irisProd,
      ids.irisStaging,
    ]);

    const res = await deployCalls(t).decide(iris.approver1, ids.irisProd, 'approve', 'metrics reviewed');
    expect(res.statusCode, res.body).toBe(200);
    expect(idsOf(await list(iris.approver1, 'approvable=true'))).not.toContain(ids.irisProd);
    expect(idsOf(await list(iris.approver2, 'approvable=true'))).toContain(ids.irisProd);
  });

  it('keeps team scope: an approver of another team sees none of the team’s requests', async () => {
    expect(idsOf(await list(outsider, 'limit=50'))).toEqual([]);
    expect(idsOf(await list(outsider, 'approvable=true'))).toEqual([]);
    expect(idsOf(await list(fraud.approver1, 'approvable=true'))).toEqual([ids.fraudProd]);
    expect(idsOf(await list(iris.viewer, 'approvable=true'))).toEqual([]);
    expect(idsOf(await list(iris.deployer, 'approvable=true'))).toEqual([]);
  });

  it('pages with a cursor, filling each page past what the caller may not see', async () => {
    const first = await list(iris.approver2, 'approvable=true&limit=1');
    expect(idsOf(first)).toEqual([ids.adminProd]);
    expect(first.next).toEqual(expect.any(String));
    const second = await list(iris.approver2, `approvable=true&limit=2&after=${first.next}`);
    expect(idsOf(second)).toEqual([ids.fraudProd, ids.irisProd]);
    const scoped = await list(fraud.approver1, 'limit=1');
    expect(idsOf(scoped)).toEqual([ids.fraudProd]);
    // Rows remain after it (other teams'): the cursor says so, and the next page is empty and the last.
    const rest = await list(fraud.approver1, `limit=1&after=${scoped.next}`);
    expect(rest).toEqual({ items: [], next: null });
  });

  it('refuses bad input precisely, and anonymous callers', async () => {
    const bad = (query: string) => t.app.inject({ url: `${api}/deploy-requests?${query}` });
    expectProblem(await bad('approvable=maybe'), 400, 'invalid_request');
    expectProblem(await bad('state=lost'), 400, 'invalid_request');
    expectProblem(await bad('limit=0'), 400, 'invalid_request');
    expectProblem(await bad('limit=501'), 400, 'invalid_request');
    expectProblem(await bad('environment=Not%20A%20Slug'), 400, 'invalid_request');
    expectProblem(await bad('colour=red'), 400, 'invalid_request');
    expectProblem(await bad('environment=moon'), 404, 'environment_not_found');
    expectProblem(await bad('model=nope'), 404, 'model_not_found');
    expectProblem(await t.rawApp.inject({ url: `${api}/deploy-requests` }), 401, 'unauthenticated');
    expectProblem(
      await t.app.inject({
        url: `${api}/deploy-requests?environment=production&model=fraud`,
        headers: auth(outsider),
      }),
      403,
      'forbidden',
    );
  });
});
