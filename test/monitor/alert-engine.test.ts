import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertRecord, WindowSummary } from '../../src/modules/monitor/index.js';
import { api, auth, deployWorld } from '../deploy/deploy-fixtures.js';
import { waitFor } from '../fixtures/http-helpers.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { type Receiver, startReceiver } from '../fixtures/webhook-receiver.js';

// The alert engine in the real container: windows → alerts (deduplicated, resolved) → signed webhooks and
// audit entries → automatic rollback through the deploy module (canary abort, cool-down, nothing to roll
// back to), on real deployments in an environment with automatic rollback on.
// Starts now: webhook receivers check the signed timestamp against their own clock.
let nowMs = Date.now();
const clock = { now: () => new Date(nowMs) };
const minutes = (n: number) => {
  nowMs += n * 60_000;
};

let windows = 0;
function aWindow(
  model: string,
  version: number,
  digest: string,
  o: Partial<WindowSummary> = {},
): WindowSummary {
  return {
    id: `w-${++windows}`,
    environment: 'staging',
    model,
    version,
    digest,
    start: clock.now().toISOString(),
    end: clock.now().toISOString(),
    closedBy: 'count',
    requests: 100,
    rows: 100,
    drift: null,
    histograms: [],
    prediction: {
      rows: 100,
      uniqueRatio: 0.03,
      topClass: 'setosa',
      topClassShare: 0.34,
      meanConfidence: 0.9,
    },
    labels: { count: 0, accuracy: null, f1: null },
    ...o,
  };
}

const drifted = (share: number): WindowSummary['drift'] => ({
  columns: [],
  dataset: { columns: 4, drifted: Math.round(share * 4), share, threshold: 0.5, detected: share >= 0.5 },
});

