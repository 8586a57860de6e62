import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel, push } from '../fixtures/http-helpers.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import {
  api,
  auth,
  deploy,
  eventually,
  gatewayEnvironments,
  gatewayWorld,
  iris,
  testRows,
} from './gateway-fixtures.js';

const kserveIris = {
  inputs: [
    {
      name: 'input-0',
      shape: [2, 4],
      datatype: 'FP32',
      data: [
        [6.8, 2.8, 4.8, 1.4],
        [6.0, 3.4, 4.5, 1.6],
      ],
    },
  ],
};
const irisBody = (extra: Record<string, unknown> = {}) => ({
  inputs: [{ ...kserveIris.inputs[0], name: 'float_input' }],
  ...extra,
});

describe('inference gateway (V2 REST) on a deployed iris model', () => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof gatewayWorld>>;
  const infer = (body: unknown, token?: string, url = '/v2/models/iris/infer') =>
    t.app.inject({
      method: 'POST',
      url,
      payload: body as Record<string, unknown>,
      headers: token ? auth(token) : {},
    });

  beforeAll(async () => {
    t = await createTestApp({ settings: { environments: gatewayEnvironments } });
    w = await gatewayWorld(t, { count: 2 });
    await deploy(t, w.deployer, { model: 'iris', version: 1 });
    await eventually(async () => (await t.app.inject({ url: '/v2/models/iris/ready' })).json().ready);
  });
  afterAll(() => t.close());

  it('answers health, server metadata and model metadata', async () => {
    expect((await t.rawApp.inject({ url: '/v2/health/live' })).json()).toEqual({ live: true });
    expect((await t.rawApp.inject({ url: '/v2/health/ready' })).json()).toEqual({ ready: true });
    expect((await t.rawApp.inject({ url: '/v2' })).json()).toMatchObject({
      name: 'warden',
      extensions: ['binary_tensor_data'],
    });
    const meta = await t.app.inject({ url: '/v2/models/iris', headers: auth(w.viewer) });
    expect(meta.statusCode, meta.body).toBe(200);
    expect(meta.headers['x-warden-model-digest']).toBe(w.versions[0]?.digest);
    expect(meta.json()).toEqual({
      name: 'iris',
      versions: ['1'],
      platform: 'onnx_onnxv1',
      inputs: [{ name: 'float_input', datatype: 'FP32', shape: [-1, 4] }],
      outputs: [
        { name: 'probabilities', datatype: 'FP32', shape: [-1, 3] },
        { name: 'label', datatype: 'INT64', shape: [-1] },
      ],
    });
  });

  it('classifies the KServe iris rows (input renamed to the model’s own)', async () => {
    const res = await infer(irisBody({ id: 'req-1' }), w.viewer);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['x-warden-model-digest']).toBe(w.versions[0]?.digest);
    const body = res.json();
    expect(body).toMatchObject({ model_name: 'iris', model_version: '1', id: 'req-1' });
    const label = body.outputs.find((o: { name: string }) => o.name === 'label');
    expect(label).toEqual({ name: 'label', datatype: 'INT64', shape: [2], data: [1, 1] });
    const probs = body.outputs.find((o: { name: string }) => o.name === 'probabilities');
    expect(probs.shape).toEqual([2, 3]);
    expect(probs.data).toHaveLength(6);
  });

  it('refuses the exact KServe body: its input name is not the model’s', async () => {
    const res = await infer(kserveIris, w.viewer);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'unknown input "input-0"; the model takes "float_input"',
    });
  });

  it('scores the held-out rows like the reference (flat data, one output)', async () => {
    const { features, labels } = testRows();
    const res = await infer(
      {
        inputs: [
          { name: 'float_input', shape: [features.length, 4], datatype: 'FP32', data: features.flat() },
        ],
        outputs: [{ name: 'label' }],
      },
      w.viewer,
    );
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.outputs.map((o: { name: string }) => o.name)).toEqual(['label']);
    const predicted = body.outputs[0].data as number[];
    const correct = predicted.filter((p, i) => p === labels[i]).length;
    const metrics = JSON.parse(
      (await import('node:fs')).readFileSync(
        new URL('../../examples/iris/model/metrics.json', import.meta.url),
        'utf8',
      ),
    );
    expect(correct / labels.length).toBeCloseTo(metrics.accuracy, 9);
  });

  describe('refuses what the model does not declare, with a precise 400 {"error"}', () => {
    const one = (input: Record<string, unknown>) => ({
      inputs: [
        { name: 'float_input', shape: [1, 4], datatype: 'FP32', data: [5.1, 3.5, 1.4, 0.2], ...input },
      ],
    });
    const cases: [string, unknown, string][] = [
      ['not an object', [1, 2], 'the request body must be a JSON object'],
      ['no inputs', {}, 'missing field "inputs"'],
      ['empty inputs', { inputs: [] }, '"inputs" must be a non-empty array of tensors'],
      ['a non-string id', { ...one({}), id: 7 }, '"id" must be a string, got number'],
      [
        'no name',
        { inputs: [{ shape: [1, 4], datatype: 'FP32', data: [1, 2, 3, 4] }] },
        'inputs[0]: missing field "name"',
      ],
      [
        'no shape',
        { inputs: [{ name: 'float_input', datatype: 'FP32', data: [1, 2, 3, 4] }] },
        'inputs[0]: missing field "shape"',
      ],
      [
        'no datatype',
        { inputs: [{ name: 'float_input', shape: [1, 4], data: [1, 2, 3, 4] }] },
        'inputs[0]: missing field "datatype"',
      ],
      [
        'no data',
        { inputs: [{ name: 'float_input', shape: [1, 4], datatype: 'FP32' }] },
        'inputs[0]: missing field "data"',
      ],
      ['a wrong datatype', one({ datatype: 'FP64' }), 'input "float_input" is FP32, not FP64'],
      [
        'an unknown datatype',
        one({ datatype: 'FLOAT' }),
        'input "float_input": unknown or unsupported datatype "FLOAT"',
      ],
      [
        'a wrong rank',
        one({ shape: [1, 4, 1] }),
        'input "float_input" has rank 2 (shape [-1,4]), got shape [1,4,1]',
      ],
      [
        'a wrong fixed dimension',
        one({ shape: [1, 5], data: [1, 2, 3, 4, 5] }),
        'input "float_input": dimension 1 must be 4 (shape [-1,4]), got 5',
      ],
      [
        'a negative dimension',
        one({ shape: [-1, 4] }),
        'input "float_input": "shape" must hold non-negative integers, got -1',
      ],
      [
        'too few elements',
        one({ data: [1, 2, 3] }),
        'input "float_input": "data" has 3 elements; shape [1,4] needs 4',
      ],
      [
        'too many elements',
        one({ shape: [2, 4], data: [1, 2, 3, 4, 5, 6, 7, 8, 9] }),
        'input "float_input": "data" has 9 elements; shape [2,4] needs 8',
      ],
      [
        'a ragged nested row',
        one({
          shape: [2, 4],
          data: [
            [1, 2, 3, 4],
            [1, 2, 3],
          ],
        }),
        'input "float_input": "data"[1] has 3 elements; dimension 1 is 4',
      ],
      [
        'nested rows that do not match the shape',
        one({ shape: [2, 4], data: [[1, 2, 3, 4]] }),
        'input "float_input": "data" has 1 elements; dimension 0 is 2',
      ],
      [
        '"NaN" as a string',
        one({ data: [1, 'NaN', 3, 4] }),
        'input "float_input": element 1 must be a number, got "NaN"',
      ],
      [
        '"Infinity" as a string',
        one({ data: ['Infinity', 2, 3, 4] }),
        'input "float_input": element 0 must be a number, got "Infinity"',
      ],
      [
        '1e308 for FP32',
        one({ data: [1e308, 2, 3, 4] }),
        'input "float_input": element 0 (1e+308) is out of range for FP32',
      ],
      ['null data', one({ data: null }), 'input "float_input": "data" must be an array, got null'],
      [
        'an unknown input',
        { inputs: [...one({}).inputs, { name: 'extra', shape: [1], datatype: 'FP32', data: [1] }] },
        'unknown input "extra"; the model takes "float_input"',
      ],
      [
        'an input given twice',
        { inputs: [...one({}).inputs, ...one({}).inputs] },
        'input "float_input" is given more than once',
      ],
      [
        'an unknown output',
        { ...one({}), outputs: [{ name: 'logits' }] },
        'unknown output "logits"; the model gives "probabilities", "label"',
      ],
      [
        'too many rows',
        one({ shape: [10_001, 4], data: [] }),
        'input "float_input" has 10001 rows; at most 10000 are allowed per request',
      ],
    ];
    it.each(cases)('%s', async (_what, body, error) => {
      const res = await infer(body, w.viewer);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.json()).toEqual({ error });
    });

    it('checks the element count before reading the data', async () => {
      // A shape whose product no body can carry is refused without looking at `data`.
      const res = await infer(one({ shape: [1, 4_000_000_000], data: 'never read' }), w.viewer);
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toContain('dimension 1 must be 4');
      const huge = await t.app.inject({
        method: 'POST',
        url: '/v2/models/iris/infer',
        payload: { inputs: [{ name: 'float_input', shape: [9000, 4], datatype: 'FP32', data: [1] }] },
        headers: auth(w.viewer),
      });
      expect(huge.json()).toEqual({
        error: 'input "float_input": "data" has 1 elements; shape [9000,4] needs 36000',
      });
    });

    it('malformed JSON, a wrong content type, a binary-typed body that is not JSON', async () => {
      const send = (payload: string, type: string) =>
        t.app.inject({
          method: 'POST',
          url: '/v2/models/iris/infer',
          payload,
          headers: { ...auth(w.viewer), 'content-type': type },
        });
      const malformed = await send('{"inputs": [', 'application/json');
      expect(malformed.statusCode).toBe(400);
      expect(malformed.json().error).toMatch(/^malformed JSON body/);
      const text = await send('inputs', 'text/plain');
      expect(text.statusCode).toBe(400);
      expect(text.json()).toEqual({
        error:
          'the request body must be JSON (Content-Type: application/json) or binary tensor data (application/octet-stream with Inference-Header-Content-Length)',
      });
      // Without Inference-Header-Content-Length the whole binary-typed body is the JSON header.
      const binary = await send('xxxx', 'application/octet-stream');
      expect(binary.statusCode).toBe(400);
      expect(binary.json().error).toMatch(/^malformed JSON body/);
    });
  });

  describe('body size', () => {
    let small: TestApp;
    let token: string;
    beforeAll(async () => {
      small = await createTestApp({
        settings: { environments: gatewayEnvironments, 'gateway.maxBodyBytes': 2048 },
      });
      const world = await gatewayWorld(small, { count: 1 });
      await deploy(small, world.deployer, { model: 'iris', version: 1 });
      token = world.viewer;
      await eventually(async () => (await small.app.inject({ url: '/v2/models/iris/ready' })).json().ready);
    });
    afterAll(() => small.close());
    const big = JSON.stringify({
      inputs: [{ name: 'float_input', shape: [200, 4], datatype: 'FP32', data: Array(800).fill(1.5) }],
    });

    it('refuses an oversize body with 413 before parsing it', async () => {
      const res = await small.app.inject({
        method: 'POST',
        url: '/v2/models/iris/infer',
        payload: big,
        headers: { ...auth(token), 'content-type': 'application/json' },
      });
      expect(res.statusCode).toBe(413);
      expect(res.json()).toEqual({ error: 'the request body is larger than 2048 bytes' });
    });

    it('refuses an oversize chunked body (no content-length) with 413', async () => {
      const { Readable } = await import('node:stream');
      const res = await small.app.inject({
        method: 'POST',
        url: '/v2/models/iris/infer',
        payload: Readable.from([Buffer.from(big.slice(0, 1500)), Buffer.from(big.slice(1500))]),
        headers: { ...auth(token), 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      });
      expect(res.statusCode).toBe(413);
      expect(res.json()).toEqual({ error: 'the request body is larger than 2048 bytes' });
    });
  });

  describe('who may call', () => {
    it('refuses an anonymous or unknown caller with 401 {"error"}', async () => {
      const anonymous = await t.rawApp.inject({
        method: 'POST',
        url: '/v2/models/iris/infer',
        payload: irisBody(),
      });
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.json()).toEqual({ error: 'authentication required' });
      expect(anonymous.headers['www-authenticate']).toBe('Bearer realm="warden"');
      const forged = await infer(irisBody(), 'wdn_0000000000000000000000_notasecret');
      expect(forged.statusCode).toBe(401);
      expect((await t.rawApp.inject({ url: '/v2/models/iris' })).statusCode).toBe(401);
    });

    it('refuses another team (403) and an approver (no invoke), denials audited as one entry per caller with a count', async () => {
      const other = await t.tokenFor({ name: 'nlp-viewer', roles: ['viewer'], teams: ['nlp'] });
      const res = await infer(irisBody(), other);
      expect(res.statusCode).toBe(403);
      expect(Object.keys(res.json())).toEqual(['error']);
      const approver = await t.tokenFor({ name: 'ml-approver', roles: ['approver'], teams: ['ml'] });
      for (let i = 0; i < 30; i++) expect((await infer(irisBody(), approver)).statusCode).toBe(403);
      const denied = async () =>
        (await t.app.inject({ url: `${api}/audit?action=inference:invoke` }))
          .json()
          .items.filter((e: { outcome: string }) => e.outcome === 'denied');
      // A valid token without the permission cannot add one audit row per request: counted, then flushed.
      expect(await denied()).toHaveLength(0);
      await t.container.deniedInference.flush();
      const entries = await denied();
      expect(entries).toHaveLength(2);
      expect(
        entries.map((e: { resource: string; details: { count: number } }) => [e.resource, e.details.count]),
      ).toEqual(
        expect.arrayContaining([
          ['deployment:production/iris', 1],
          ['deployment:production/iris', 30],
        ]),
      );
    });

    it('answers 404 {"error"} for a model that is not live here', async () => {
      const res = await infer(irisBody(), w.viewer, '/v2/models/resnet/infer');
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ error: 'model "resnet" is not served here' });
      expect((await t.app.inject({ url: '/v2/nowhere' })).json()).toEqual({
        error: 'no such path: GET /v2/nowhere',
      });
    });

    it('stops taking a revoked token within a second (successes are cached for at most one second)', async () => {
      const token = await t.tokenFor({ name: 'short-lived', roles: ['viewer'], teams: ['ml'] });
      expect((await infer(irisBody(), token)).statusCode).toBe(200);
      const id = token.split('_')[1];
      const revoke = await t.app.inject({ method: 'DELETE', url: `${api}/tokens/${id}` });
      expect(revoke.statusCode, revoke.body).toBeLessThan(300);
      await new Promise((r) => setTimeout(r, 1100));
      expect((await infer(irisBody(), token)).statusCode).toBe(401);
    });
  });

  describe('a version without a valid signature for the environment', () => {
    let loose: TestApp;
    beforeAll(async () => {
      // An environment whose gates do not ask for a signature: the gateway still does.
      loose = await createTestApp({
        settings: {
          environments: { production: { ...gatewayEnvironments.production, gates: ['scan'] } },
        },
      });
    });
    afterAll(() => loose.close());

    it('is never loaded: not ready (503), refused in the status, audited', async () => {
      await createModel(loose, 'plain', { owner: 'ml' });
      const v = await push(loose, 'plain', { kind: 'file' }, [{ path: 'iris.onnx', content: iris }]);
      const deployer = await loose.tokenFor({ name: 'd', roles: ['deployer'], teams: ['ml'] });
      await deploy(loose, deployer, { model: 'plain', version: v.number });
      const status = await eventually(async () => {
        const s = (await loose.app.inject({ url: '/v2/models/plain/status' })).json();
        return s.refused ? s : null;
      });
      expect(status).toMatchObject({
        ready: false,
        stable: null,
        refused: { version: 1, digest: v.digest, loaded: false, failure: { check: 'signature' } },
      });
      expect(status.refused.failure.reason).toBe('no valid signature by a signer allowed for production');
      expect((await loose.app.inject({ url: '/v2/models/plain/ready' })).json()).toEqual({
        name: 'plain',
        ready: false,
      });
      const res = await loose.app.inject({
        method: 'POST',
        url: '/v2/models/plain/infer',
        payload: irisBody(),
      });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ error: 'model "plain" is not ready' });
      const audit = (await loose.app.inject({ url: `${api}/audit?action=gateway:load` })).json();
      expect(audit.items).toHaveLength(1);
      expect(audit.items[0]).toMatchObject({
        outcome: 'failed',
        details: { check: 'signature', version: 1 },
      });
    });
  });
});

describe('denied inference requests at shutdown', () => {
  it('writes the counted denials when the app closes', async () => {
    const t = await createTestApp({ settings: { environments: gatewayEnvironments } });
    try {
      const w = await gatewayWorld(t, { count: 1 });
      await deploy(t, w.deployer, { model: 'iris', version: 1 });
      await eventually(async () => (await t.app.inject({ url: '/v2/models/iris/ready' })).json().ready);
      const approver = await t.tokenFor({ name: 'ml-approver', roles: ['approver'], teams: ['ml'] });
      for (let i = 0; i < 5; i++) {
        const res = await t.rawApp.inject({
          method: 'POST',
          url: '/v2/models/iris/infer',
          payload: irisBody(),
          headers: auth(approver),
        });
        expect(res.statusCode).toBe(403);
      }
      const denials = async () =>
        (
          await t.container.auditQuery.list({ action: 'inference:invoke', limit: 100 }, { unscoped: true })
        ).items.filter((e) => e.outcome === 'denied');
      expect(await denials()).toHaveLength(0);
      await t.rawApp.close();
      expect((await denials()).map((e) => e.details?.count)).toEqual([5]);
    } finally {
      await t.close();
    }
  });
});
