import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../fixtures/http-helpers.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { type Receiver, startReceiver } from '../fixtures/webhook-receiver.js';
import { api, auth, deployWorld } from './deploy-fixtures.js';

describe('deployment events as signed webhooks', () => {
  let t: TestApp;
  let receiver: Receiver;
  let secret: string;
  let w: Awaited<ReturnType<typeof deployWorld>>;

  beforeAll(async () => {
    receiver = await startReceiver();
    t = await createTestApp({
      settings: {
        'webhooks.allowPrivateTargets': true,
        environments: { staging: { approvals: 0 }, production: { requireVulnReport: false } },
      },
    });
    t.container.webhookDispatcher.start();
    const hook = await t.app.inject({
      method: 'POST',
      url: `${api}/webhooks`,
      payload: {
        url: receiver.url,
        events: [
          'deployment.requested',
          'deployment.approval_needed',
          'deployment.applied',
          'deployment.rejected',
          'deployment.rolled_back',
          'canary.changed',
        ],
      },
    });
    expect(hook.statusCode, hook.body).toBe(201);
    secret = hook.json().secret;
    w = await deployWorld(t, { count: 2 });
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  it('announces requests, approvals needed, applies, canaries, rejections and rollbacks, each verifiable', async () => {
    const as = { headers: auth(w.deployer) };
    const post = (url: string, payload: object, headers = as.headers) =>
      t.app.inject({ method: 'POST', url: `${api}${url}`, payload, headers });
    await post('/environments/staging/requests', { model: 'iris', version: 1 });
    await post('/environments/staging/requests', { model: 'iris', version: 2, slot: 'canary', percent: 10 });
    await post('/environments/staging/models/iris/abort', {});
    await post('/environments/staging/requests', { model: 'iris', version: 2 });
    await post('/environments/staging/models/iris/rollback', { reason: 'latency' });
    const prod = (await post('/environments/production/requests', { model: 'iris', version: 1 })).json()
      .request.id;
    await post(`/deploy-requests/${prod}/reject`, { reason: 'not this week' }, auth(w.approver1));

    const expected = [
      'deployment.requested',
      'deployment.applied',
      'deployment.requested',
      'deployment.applied',
      'canary.changed',
      'canary.changed',
      'deployment.requested',
      'deployment.applied',
      'deployment.rolled_back',
      'deployment.requested',
      'deployment.approval_needed',
      'deployment.rejected',
    ];
    expect(await waitFor(() => receiver.received.length >= expected.length, 15_000)).toBe(true);
    const verifier = new Webhook(secret);
    const events = receiver.received.map((hook) => {
      const headers = Object.fromEntries(
        ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => [h, String(hook.headers[h])]),
      );
      return verifier.verify(hook.body, headers) as { type: string; data: Record<string, unknown> };
    });
    expect(events.map((e) => e.type).sort()).toEqual([...expected].sort());
    const rolledBack = events.find((e) => e.type === 'deployment.rolled_back');
    expect(rolledBack?.data).toMatchObject({
      environment: 'staging',
      model: 'iris',
      version: 1,
      digest: w.versions[0]?.digest,
      fromDigest: w.versions[1]?.digest,
      reason: 'latency',
      actor: { name: 'deployer-iris' },
    });
    const needed = events.find((e) => e.type === 'deployment.approval_needed');
    expect(needed?.data).toMatchObject({
      environment: 'production',
      request: prod,
      approvals: 0,
      approvalsNeeded: 2,
    });
    expect(
      events
        .filter((e) => e.type === 'canary.changed')
        .map((e) => e.data.change)
        .sort(),
    ).toEqual(['aborted', 'started']);
  });
});
