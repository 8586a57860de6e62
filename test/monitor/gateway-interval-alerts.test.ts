import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMonitorAlertSqlStore } from '../../src/adapters/sql/monitor-alert.sql-store.js';
import type { AlertRecord } from '../../src/modules/monitor/index.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { type Receiver, startReceiver } from '../fixtures/webhook-receiver.js';
import {
  api,
  auth,
  deploy,
  eventually,
  gatewayEnvironments,
  gatewayWorld,
} from '../gateway/gateway-fixtures.js';

// The minute detectors on live traffic: real requests through the gateway (a deployed iris model), counted
// by its serving statistics and failed-authentication counter, read by the alert engine's minute tick on
// the container's clock, firing alerts that are audited and delivered as signed webhooks.

// Ten seconds into the current minute: the webhook receiver checks signed timestamps against its own clock.
let nowMs = Math.floor(Date.now() / 60_000) * 60_000 + 10_000;
const clock = { now: () => new Date(nowMs) };

const body = {
  inputs: [{ name: 'float_input', shape: [1, 4], datatype: 'FP32', data: [6.8, 2.8, 4.8, 1.4] }],
};

describe('minute detectors on gateway traffic', () => {
  let t: TestApp;
  let receiver: Receiver;
  let secret = '';
  let viewer = '';

  /** The clock one minute on; the serving statistics count the next answers in the new minute. */
  const nextMinute = () => {
    nowMs += 60_000;
    t.container.servingStats.tick();
  };
  const infer = (authorization: string) =>
    t.rawApp.inject({
      method: 'POST',
      url: '/v2/models/iris/infer',
      payload: body,
      headers: { authorization, 'content-type': 'application/json' },
    });
  const flood = async (n: number, authorization: string) => {
    const codes = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const { statusCode } = await infer(authorization);
      codes.set(statusCode, (codes.get(statusCode) ?? 0) + 1);
    }
    return Object.fromEntries(codes);
  };
  const alerts = async (): Promise<AlertRecord[]> => {
    const res = await t.app.inject({ url: `${api}/environments/production/monitor/alerts?model=iris` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items;
  };
  /** The rule's stored state, read on a connection of the test's own. */
  const ruleState = async (rule: string) => {
    const database = t.db.open();
    try {
      const states = await createMonitorAlertSqlStore(database.db).ruleStates('production', 'iris');
      return states.find((s) => s.rule === rule);
    } finally {
      await database.close();
    }
  };

  beforeAll(async () => {
    receiver = await startReceiver();
    t = await createTestApp({
      clock,
      settings: {
        environments: gatewayEnvironments,
        'webhooks.allowPrivateTargets': true,
        // Three calls per principal, then 429 for the rest of the test.
        'gateway.rateLimit.perPrincipal.ratePerSecond': 0.01,
        'gateway.rateLimit.perPrincipal.burst': 3,
        // Every failed authentication is counted; none is refused as a block of the caller's address.
        'authFailures.limit': 10_000,
      },
    });
    t.container.webhookDispatcher.start();
    const hook = await t.app.inject({
      method: 'POST',
      url: `${api}/webhooks`,
      payload: { url: receiver.url, events: ['monitor.alert.firing'] },
    });
    expect(hook.statusCode, hook.body).toBe(201);
    secret = hook.json().secret;
    const world = await gatewayWorld(t, { model: 'iris', owner: 'ml', count: 1 });
    viewer = world.viewer;
    await deploy(t, world.deployer, { model: 'iris', version: 1 });
    await eventually(async () => (await t.app.inject({ url: '/v2/models/iris/ready' })).json().ready);
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  it('a flood of failed authentications fires auth_failures at the next minute, audited and sent as a webhook', async () => {
    await t.container.alerts.onInterval(clock.now());
    expect(await alerts()).toEqual([]);

    expect(await flood(40, 'Bearer wdn_not_a_real_token')).toEqual({ 401: 40 });
    // Still the same minute: nothing complete to read yet, so nothing fires.
    await t.container.alerts.onInterval(clock.now());
    expect(await alerts()).toEqual([]);

    nextMinute();
    await t.container.alerts.onInterval(clock.now());
    const fired = (await alerts()).filter((a) => a.rule === 'auth_failures');
    expect(fired).toMatchObject([{ state: 'firing', severity: 'warning', value: 40, threshold: 30 }]);

    const audit = await t.app.inject({ url: `${api}/audit?action=monitor:alert:fire` });
    expect(audit.json().items.map((e: { details: { rule?: string } }) => e.details.rule)).toContain(
      'auth_failures',
    );
    const hook = await eventually(async () =>
      receiver.received.find((h) => JSON.parse(h.body).data?.rule === 'auth_failures'),
    );
    new Webhook(secret).verify(hook.body, {
      'webhook-id': String(hook.headers['webhook-id']),
      'webhook-timestamp': String(hook.headers['webhook-timestamp']),
      'webhook-signature': String(hook.headers['webhook-signature']),
    });
    expect(JSON.parse(hook.body)).toMatchObject({
      type: 'monitor.alert.firing',
      data: { model: 'iris', rule: 'auth_failures', state: 'firing' },
    });

    // The next minute has no failure: the reading is of that minute alone, not of everything so far.
    nextMinute();
    await t.container.alerts.onInterval(clock.now());
    const [after] = (await alerts()).filter((a) => a.rule === 'auth_failures');
    expect(after).toMatchObject({ value: 0 });
  });

  it('rate-limit refusals are counted per minute: one minute is read once, and two bad minutes fire', async () => {
    const flooded = await flood(70, auth(viewer).authorization);
    expect(flooded[429]).toBeGreaterThanOrEqual(67);
    nextMinute();
    await t.container.alerts.onInterval(clock.now());
    expect(await ruleState('rate_limited')).toMatchObject({ breaches: 1, openAlert: null });
    // A second tick in the same minute reads nothing new: the bad minute is not counted twice.
    await t.container.alerts.onInterval(clock.now());
    expect(await ruleState('rate_limited')).toMatchObject({ breaches: 1, openAlert: null });

    // A quiet minute between resets the streak (the counters are not cumulative since start).
    nextMinute();
    await t.container.alerts.onInterval(clock.now());
    expect(await ruleState('rate_limited')).toMatchObject({ breaches: 0 });

    for (let i = 0; i < 2; i++) {
      expect((await flood(70, auth(viewer).authorization))[429]).toBe(70);
      nextMinute();
      await t.container.alerts.onInterval(clock.now());
    }
    const fired = (await alerts()).filter((a) => a.rule === 'rate_limited');
    expect(fired).toMatchObject([{ state: 'firing', severity: 'info', value: 70, threshold: 60 }]);
  });
});
