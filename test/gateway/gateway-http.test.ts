import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { auth, deploy, eventually, gatewayEnvironments, gatewayWorld, testRows } from './gateway-fixtures.js';

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
    expect((await t.rawApp.inject({ url: '/v2' })).json()).toMatchObject({ name: 'warden', extensions: [] });
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
        inputs: [{ name: 'float_input', shape: [features.length, 4], datatype: 'FP32', data: features.flat() }],
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
      (await import('node:fs')).readFileSync(new URL('../../examples/iris/model/metrics.json', import.meta.url), 'utf8'),
    );
    expect(correct / labels.length).toBeCloseTo(metrics.accuracy, 9);
  });
});