describe('alert engine', () => {
  let t: TestApp;
  let receiver: Receiver;
  let secret: string;

  beforeAll(async () => {
    receiver = await startReceiver();
    t = await createTestApp({
      clock,
      settings: {
        'webhooks.allowPrivateTargets': true,
        environments: {
          staging: {
            approvals: 0,
            autoRollback: { enabled: true, severity: 'critical', cooldownMinutes: 30 },
          },
          production: {},
        },
      },
    });
    t.container.webhookDispatcher.start();
    const hook = await t.app.inject({
      method: 'POST',
      url: `${api}/webhooks`,
      payload: { url: receiver.url, events: ['monitor.alert.firing', 'monitor.alert.resolved'] },
    });
    expect(hook.statusCode, hook.body).toBe(201);
    secret = hook.json().secret;
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  async function deploy(token: string, model: string, version: number, extra: object = {}) {
    const res = await t.app.inject({
      method: 'POST',
      url: `${api}/environments/staging/requests`,
      payload: { model, version, ...extra },
      headers: auth(token),
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().deployment).not.toBeNull();
  }
  const live = async (model: string) =>
    (await t.app.inject({ url: `${api}/environments/staging/live` }))
      .json()
      .models.find((i: { model: string }) => i.model === model);
  const alertsOf = async (model: string): Promise<AlertRecord[]> => {
    const res = await t.app.inject({ url: `${api}/environments/staging/monitor/alerts?model=${model}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items;
  };

  it('fires after forWindows breaches, deduplicates, rolls back to the last known-good version, and resolves', async () => {
    const w = await deployWorld(t, { count: 3 });
    for (const v of w.versions) await deploy(w.deployer, 'iris', v.number);
    const v3 = w.versions[2] as { number: number; digest: string };
    const engine = t.container.alerts;

    await engine.onWindow(aWindow('iris', v3.number, v3.digest, { drift: drifted(0.75) }));
    expect(await alertsOf('iris')).toEqual([]);
    await engine.onWindow(aWindow('iris', v3.number, v3.digest, { drift: drifted(0.75) }));
    const [fired] = await alertsOf('iris');
    expect(fired).toMatchObject({
      rule: 'dataset_drift',
      severity: 'critical',
      state: 'firing',
      value: 0.75,
      threshold: 0.5,
      windowId: `w-${windows}`,
      version: 3,
      digest: v3.digest,
      rollback: { action: 'rolled_back', detail: null },
    });
    expect((await live('iris')).stable.version).toBe(2);

    // Still drifting: the same alert, its value updated; no second rollback.
    await engine.onWindow(aWindow('iris', v3.number, v3.digest, { drift: drifted(1) }));
    const again = await alertsOf('iris');
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ id: fired?.id, value: 1, state: 'firing' });

    await engine.onWindow(
      aWindow('iris', 2, (w.versions[1] as { digest: string }).digest, { drift: drifted(0) }),
    );
    const [resolved] = await alertsOf('iris');
    expect(resolved).toMatchObject({
      id: fired?.id,
      state: 'resolved',
      value: 0,
      resolvedAt: clock.now().toISOString(),
    });

    // Prometheus: the alert resolved (0), one transition each way, the detector's latest value.
    const metrics = (await t.app.inject({ url: '/metrics' })).body;
    const labels = 'environment="staging",model="iris"';
    expect(metrics).toContain(
      `warden_monitor_alerts_firing{${labels},rule="dataset_drift",severity="critical"} 0`,
    );
    expect(metrics).toContain(
      `warden_monitor_alert_transitions_total{${labels},rule="dataset_drift",severity="critical",state="firing"} 1`,
    );
    expect(metrics).toContain(
      `warden_monitor_alert_transitions_total{${labels},rule="dataset_drift",severity="critical",state="resolved"} 1`,
    );
    expect(metrics).toContain(`warden_monitor_detector_value{${labels},detector="dataset_drift"} 0`);

    const rollbacks = (await t.app.inject({ url: `${api}/audit?action=deploy:rollback` })).json().items;
    expect(rollbacks[0]).toMatchObject({
      principal: 'system',
      resource: 'deployment:staging/iris',
      details: { reason: expect.stringContaining(`monitor alert ${fired?.id}`) },
    });
    const fires = (await t.app.inject({ url: `${api}/audit?action=monitor:alert:fire` })).json().items;
    expect(fires[0]).toMatchObject({
      principal: 'system',
      details: { alert: fired?.id, rule: 'dataset_drift' },
    });

    // Both transitions reach the webhook endpoint, signed.
    expect(await waitFor(() => receiver.received.length >= 2, 15_000)).toBe(true);
    const verifier = new Webhook(secret);
    const events = receiver.received.map((hook) => {
      const headers = Object.fromEntries(
        ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => [h, String(hook.headers[h])]),
      );
      return verifier.verify(hook.body, headers) as { type: string; data: Record<string, unknown> };
    });
    expect(events.map((e) => e.type)).toEqual(['monitor.alert.firing', 'monitor.alert.resolved']);
    expect(events[0]?.data).toMatchObject({
      alert: fired?.id,
      environment: 'staging',
      model: 'iris',
      rule: 'dataset_drift',
      severity: 'critical',
      actor: { id: 'system' },
    });
  });

  it('holds a second rollback back during the cool-down, and takes it after', async () => {
    const w = await deployWorld(t, { count: 3, model: 'wine' });
    for (const v of w.versions) await deploy(w.deployer, 'wine', v.number);
    const engine = t.container.alerts;
    const collapsed = {
      rows: 100,
      uniqueRatio: 0.01,
      topClass: 'a',
      topClassShare: 0.99,
      meanConfidence: 0.9,
    };
    const v = (n: number) => w.versions[n - 1] as { number: number; digest: string };
    for (let i = 0; i < 2; i++) await engine.onWindow(aWindow('wine', 3, v(3).digest, { drift: drifted(1) }));
    expect((await live('wine')).stable.version).toBe(2);
    minutes(10);
    for (let i = 0; i < 2; i++)
      await engine.onWindow(aWindow('wine', 2, v(2).digest, { prediction: collapsed }));
    const held = (await alertsOf('wine')).find((a) => a.rule === 'top_class_share');
    expect(held?.rollback).toMatchObject({ action: 'cooldown', deployment: null });
    expect((await live('wine')).stable.version).toBe(2);

    // After the cool-down (stored, so a restart keeps it) the next alert to fire rolls back.
    minutes(30);
    await engine.onWindow(aWindow('wine', 2, v(2).digest, { drift: drifted(0) }));
    expect((await alertsOf('wine')).map((a) => a.state)).toEqual(['resolved', 'resolved']);
    await engine.onWindow(aWindow('wine', 2, v(2).digest, { drift: drifted(1), prediction: collapsed }));
    await engine.onWindow(aWindow('wine', 2, v(2).digest, { drift: drifted(1), prediction: collapsed }));
    expect((await live('wine')).stable.version).toBe(1);
  });

  it('aborts a live canary instead of rolling back, and records when there is nothing to roll back to', async () => {
    const w = await deployWorld(t, { count: 2, model: 'kiwi' });
    const v = (n: number) => w.versions[n - 1] as { number: number; digest: string };
    await deploy(w.deployer, 'kiwi', 1);
    minutes(60);
    await deploy(w.deployer, 'kiwi', 2, { slot: 'canary', percent: 10 });
    const engine = t.container.alerts;
    for (let i = 0; i < 2; i++) await engine.onWindow(aWindow('kiwi', 2, v(2).digest, { drift: drifted(1) }));
    const [aborted] = await alertsOf('kiwi');
    expect(aborted?.rollback).toMatchObject({ action: 'aborted' });
    const now = await live('kiwi');
    expect(now.stable.version).toBe(1);
    expect(now.candidate).toBeNull();
    const audit = (await t.app.inject({ url: `${api}/audit?action=deploy:abort` })).json().items;
    expect(audit[0]).toMatchObject({ principal: 'system', resource: 'deployment:staging/kiwi' });

    minutes(60);
    const confident = {
      rows: 100,
      uniqueRatio: 0.03,
      topClass: 'a',
      topClassShare: 0.95,
      meanConfidence: 0.9,
    };
    for (let i = 0; i < 2; i++)
      await engine.onWindow(aWindow('kiwi', 1, v(1).digest, { prediction: confident }));
    const failed = (await alertsOf('kiwi')).find((a) => a.rule === 'top_class_share');
    expect(failed?.rollback).toMatchObject({ action: 'failed', detail: 'deploy_no_known_good' });
    expect((await live('kiwi')).stable.version).toBe(1);
  });
});
