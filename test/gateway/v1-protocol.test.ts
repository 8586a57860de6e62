import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { api, auth, deploy, eventually, gatewayEnvironments, gatewayWorld } from './gateway-fixtures.js';

const kserveV1 = JSON.parse(
  readFileSync(new URL('../fixtures/kserve/iris_input.json', import.meta.url), 'utf8'),
);

describe('the V1 protocol (KServe :predict) on a deployed iris model', () => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof gatewayWorld>>;
  const predict = (payload: unknown, token?: string, url = '/v1/models/iris:predict') =>
    t.app.inject({
      method: 'POST',
      url,
      payload: payload as Record<string, unknown>,
      headers: token ? auth(token) : {},
    });

  beforeAll(async () => {
    t = await createTestApp({
      settings: { environments: gatewayEnvironments, 'gateway.maxBodyBytes': 2048 },
    });
    w = await gatewayWorld(t, { count: 1 });
    await deploy(t, w.deployer, { model: 'iris', version: 1 });
    await eventually(async () => (await t.app.inject({ url: '/v2/models/iris/ready' })).json().ready);
  });
  afterAll(() => t.close());

  it('answers readiness with the digest that serves', async () => {
    const res = await t.app.inject({ url: '/v1/models/iris', headers: auth(w.viewer) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ name: 'iris', ready: true });
    expect(res.headers['x-warden-model-digest']).toBe(w.versions[0]?.digest);
  });

  it('predicts KServe’s own V1 iris body unchanged: one prediction per instance', async () => {
    const res = await predict(kserveV1, w.viewer);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['x-warden-model-digest']).toBe(w.versions[0]?.digest);
    const { predictions } = res.json();
    expect(predictions).toHaveLength(2);
    expect(predictions.map((p: { label: number }) => p.label)).toEqual([1, 1]);
    // The same numbers V2 gives, row by row.
    const v2 = await t.app.inject({
      method: 'POST',
      url: '/v2/models/iris/infer',
      payload: {
        inputs: [{ name: 'float_input', shape: [2, 4], datatype: 'FP32', data: kserveV1.instances }],
      },
      headers: auth(w.viewer),
    });
    const probs = v2.json().outputs.find((o: { name: string }) => o.name === 'probabilities').data;
    expect(predictions[0].probabilities).toEqual(probs.slice(0, 3));
    expect(predictions[1].probabilities).toEqual(probs.slice(3));
  });

  it('takes instances keyed by input name', async () => {
    const res = await predict({ instances: [{ float_input: [5.1, 3.5, 1.4, 0.2] }] }, w.viewer);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().predictions[0].label).toBe(0);
  });

  describe('refuses bad input with a precise 400 {"error"}', () => {
    const cases: [string, unknown, string][] = [
      ['not an object', [1, 2], 'the request body must be a JSON object'],
      ['no instances', {}, 'missing field "instances"'],
      [
        'the columnar format',
        { inputs: [[1, 2, 3, 4]] },
        'the columnar "inputs" format is not supported; send "instances"',
      ],
      ['empty instances', { instances: [] }, '"instances" must be a non-empty array'],
      ['instances not an array', { instances: 'x' }, '"instances" must be a non-empty array'],
      [
        'a short row',
        {
          instances: [
            [1, 2, 3, 4],
            [1, 2, 3],
          ],
        },
        'input "float_input": "data"[1] has 3 elements; dimension 1 is 4',
      ],
      [
        'a row of the wrong rank',
        { instances: [1, 2] },
        'input "float_input" has rank 2 (shape [-1,4]), got shape [2]',
      ],
      [
        '"NaN" as a string',
        { instances: [[1, 'NaN', 3, 4]] },
        'input "float_input": element 1 must be a number, got "NaN"',
      ],
      [
        '1e308',
        { instances: [[1e308, 2, 3, 4]] },
        'input "float_input": element 0 (1e+308) is out of range for FP32',
      ],
      [
        'an unknown input name',
        { instances: [{ petals: [1, 2, 3, 4] }] },
        'instances[0]: unknown input "petals"; the model takes "float_input"',
      ],
      [
        'a mix of rows and objects',
        { instances: [{ float_input: [1, 2, 3, 4] }, [1, 2, 3, 4]] },
        '"instances" mixes rows and objects keyed by input name; send one form',
      ],
    ];
    it.each(cases)('%s', async (_what, body, error) => {
      const res = await predict(body, w.viewer);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toEqual({ error });
    });

    it('malformed JSON and a wrong content type', async () => {
      const send = (payload: string, type: string) =>
        t.app.inject({
          method: 'POST',
          url: '/v1/models/iris:predict',
          payload,
          headers: { ...auth(w.viewer), 'content-type': type },
        });
      const malformed = await send('{"instances": [', 'application/json');
      expect(malformed.statusCode).toBe(400);
      expect(malformed.json().error).toMatch(/^malformed JSON body/);
      for (const type of ['text/plain', 'application/octet-stream']) {
        const res = await send('{"instances": [[1,2,3,4]]}', type);
        expect(res.statusCode).toBe(400);
        expect(res.json()).toEqual({
          error: 'the request body must be JSON (Content-Type: application/json)',
        });
      }
    });

    it('an oversize body, whole or chunked (413)', async () => {
      const big = JSON.stringify({ instances: Array.from({ length: 200 }, () => [5.1, 3.5, 1.4, 0.2]) });
      for (const payload of [
        big,
        Readable.from([Buffer.from(big.slice(0, 1500)), Buffer.from(big.slice(1500))]),
      ]) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/v1/models/iris:predict',
          payload,
          headers: {
            ...auth(w.viewer),
            'content-type': 'application/json',
            ...(typeof payload === 'string' ? {} : { 'transfer-encoding': 'chunked' }),
          },
        });
        expect(res.statusCode).toBe(413);
        expect(res.json()).toEqual({ error: 'the request body is larger than 2048 bytes' });
      }
    });
  });

  describe('who may call', () => {
    it('refuses an anonymous caller (401), another team (403, audited), an unknown model (404)', async () => {
      const anonymous = await t.rawApp.inject({
        method: 'POST',
        url: '/v1/models/iris:predict',
        payload: kserveV1,
      });
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.json()).toEqual({ error: 'authentication required' });
      expect((await t.rawApp.inject({ url: '/v1/models/iris' })).statusCode).toBe(401);
      const other = await t.tokenFor({ name: 'nlp-viewer-v1', roles: ['viewer'], teams: ['nlp'] });
      const denied = await predict(kserveV1, other);
      expect(denied.statusCode).toBe(403);
      expect(Object.keys(denied.json())).toEqual(['error']);
      // Counted per principal and deployment, written on the tally's flush (interval or shutdown).
      await t.container.deniedInference.flush();
      const audit = await t.app.inject({ url: `${api}/audit?action=inference:invoke` });
      expect(audit.json().items.some((e: { outcome: string }) => e.outcome === 'denied')).toBe(true);
      const missing = await predict(kserveV1, w.viewer, '/v1/models/resnet:predict');
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toEqual({ error: 'model "resnet" is not served here' });
      expect((await t.app.inject({ url: '/v1/models/resnet', headers: auth(w.viewer) })).statusCode).toBe(
        404,
      );
      expect((await t.app.inject({ url: '/v1/nowhere' })).json()).toEqual({
        error: 'no such path: GET /v1/nowhere',
      });
    });
  });
});
