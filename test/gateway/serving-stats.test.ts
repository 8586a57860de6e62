import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { latencyRatio } from '../../src/modules/gateway/index.js';
import { expectProblem } from '../fixtures/http-helpers.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { api, auth, deploy, eventually, gatewayEnvironments, gatewayWorld } from './gateway-fixtures.js';

const body = {
  inputs: [{ name: 'float_input', shape: [1, 4], datatype: 'FP32', data: [6.8, 2.8, 4.8, 1.4] }],
};
const big = JSON.stringify({
  inputs: [{ name: 'float_input', shape: [200, 4], datatype: 'FP32', data: Array(800).fill(1.5) }],
});

interface Figures {
  requests: number;
  status: Record<'2xx' | '4xx' | '5xx', number>;
  refusals: Record<string, number>;
  latencyMs: { p50: number; p90: number; p99: number } | null;
}
interface ModelStats {
  model: string;
  digests: { digest: string | null; totals: Figures }[];
  minutes: (Figures & { at: string })[];
  totals: Figures;
}

// Real inference requests through the app (a real ONNX model), counted per minute by the gateway's rollup.
describe('serving statistics (GET /environments/{env}/serving/stats)', () => {
  let t: TestApp;
  let iris: Awaited<ReturnType<typeof gatewayWorld>>;
  let wine: Awaited<ReturnType<typeof gatewayWorld>>;
  let admin: string;
  const slowest: number[] = [];
  const infer = async (model: string, headers: Record<string, string>, payload: unknown = body) => {
    const started = performance.now();
    const res = await t.rawApp.inject({
      method: 'POST',
      url: `/v2/models/${model}/infer`,
      payload: typeof payload === 'string' ? payload : (payload as Record<string, unknown>),
      headers: { ...headers, 'content-type': 'application/json' },
    });
    if (res.statusCode === 200) slowest.push(performance.now() - started);
    return res.statusCode;
  };
  const stats = (token: string, query = '', env = 'production') =>
    t.rawApp.inject({ url: `${api}/environments/${env}/serving/stats${query}`, headers: auth(token) });
  const modelsOf = async (token: string, query = ''): Promise<ModelStats[]> => {
    const res = await stats(token, query);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().models;
  };

  beforeAll(async () => {
    t = await createTestApp({
      settings: {
        environments: gatewayEnvironments,
        'gateway.maxBodyBytes': 2048,
        // Three calls per principal, then 429 for the rest of the test.
        'gateway.rateLimit.perPrincipal.ratePerSecond': 0.01,
        'gateway.rateLimit.perPrincipal.burst': 3,
      },
    });
    admin = t.adminToken;
    iris = await gatewayWorld(t, { model: 'iris', owner: 'ml', count: 1 });
    wine = await gatewayWorld(t, { model: 'wine', owner: 'other', count: 1 });
    await deploy(t, iris.deployer, { model: 'iris', version: 1 });
    await deploy(t, wine.deployer, { model: 'wine', version: 1 });
    for (const model of ['iris', 'wine'])
      await eventually(async () => (await t.app.inject({ url: `/v2/models/${model}/ready` })).json().ready);

    const outsider = await t.tokenFor({ name: 'outsider', roles: ['viewer'], teams: ['other'] });
    const answers = [
      ...[1, 2, 3, 4].map(() => () => infer('iris', auth(iris.viewer))), // 200 ×3, then 429
      () => infer('iris', auth(iris.deployer), big), // 413 before parsing
      () => infer('iris', auth(iris.deployer)), // 200
      () => infer('iris', {}), // 401
      () => infer('iris', auth(outsider)), // 403: another team's model
      () => infer('made-up', auth(iris.viewer)), // 404, counted as _unknown
      () => infer('wine', auth(wine.viewer)), // 200
    ];
    const codes = [];
    for (const send of answers) codes.push(await send());
    expect(codes).toEqual([200, 200, 200, 429, 413, 200, 401, 403, 404, 200]);
  });
  afterAll(() => t?.close());
  afterEach(() => {
    vi.useRealTimers();
  });

  it("counts each answer of the team's model by status, refusal reason and digest, per minute", async () => {
    const [one, ...rest] = await modelsOf(iris.viewer);
    expect(rest).toEqual([]);
    const m = one as ModelStats;
    expect(m.model).toBe('iris');
    expect(m.totals).toMatchObject({
      requests: 8,
      status: { '2xx': 4, '4xx': 4, '5xx': 0 },
      refusals: { gateway_rate_limited: 1, body_too_large: 1, unauthenticated: 1, forbidden: 1 },
    });
    // The version that answered, and the refusals made before one was chosen.
    const digest = iris.versions[0]?.digest;
    const byDigest = Object.fromEntries(m.digests.map((d) => [String(d.digest), d.totals]));
    expect(Object.keys(byDigest).sort()).toEqual([String(digest), 'null'].sort());
    expect(byDigest[String(digest)]?.status['2xx']).toBe(4);
    expect(byDigest[String(digest)]?.refusals).toEqual({ gateway_rate_limited: 1 });
    expect(byDigest.null?.refusals).toEqual({ body_too_large: 1, unauthenticated: 1, forbidden: 1 });
    // 60 minutes, oldest first, one minute apart, zeros included; they add up to the totals.
    expect(m.minutes).toHaveLength(60);
    const ats = m.minutes.map((x) => Date.parse(x.at));
    expect(ats.slice(1).every((at, i) => at - (ats[i] as number) === 60_000)).toBe(true);
    expect(m.minutes.reduce((n, x) => n + x.requests, 0)).toBe(8);
  });

  it('answers latency percentiles within one bucket of what the callers measured', async () => {
    const [m] = await modelsOf(iris.viewer, '?model=iris');
    const lat = m?.totals.latencyMs;
    if (!lat) throw new Error('no latency for the answered requests');
    expect(lat.p50).toBeGreaterThan(0);
    expect(lat.p50).toBeLessThanOrEqual(lat.p90);
    expect(lat.p90).toBeLessThanOrEqual(lat.p99);
    // The server's own time is within the caller's; a percentile is at most one bucket above the truth.
    expect(lat.p99).toBeLessThanOrEqual(Math.max(...slowest) * latencyRatio);
    // Minutes with only 4xx refusals (or nothing) have no latency; the others do.
    for (const minute of m?.minutes ?? [])
      expect(minute.latencyMs === null).toBe(minute.status['2xx'] + minute.status['5xx'] === 0);
  });

  it("shows each caller only the models it may read: other teams' stay out, _unknown to metric readers", async () => {
    expect((await modelsOf(wine.viewer)).map((m) => m.model)).toEqual(['wine']);
    expect(await modelsOf(wine.viewer, '?model=iris')).toEqual([]);
    const all = await modelsOf(admin);
    expect(all.map((m) => m.model)).toEqual(['iris', 'wine', '_unknown']);
    expect(all[2]?.totals).toMatchObject({ requests: 1, refusals: { gateway_model_not_found: 1 } });
    expect((await modelsOf(admin, '?model=_unknown')).map((m) => m.model)).toEqual(['_unknown']);
    // A team's administrator does not read the metrics, so it does not see requests naming no model.
    const teamAdmin = await t.tokenFor({ name: 'ml-admin', roles: ['admin'], teams: ['ml'] });
    expect((await modelsOf(teamAdmin)).map((m) => m.model)).toEqual(['iris']);
    expect(await modelsOf(teamAdmin, '?model=_unknown')).toEqual([]);
  });

  it('rolls the minutes with the clock: answers move back, then leave the hour', async () => {
    const answered = (models: ModelStats[]) =>
      (models[0]?.minutes ?? []).filter((x) => x.requests > 0).map((x) => [x.at, x.requests]);
    const before = answered(await modelsOf(iris.viewer, '?model=iris'));
    expect(before.length).toBeGreaterThan(0);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 2 * 60_000 });
    const later = await modelsOf(iris.viewer, '?model=iris');
    expect(answered(later)).toEqual(before);
    expect(later[0]?.minutes.slice(-2).every((x) => x.requests === 0)).toBe(true);
    const short = await modelsOf(iris.viewer, '?model=iris&minutes=2');
    expect(short[0]?.minutes).toHaveLength(2);
    expect(short[0]?.totals.requests).toBe(0);
    vi.setSystemTime(Date.now() + 60 * 60_000);
    const gone = await modelsOf(iris.viewer, '?model=iris');
    expect(gone[0]).toMatchObject({ model: 'iris', digests: [], totals: { requests: 0 } });
  });

  it('refuses bad query parameters, another environment and the anonymous', async () => {
    for (const query of [
      '?minutes=0',
      '?minutes=61',
      '?minutes=abc',
      '?minutes=',
      '?minutes=-5',
      '?model=Not%20A%20Slug',
      '?since=1',
    ]) {
      const res = await stats(iris.viewer, query);
      expectProblem(res, 400, 'invalid_request', t);
    }
    const elsewhere = await stats(iris.viewer, '', 'staging');
    expect(elsewhere.statusCode, elsewhere.body).toBe(404);
    const anonymous = await t.rawApp.inject({ url: `${api}/environments/production/serving/stats` });
    expectProblem(anonymous, 401, 'unauthenticated', t);
  });
});
