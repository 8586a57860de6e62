import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { auth, deploy, eventually, gatewayEnvironments, gatewayWorld } from './gateway-fixtures.js';

// Dynamic batching through the whole server: iris opted in by configuration; requests sent at once (their
// runs coalesced) are answered exactly as the same requests sent one after another (each run alone), with
// every guard on, and a request refused by validation among them changes no other answer.
describe('gateway with iris batched (gateway.batching.models)', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp({
      settings: { environments: gatewayEnvironments, 'gateway.batching.models': ['iris'] },
    });
    const w = await gatewayWorld(t, { count: 1 });
    await deploy(t, w.deployer, { model: 'iris', version: 1 });
    token = w.viewer;
    await eventually(async () => (await t.app.inject({ url: '/v2/models/iris/ready' })).json().ready);
  });
  afterAll(() => t.close());

  const bodyOf = (i: number) => {
    const rows = 1 + (i % 3);
    const data = Array.from({ length: rows * 4 }, (_, j) => ((i * 31 + j * 17) % 70) / 10);
    return { id: `r${i}`, inputs: [{ name: 'float_input', shape: [rows, 4], datatype: 'FP32', data }] };
  };
  const infer = (payload: unknown) =>
    t.app.inject({
      method: 'POST',
      url: '/v2/models/iris/infer',
      payload: payload as Record<string, unknown>,
      headers: { ...auth(token), 'content-type': 'application/json' },
    });

  it('answers requests sent at once as it answers them one by one', async () => {
    const bodies = Array.from({ length: 24 }, (_, i) => bodyOf(i));
    const bad = { inputs: [{ name: 'float_input', shape: [1, 5], datatype: 'FP32', data: [1, 2, 3, 4, 5] }] };
    const together = await Promise.all([...bodies.map(infer), infer(bad)]);
    const refused = together.pop();
    expect(refused?.statusCode).toBe(400);
    for (const [i, res] of together.entries()) {
      expect(res.statusCode, res.body).toBe(200);
      const alone = await infer(bodies[i]);
      expect(alone.statusCode).toBe(200);
      expect(res.json()).toEqual(alone.json());
      expect(res.json().id).toBe(`r${i}`);
      expect(res.json().outputs.find((o: { name: string }) => o.name === 'label').shape).toEqual([
        1 + (i % 3),
      ]);
    }
  });
});
