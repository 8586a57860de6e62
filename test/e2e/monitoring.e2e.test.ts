import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { irisReferenceRows, seeded } from '../fixtures/iris-traffic.js';
import { type Receiver, startReceiver } from '../fixtures/webhook-receiver.js';
import {
  adminTokenOf,
  cleanup,
  type RunningWarden,
  repoRoot,
  startServer,
  tempDir,
  warden,
  wardenJson,
} from './helpers.js';

// The whole loop against `warden serve`: the iris model pushed with its reference data and deployed, traffic
// through the gateway, windows, drift and detectors, an alert delivered as a signed webhook, the automatic
// rollback it causes, and the audit log recording the chain.

const irisModel = path.join(repoRoot, 'examples', 'iris', 'model');
const reference = path.join(repoRoot, 'examples', 'iris', 'data', 'reference.csv');
const windowRows = 150;

interface Window {
  id: string;
  digest: string;
  rows: number;
  closedBy: string;
  drift: { dataset: { detected: boolean; share: number } } | null;
  prediction: { topClassShare: number } | null;
}
interface AlertRow {
  id: string;
  rule: string;
  severity: string;
  state: string;
  digest: string;
  rollback: { action: string } | null;
}

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, withinMs: number): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() - started > withinMs)
      throw new Error(`timed out: ${JSON.stringify(value).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('monitoring end to end: traffic → windows → drift and anomaly alerts → webhook → rollback → audit', {
  timeout: 240_000,
}, () => {
  let server: RunningWarden;
  let receiver: Receiver;
  let secret = '';
  let token = '';
  /** A fresh caller for each kind of traffic: the extraction watch would throttle one that sends it all. */
  let newToken: (name: string) => Promise<string> = async () => '';
  const digests = { v1: '', v2: '' };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

  const get = async <T>(route: string): Promise<T> => {
    const res = await fetch(`${server.url}/api/v1${route}`, {
      headers: { authorization: `Bearer ${adminTokenOf(server.url)}` },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as T;
  };
  const windows = () =>
    get<{ items: Window[] }>('/environments/production/monitor/windows?model=iris&limit=100').then(
      (p) => p.items,
    );
  const alerts = () =>
    get<{ items: AlertRow[] }>('/environments/production/monitor/alerts?model=iris').then((p) => p.items);

  /** One single-row inference; resolves with the digest that answered. */
  function infer(row: number[]): Promise<{ status: number; digest: string | undefined }> {
    const body = JSON.stringify({
      inputs: [{ name: 'float_input', shape: [1, 4], datatype: 'FP32', data: row }],
    });
    return new Promise((resolve, reject) => {
      const req = http.request(
        `${server.url}/v2/models/iris/infer`,
        {
          method: 'POST',
          agent,
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, digest: res.headers['x-warden-model-digest'] as string }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Sends rows in order, eight at a time; every one must be answered. */
  async function send(rows: number[][]): Promise<void> {
    for (let i = 0; i < rows.length; i += 8) {
      const answers = await Promise.all(rows.slice(i, i + 8).map(infer));
      expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    }
  }

  const irisRows = irisReferenceRows().features;
  /** In-distribution traffic: reference rows drawn with a seeded generator (the same every run). */
  const drawn = (n: number, seed: number) => {
    const random = seeded(seed);
    return Array.from({ length: n }, () => irisRows[Math.floor(random() * irisRows.length)] as number[]);
  };

  beforeAll(async () => {
    receiver = await startReceiver(() => ({ status: 200 }));
    const environments = {
      production: {
        approvals: 0,
        autoApply: true,
        gates: ['signature'],
        requireVulnReport: false,
        autoRollback: { enabled: true, severity: 'critical', cooldownMinutes: 30 },
      },
    };
    server = await startServer({
      env: {
        WARDEN_ENVIRONMENTS: JSON.stringify(environments),
        WARDEN_WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true',
        WARDEN_MONITOR_DRAIN_SECONDS: '1',
        WARDEN_MONITOR_WINDOW_ROWS: String(windowRows),
        WARDEN_MONITOR_WINDOW_SECONDS: '3600',
        WARDEN_MONITOR_WINDOW_MIN_ROWS: '100',
      },
    });
    const work = tempDir('warden-monitoring-');
    const as = { url: server.url };
    const ok = async (args: string[]) => {
      const res = await warden(args, as);
      expect(res.code, `warden ${args.join(' ')}\n${res.stderr}`).toBe(0);
      return res.stdout;
    };
    const v2Dir = path.join(work, 'iris-v2');
    cpSync(irisModel, v2Dir, { recursive: true });
    writeFileSync(path.join(v2Dir, 'NOTES.md'), 'v2: the same weights, re-released\n');
    const key = path.join(work, 'release');
    await Promise.all([ok(['keygen', '--out', key]), ok(['model', 'create', 'iris', '--owner', 'ml-team'])]);
    await ok(['signer', 'add', 'release', '--key', `${key}.pub`, '--env', 'production']);
    await ok(['sign', irisModel, '--key', `${key}.pem`, '--signature', path.join(work, 'v1.sig')]);
    await ok(['sign', v2Dir, '--key', `${key}.pem`, '--signature', path.join(work, 'v2.sig')]);
    secret = (
      await ok([
        'webhook',
        'add',
        receiver.url,
        '--events',
        'monitor.alert.firing,monitor.alert.resolved,deployment.rolled_back',
      ])
    ).trim();
    for (const [v, dir] of [
      ['v1', irisModel],
      ['v2', v2Dir],
    ] as const) {
      // Each version carries the reference data (the species column is taken for the target).
      const pushed = await wardenJson<{ number: number; digest: string }>(
        [
          'model',
          'push',
          dir,
          '--model',
          'iris',
          '--signature',
          path.join(work, `${v}.sig`),
          '--reference',
          reference,
        ],
        as,
      );
      digests[v] = pushed.digest;
      const { request } = await wardenJson<{ request: { state: string } }>(
        ['deploy', 'request', 'production', `iris@${pushed.number}`, '--reason', `release ${v}`],
        as,
      );
      expect(request.state).toBe('applied');
    }
    newToken = async (name) =>
      /wdn_\S+/.exec(await ok(['token', 'create', '--name', name, '--role', 'viewer']))?.[0] ?? '';
    token = await newToken('traffic-quiet');
    await until(
      () => infer(irisRows[0] as number[]),
      (a) => a.status === 200 && a.digest === digests.v2,
      15_000,
    );
  });

  afterAll(async () => {
    agent.destroy();
    try {
      await server?.stop();
      await receiver?.close();
    } finally {
      await cleanup();
    }
  });

  it('stays quiet on in-distribution traffic, then alerts on shifted and degenerate traffic and rolls production back', async () => {
    // In distribution: two full windows on v2, no drift, no alert.
    await send(drawn(2 * windowRows, 7));
    const quiet = await until(windows, (ws) => ws.filter((w) => w.rows >= windowRows).length >= 2, 30_000);
    const full = quiet.filter((w) => w.rows >= windowRows);
    expect(full.every((w) => w.digest === digests.v2 && w.drift !== null)).toBe(true);
    expect(full.map((w) => w.drift?.dataset.detected)).toEqual([false, false]);
    expect(await alerts()).toEqual([]);

    token = await newToken('traffic-shifted');
    // Shifted: petals 2 cm longer and 1 cm wider. The dataset-drift rule (critical, two windows) fires and
    // production goes back to v1.
    const shifted = drawn(2 * windowRows, 11).map(([a, b, c, d]) => [
      a,
      b,
      (c as number) + 2,
      (d as number) + 1,
    ]);
    await send(shifted as number[][]);
    const fired = await until(alerts, (as) => as.some((a) => a.rollback?.action === 'rolled_back'), 30_000);
    expect(fired.find((a) => a.rule === 'dataset_drift')).toMatchObject({
      severity: 'critical',
      state: 'firing',
      digest: digests.v2,
    });
    const cause = fired.find((a) => a.rollback?.action === 'rolled_back') as AlertRow;
    const drifted = (await windows()).filter((w) => w.digest === digests.v2 && w.drift?.dataset.detected);
    expect(drifted.length).toBeGreaterThanOrEqual(2);
    await until(
      () => infer(irisRows[0] as number[]),
      (a) => a.digest === digests.v1,
      15_000,
    );

    token = await newToken('traffic-degenerate');
    // Degenerate: one row over and over on v1. The output collapses to one class (the top-class-share rule
    // fires); the cool-down holds a second rollback, so production stays on v1.
    await send(Array.from({ length: 2 * windowRows }, () => irisRows[0] as number[]));
    const collapsedWindows = await until(
      windows,
      (ws) => ws.filter((w) => w.digest === digests.v1 && w.prediction?.topClassShare === 1).length >= 2,
      30_000,
    );
    expect(collapsedWindows.some((w) => w.digest === digests.v1 && w.drift?.dataset.detected)).toBe(true);
    const collapsed = await until(
      alerts,
      (as) => as.some((a) => a.rule === 'top_class_share' && a.state === 'firing'),
      30_000,
    );
    expect(collapsed.filter((a) => a.rollback?.action === 'rolled_back')).toHaveLength(1);
    expect((await infer(irisRows[0] as number[])).digest).toBe(digests.v1);

    // The webhook receiver got the firing alert and the rollback, each signed with the endpoint's secret.
    const hooks = await until(
      async () => receiver.received.map((h) => ({ h, type: (JSON.parse(h.body) as { type: string }).type })),
      (hs) =>
        hs.some((x) => x.type === 'monitor.alert.firing') &&
        hs.some((x) => x.type === 'deployment.rolled_back'),
      30_000,
    );
    const verifier = new Webhook(secret);
    for (const { h } of hooks)
      verifier.verify(h.body, {
        'webhook-id': String(h.headers['webhook-id']),
        'webhook-timestamp': String(h.headers['webhook-timestamp']),
        'webhook-signature': String(h.headers['webhook-signature']),
      });
    const firing = hooks.map((x) => JSON.parse(x.h.body)).find((b) => b.data?.rule === 'dataset_drift');
    expect(firing).toMatchObject({
      type: 'monitor.alert.firing',
      data: { model: 'iris', severity: 'critical' },
    });
    expect(hooks.filter((x) => x.type === 'deployment.rolled_back')).toHaveLength(1);

    // The audit log records the chain: the alert fired, the system rolled back naming the alert.
    const fires = await get<{ items: { principal: string; details: Record<string, unknown> }[] }>(
      '/audit?action=monitor:alert:fire',
    );
    expect(fires.items.length).toBeGreaterThanOrEqual(2);
    const rollbacks = await get<{ items: { principal: string; details: { reason?: string } }[] }>(
      '/audit?action=deploy:rollback',
    );
    expect(rollbacks.items).toHaveLength(1);
    expect(rollbacks.items[0]).toMatchObject({ principal: 'system' });
    expect(rollbacks.items[0]?.details.reason).toContain(cause.id);

    // The CLI shows the same.
    const listed = await warden(['monitor', 'alerts', 'production', '--model', 'iris'], { url: server.url });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain('dataset_drift');
    const [latest] = drifted;
    const out = path.join(tempDir('warden-report-'), 'drift.html');
    const report = await warden(['monitor', 'report', latest?.id ?? '', 'production', '--out', out], {
      url: server.url,
    });
    expect(report.code, report.stderr).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain(latest?.id);
    expect(html).toContain('petal_length');
    expect(html).not.toMatch(/<script/i);
  });
});
