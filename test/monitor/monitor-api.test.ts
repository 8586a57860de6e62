import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monitorDefaults } from '../../src/config/monitor.schema.js';
import { databaseFactories } from '../fixtures/databases.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import {
  api,
  auth,
  deploy,
  eventually,
  gatewayEnvironments,
  gatewayWorld,
} from '../gateway/gateway-fixtures.js';

const base = `${api}/environments/production/monitor`;
const unknownId = '00000000-0000-7000-8000-000000000000';

describe.each(databaseFactories())('monitor API over /api/v1 ($name)', (factory) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof gatewayWorld>>;
  let labeller: string;
  const requestIds: string[] = [];
  const predictions: number[] = [];

  beforeAll(async () => {
    t = await createTestApp({
      factory,
      settings: {
        environments: gatewayEnvironments,
        monitor: { ...monitorDefaults, window: { rows: 10, seconds: 300, minRows: 5 } },
      },
    });
    w = await gatewayWorld(t, { count: 1 });
    // Posting labels is a write on the deployment (contributors); the model's team is ml.
    labeller = await t.tokenFor({ name: 'labeller', roles: ['contributor'], teams: ['ml'] });
    await deploy(t, w.deployer, { model: 'iris', version: 1 });
    await eventually(async () => (await t.app.inject({ url: '/v2/models/iris/ready' })).json().ready);
    for (let i = 0; i < 10; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v2/models/iris/infer',
        payload: {
          inputs: [
            {
              name: 'float_input',
              shape: [1, 4],
              datatype: 'FP32',
              data: [5 + i / 5, 3.3, 1 + i / 2, 0.2 + i / 5],
            },
          ],
        },
        headers: auth(w.viewer),
      });
      expect(res.statusCode, res.body).toBe(200);
      requestIds.push(String(res.headers['x-request-id']));
      predictions.push(res.json().outputs.find((o: { name: string }) => o.name === 'label').data[0]);
    }
    await t.container.monitorRunner.service.tick();
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists the window the traffic closed (by count), with predictions and no drift without a reference', async () => {
    const res = await t.app.inject({ url: `${base}/windows?model=iris`, headers: auth(w.viewer) });
    expect(res.statusCode, res.body).toBe(200);
    const { items, next } = res.json();
    expect(next).toBeNull();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      model: 'iris',
      version: 1,
      closedBy: 'count',
      requests: 10,
      rows: 10,
      drift: null,
      // Read by the alert engine when it was stored: no drift, and fewer rows than the output detectors need.
      readings: [],
    });
    expect(items[0].prediction.rows).toBe(10);
    const one = await t.app.inject({ url: `${base}/windows/${items[0].id}`, headers: auth(w.viewer) });
    expect(one.json()).toEqual(items[0]);
    const status = await t.app.inject({ url: `${base}/status?model=iris`, headers: auth(w.viewer) });
    expect(status.statusCode, status.body).toBe(200);
    expect(status.json()).toMatchObject({
      model: 'iris',
      pendingWrites: 0,
      lostWindows: 0,
      lastClosed: { id: items[0].id, readings: [] },
      latestInterval: null,
    });
  });

  it('labels by request id: known ones update accuracy and F1, unknown ones are reported', async () => {
    const labels = requestIds.slice(0, 4).map((requestId, i) => ({
      requestId,
      // The first two right, the next two wrong.
      value: i < 2 ? (predictions[i] ?? 0) : ((predictions[i] ?? 0) + 1) % 3,
    }));
    const res = await t.app.inject({
      method: 'POST',
      url: `${base}/labels`,
      payload: { model: 'iris', labels: [...labels, { requestId: unknownId, value: 'setosa' }] },
      headers: auth(labeller),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ accepted: 4, unknown: [unknownId] });
    const [window] = (
      await t.app.inject({ url: `${base}/windows?model=iris`, headers: auth(w.viewer) })
    ).json().items;
    expect(window.labels.count).toBe(4);
    expect(window.labels.accuracy).toBe(0.5);
  });

  it('refuses without a token (401), without the permission (403), unknown targets (404)', async () => {
    expect((await t.rawApp.inject({ url: `${base}/windows?model=iris` })).statusCode).toBe(401);
    const stranger = await t.tokenFor({ name: 'stranger', roles: ['viewer'], teams: ['elsewhere'] });
    expect(
      (await t.app.inject({ url: `${base}/windows?model=iris`, headers: auth(stranger) })).statusCode,
    ).toBe(403);
    const post = await t.app.inject({
      method: 'POST',
      url: `${base}/labels`,
      payload: { model: 'iris', labels: [{ requestId: unknownId, value: 1 }] },
      headers: auth(w.viewer),
    });
    expect(post.statusCode).toBe(403);
    const notFound = [
      `${api}/environments/nowhere/monitor/windows?model=iris`,
      `${base}/windows?model=no-such-model`,
      `${base}/windows/${unknownId}`,
      `${base}/status?model=no-such-model`,
    ];
    for (const url of notFound) {
      const res = await t.app.inject({ url, headers: auth(w.viewer) });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect(
      (await t.app.inject({ url: `${base}/windows/${unknownId}`, headers: auth(w.viewer) })).json().code,
    ).toBe('monitor_window_not_found');
  });

  it('answers 400 for bad input', async () => {
    const bad = [
      `${base}/windows`,
      `${base}/windows?model=iris&limit=0`,
      `${base}/windows?model=iris&cursor=nope`,
      `${base}/windows/not-an-id`,
      `${base}/status`,
    ];
    for (const url of bad)
      expect((await t.app.inject({ url, headers: auth(w.viewer) })).statusCode, url).toBe(400);
    const post = (payload: unknown) =>
      t.app.inject({
        method: 'POST',
        url: `${base}/labels`,
        payload: payload as object,
        headers: auth(w.deployer),
      });
    const tooMany = Array.from({ length: 10_001 }, () => ({ requestId: unknownId, value: 1 }));
    for (const payload of [
      { model: 'iris', labels: [{ requestId: 'not a request id', value: 1 }] },
      { model: 'iris', labels: [] },
      { model: 'iris', labels: tooMany },
      { labels: [{ requestId: unknownId, value: 1 }] },
      { model: 'iris', labels: [{ requestId: unknownId }] },
    ])
      expect((await post(payload)).statusCode).toBe(400);
  });
});
