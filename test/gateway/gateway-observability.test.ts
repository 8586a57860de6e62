import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { auth, deploy, eventually, gatewayEnvironments, gatewayWorld } from './gateway-fixtures.js';

/** A value no other part of the test sends: it must reach the model, never a log line or a metric. */
const secretFeature = 6.123457;
const body = (value = secretFeature) => ({
  inputs: [{ name: 'float_input', shape: [1, 4], datatype: 'FP32', data: [value, 2.8, 4.8, 1.4] }],
});

/** The value of one sample line of the exposition, by its exact label set (0 when absent). */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const want = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort();
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)\{(.*)\} (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = (m[2] ?? '').split(/,(?=[a-z_]+=")/).sort();
    if (got.length === want.length && got.every((g, i) => g === want[i])) return Number(m[3]);
  }
  return 0;
}

describe('gateway observability: metrics, access log, observation buffer', () => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof gatewayWorld>>;
  const lines: string[] = [];
  const logs = new PassThrough();
  logs.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
  const infer = (payload: unknown, headers: Record<string, string>, model = 'iris') =>
    t.rawApp.inject({
      method: 'POST',
      url: `/v2/models/${model}/infer`,
      payload: payload as Record<string, unknown>,
      headers,
    });
  const metrics = async () => {
    const res = await t.app.inject({ url: '/metrics' });
    expect(res.statusCode, res.body).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    t = await createTestApp({
      settings: { environments: gatewayEnvironments, 'gateway.accessLog.sampleRate': 1 },
      logTo: logs,
    });
    w = await gatewayWorld(t, { count: 2 });
    await deploy(t, w.deployer, { model: 'iris', version: 1 });
    await eventually(async () => (await t.app.inject({ url: '/v2/models/iris/ready' })).json().ready);
  });
  afterAll(() => t.close());

  it('counts requests by model, digest, outcome and reason, with a latency histogram', async () => {
    const digest = w.versions[0]?.digest ?? '';
    for (let i = 0; i < 3; i++) expect((await infer(body(), auth(w.viewer))).statusCode).toBe(200);
    const wrongType = body();
    (wrongType.inputs[0] as { datatype: string }).datatype = 'INT32';
    expect((await infer(wrongType, auth(w.viewer))).statusCode).toBe(400);
    expect((await infer(body(), {})).statusCode).toBe(401);
    expect((await infer(body(), auth(w.viewer), 'made-up-name')).statusCode).toBe(404);
    const malformed = await t.rawApp.inject({
      method: 'POST',
      url: '/v2/models/iris/infer',
      payload: '{"inputs": [',
      headers: { ...auth(w.viewer), 'content-type': 'application/json' },
    });
    expect(malformed.statusCode).toBe(400);

    const text = await metrics();
    const requests = (labels: Record<string, string>) =>
      sample(text, 'warden_inference_requests_total', labels);
    expect(requests({ model: 'iris', digest, outcome: 'ok', reason: '' })).toBe(3);
    expect(
      requests({ model: 'iris', digest, outcome: 'client_error', reason: 'gateway_invalid_input' }),
    ).toBe(1);
    // Refused before a version was chosen: no digest.
    expect(requests({ model: 'iris', digest: '', outcome: 'client_error', reason: 'unauthenticated' })).toBe(
      1,
    );
    expect(requests({ model: 'iris', digest: '', outcome: 'client_error', reason: 'malformed_json' })).toBe(
      1,
    );
    // A name the gateway does not serve is never a label value.
    expect(
      requests({ model: '_unknown', digest: '', outcome: 'client_error', reason: 'gateway_model_not_found' }),
    ).toBe(1);
    expect(text).not.toContain('made-up-name');
    expect(
      sample(text, 'warden_inference_request_duration_seconds_count', {
        model: 'iris',
        digest,
        outcome: 'ok',
      }),
    ).toBe(3);
    expect(
      sample(text, 'warden_inference_request_duration_seconds_bucket', {
        model: 'iris',
        digest,
        outcome: 'ok',
        le: '+Inf',
      }),
    ).toBe(3);
    expect(text).toContain('le="0.0001"');
    // Each guard's hooks are timed on their own, one call in 16 (the first, then every 16th): the rate limit
    // admitted four calls (three answered, one refused by validation), the observation guard saw three.
    const guardCount = (guard: string, hook: string) =>
      sample(text, 'warden_inference_guard_duration_seconds_count', { guard, hook });
    expect(guardCount('rate-limit', 'admit')).toBe(1);
    expect(guardCount('observe', 'afterRun')).toBe(1);
    expect(guardCount('screening', 'beforeRun')).toBe(1);
    // Metadata reads are not inference calls.
    await t.app.inject({ url: '/v2/models/iris', headers: auth(w.viewer) });
    expect(
      sample(await metrics(), 'warden_inference_requests_total', {
        model: 'iris',
        digest,
        outcome: 'ok',
        reason: '',
      }),
    ).toBe(3);
    // Never a principal or a token in a label.
    expect(text).not.toContain(w.viewer);
    expect(text).not.toMatch(/principal=/);
  });

  it('counts loads and unloads of model sessions', async () => {
    let text = await metrics();
    expect(
      sample(text, 'warden_model_loads_total', { model: 'iris', slot: 'stable', result: 'loaded' }),
    ).toBe(1);
    expect(sample(text, 'warden_model_sessions', { model: 'iris' })).toBe(1);
    await deploy(t, w.deployer, { model: 'iris', version: 2 });
    text = await eventually(async () => {
      const now = await metrics();
      return sample(now, 'warden_model_unloads_total', { model: 'iris' }) === 1 ? now : null;
    });
    expect(
      sample(text, 'warden_model_loads_total', { model: 'iris', slot: 'stable', result: 'loaded' }),
    ).toBe(2);
    expect(sample(text, 'warden_model_sessions', { model: 'iris' })).toBe(1);
  });

  it('writes access lines without bodies, inputs or tokens', async () => {
    const access = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.log === 'access');
    expect(access.length).toBeGreaterThanOrEqual(6);
    expect(access.find((l) => l.status === 200)).toMatchObject({
      method: 'POST',
      route: '/v2/models/:model/infer',
      model: 'iris',
      principal: expect.stringMatching(/^token:/),
    });
    expect(access.find((l) => l.status === 401)).toMatchObject({
      reason: 'unauthenticated',
      principal: null,
    });
    const all = lines.join('\n');
    expect(all).not.toContain(w.viewer);
    expect(all).not.toContain(t.adminToken);
    expect(all).not.toContain(String(secretFeature));
    // Fastify's own per-request lines are off on the inference path: the sampled access log replaces them.
    const framework = lines.filter((l) => l.includes('"msg":"request completed"') && l.includes('/infer'));
    expect(framework).toEqual([]);
  });

  it('keeps each successful request for the monitoring module, drained per deployment', async () => {
    t.container.observations.drain('iris');
    expect((await infer(body(5.5), auth(w.viewer))).statusCode).toBe(200);
    expect((await infer(body(7.25), auth(w.viewer))).statusCode).toBe(200);
    const wrong = body();
    wrong.inputs[0] = { ...wrong.inputs[0], shape: [1, 3], data: [1, 2, 3] } as never;
    expect((await infer(wrong, auth(w.viewer))).statusCode).toBe(400);
    const seen = t.container.observations.drain('iris');
    expect(seen).toHaveLength(2);
    const first = seen[0];
    expect(first).toMatchObject({ model: 'iris', version: 2, digest: w.versions[1]?.digest });
    expect(first?.inputs[0]?.data).toBeInstanceOf(Float32Array);
    expect(Array.from(first?.inputs[0]?.data as Float32Array)).toEqual([
      5.5, 2.799999952316284, 4.800000190734863, 1.399999976158142,
    ]);
    expect(first?.outputs.map((o) => o.name)).toEqual(expect.arrayContaining(['label']));
    expect(t.container.observations.drain('iris')).toEqual([]);
  });
});
