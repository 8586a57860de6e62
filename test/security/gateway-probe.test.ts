import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { api, auth, deploy, gatewayEnvironments, gatewayWorld } from '../gateway/gateway-fixtures.js';

// The inference gateway probed as an attacker would: crafted paths and names, hostile sizes and encodings,
// prototype-polluting policy documents, every inference route anonymous and from another team. The
// properties: never a 5xx, always the protocol's own error shape, and nothing weakened.
describe('the inference gateway under attack', () => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof gatewayWorld>>;
  let outsider: string;
  const row = {
    inputs: [{ name: 'float_input', shape: [1, 4], datatype: 'FP32', data: [6.3, 3.3, 6.0, 2.5] }],
  };

  beforeAll(async () => {
    t = await createTestApp({ settings: { environments: gatewayEnvironments } });
    w = await gatewayWorld(t, { count: 1 });
    await deploy(t, w.deployer, { model: 'iris', version: 1 });
    outsider = await t.tokenFor({ name: 'outsider', roles: ['admin'], teams: ['other'] });
    for (let i = 0; i < 100; i++) {
      const res = await t.app.inject({ method: 'POST', url: '/v2/models/iris/infer', payload: row });
      if (res.statusCode === 200) break;
      await new Promise((r) => setTimeout(r, 20));
    }
  });
  afterAll(() => t.close());

  const v2Error = (res: { statusCode: number; headers: Record<string, unknown>; body: string }) => {
    expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
    expect(res.statusCode, res.body).toBeLessThan(500);
    expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
    expect(Object.keys(JSON.parse(res.body))).toEqual(['error']);
  };

  it('refuses every inference route anonymous (401) and from another team (403), in the protocol shape', async () => {
    const routes: [string, string, unknown][] = [
      ['GET', '/v2/models/iris', undefined],
      ['GET', '/v2/models/iris/ready', undefined],
      ['GET', '/v2/models/iris/status', undefined],
      ['POST', '/v2/models/iris/infer', row],
      ['POST', '/v2/models/iris/versions/1/infer', row],
      ['GET', '/v1/models/iris', undefined],
      ['POST', '/v1/models/iris:predict', { instances: [[6.3, 3.3, 6.0, 2.5]] }],
    ];
    for (const [method, url, payload] of routes) {
      const anonymous = await t.rawApp.inject({
        method: method as 'GET',
        url,
        ...(payload ? { payload } : {}),
      });
      expect(anonymous.statusCode, `${method} ${url}`).toBe(401);
      v2Error(anonymous);
      const other = await t.rawApp.inject({
        method: method as 'GET',
        url,
        headers: auth(outsider),
        ...(payload ? { payload } : {}),
      });
      expect(other.statusCode, `${method} ${url}`).toBe(403);
      v2Error(other);
    }
    const chat = await t.rawApp.inject({
      method: 'POST',
      url: '/openai/v1/chat/completions',
      payload: { model: 'iris', messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(chat.statusCode).toBe(401);
    const gzip = await t.rawApp.inject({
      method: 'POST',
      url: '/openai/v1/chat/completions',
      headers: { ...auth(w.viewer), 'content-encoding': 'gzip', 'content-type': 'application/json' },
      payload: JSON.stringify({ model: 'iris', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(gzip.statusCode).toBe(415);
    expect(chat.json().error).toMatchObject({ message: expect.any(String) });
    // A token in the query string is not a credential.
    const query = await t.rawApp.inject({
      method: 'POST',
      url: `/v2/models/iris/infer?token=${w.viewer}`,
      payload: row,
    });
    expect(query.statusCode).toBeGreaterThanOrEqual(400);
    expect(query.statusCode).toBeLessThan(500);
  });

  it('answers crafted paths and names with 4xx in the protocol shape, never reaching the API', async () => {
    for (const url of [
      '/v2/models/..%2F..%2Fapi%2Fv1%2Ftokens/infer',
      '/v2/models/%2e%2e/infer',
      '/v2/models/iris%00/infer',
      '/v2/models/iris%2Fversions%2F1/infer',
      `/v2/models/${'a'.repeat(5000)}/infer`,
      '/v2/models/iris/versions/0/infer',
      '/v2/models/iris/versions/99999999999999999999/infer',
      '/v2/models/iris/versions/-1/infer',
      '/v2/models/%F0%9F%98%80/infer',
      '/v2/models/%ED%A0%80/infer',
    ]) {
      const res = await t.rawApp.inject({ method: 'POST', url, payload: row, headers: auth(w.viewer) });
      expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, url).toBeLessThan(500);
      expect(res.body, url).not.toMatch(/stack|at .*\.js:\d+/);
    }
  });

  it('refuses hostile sizes before allocating, and hostile encodings, with 4xx', async () => {
    const hostile: { headers?: Record<string, string>; payload: string | Buffer }[] = [
      // Shapes that would allocate gigabytes if believed.
      {
        payload: JSON.stringify({
          inputs: [{ ...row.inputs[0], shape: [2147483647, 4], data: [1, 2, 3, 4] }],
        }),
      },
      { payload: JSON.stringify({ inputs: [{ ...row.inputs[0], shape: [1e300, 4], data: [1, 2, 3, 4] }] }) },
      { payload: JSON.stringify({ inputs: [{ ...row.inputs[0], shape: [-1, 4], data: [1, 2, 3, 4] }] }) },
      { payload: JSON.stringify({ inputs: [{ ...row.inputs[0], shape: [1, 4], data: [[[[[[[[1]]]]]]]] }] }) },
      // Deep nesting.
      { payload: `{"inputs":${'['.repeat(5000)}${']'.repeat(5000)}}` },
      // Binary sections: a header length beyond the body, negative, absurd.
      { headers: { 'inference-header-content-length': '99999999999' }, payload: JSON.stringify(row) },
      { headers: { 'inference-header-content-length': '-1' }, payload: JSON.stringify(row) },
      {
        headers: { 'inference-header-content-length': '2', 'content-type': 'application/octet-stream' },
        payload: Buffer.from('{}'),
      },
      {
        headers: { 'inference-header-content-length': '90', 'content-type': 'application/octet-stream' },
        payload: Buffer.concat([
          Buffer.from(
            JSON.stringify({
              inputs: [
                {
                  name: 'float_input',
                  shape: [1, 4],
                  datatype: 'FP32',
                  parameters: { binary_data_size: 2 ** 53 },
                },
              ],
            }).padEnd(90),
          ),
          Buffer.alloc(16),
        ]),
      },
      // Encodings the gateway does not take.
      { headers: { 'content-encoding': 'gzip' }, payload: JSON.stringify(row) },
      {
        headers: { 'content-type': 'application/json; charset=utf-16' },
        payload: Buffer.from(JSON.stringify(row), 'utf16le'),
      },
      { headers: { 'content-type': 'text/plain' }, payload: JSON.stringify(row) },
    ];
    for (const [i, h] of hostile.entries()) {
      const res = await t.rawApp.inject({
        method: 'POST',
        url: '/v2/models/iris/infer',
        headers: { 'content-type': 'application/json', ...auth(w.viewer), ...h.headers },
        payload: h.payload,
      });
      expect(res.statusCode, `case ${i}: ${res.body}`).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, `case ${i}: ${res.body}`).toBeLessThan(500);
    }
    // And the model still answers.
    const ok = await t.app.inject({
      method: 'POST',
      url: '/v2/models/iris/infer',
      payload: row,
      headers: auth(w.viewer),
    });
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('keeps every guard on when a policy document tries to pollute prototypes', async () => {
    const url = `${api}/environments/production/models/iris/guards`;
    for (const raw of [
      '{"policy":{"__proto__":{"screening":{"enabled":false}}},"reason":"x"}',
      '{"policy":{"screening":{"__proto__":{"enabled":false}}},"reason":"x"}',
      '{"policy":{"constructor":{"prototype":{"enabled":false}}},"reason":"x"}',
      '{"__proto__":{"policy":{"redaction":{"enabled":false}}},"reason":"x"}',
    ]) {
      const res = await t.app.inject({
        method: 'PUT',
        url,
        payload: raw,
        headers: { 'content-type': 'application/json' },
      });
      expect(res.statusCode, raw).toBe(400);
    }
    const view = (await t.app.inject({ url })).json();
    expect(view.revision).toBe(0);
    for (const g of ['screening', 'redaction', 'coarsening', 'extraction', 'rateLimit'])
      expect(view.policy[g].enabled, g).toBe(true);
    expect(({} as Record<string, unknown>).enabled).toBeUndefined();
    // Another team's admin can neither read nor weaken it.
    const other = await t.rawApp.inject({
      method: 'PUT',
      url,
      headers: auth(outsider),
      payload: { policy: { screening: { enabled: false } }, reason: 'takeover' },
    });
    expect(other.statusCode).toBe(403);
    expect((await t.rawApp.inject({ url, headers: auth(outsider) })).statusCode).toBe(403);
  });
});
