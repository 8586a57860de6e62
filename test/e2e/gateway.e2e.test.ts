import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminTokenOf,
  childEnv,
  cleanup,
  type RunningWarden,
  repoRoot,
  type Spawned,
  spawnTracked,
  startServer,
  stopGracefully,
  tempDir,
  waitForListening,
  warden,
  wardenBin,
} from './helpers.js';

const row = {
  inputs: [{ name: 'float_input', shape: [1, 4], datatype: 'FP32', data: [6.8, 2.8, 4.8, 1.4] }],
};

/**
 * `warden gateway`: the data plane as its own process on `warden serve`'s SQLite data directory. Deploys go
 * through the server's API; the gateway process follows the live state from the shared database.
 */
describe('warden gateway beside warden serve, on one data directory', { timeout: 120_000 }, () => {
  let server: RunningWarden;
  let gateway: Spawned;
  let gatewayUrl = '';
  let work = '';
  let config = '';
  const digests: string[] = [];
  const admin = () => ({ authorization: `Bearer ${adminTokenOf(server.url)}` });
  const ok = async (args: string[]) => {
    const res = await warden(args, { url: server.url });
    expect(res.code, `warden ${args.join(' ')}\n${res.stdout}\n${res.stderr}`).toBe(0);
    return res;
  };
  const infer = () =>
    fetch(`${gatewayUrl}/v2/models/iris/infer`, {
      method: 'POST',
      headers: { ...admin(), 'content-type': 'application/json' },
      body: JSON.stringify(row),
    });
  /** Signs and pushes a model folder as the next version of iris; returns its digest. */
  const release = async (folder: string) => {
    const signature = path.join(work, `${path.basename(folder)}.sig`);
    await ok(['sign', folder, '--key', path.join(work, 'release.pem'), '--signature', signature]);
    const pushed = await ok([
      'model',
      'push',
      folder,
      '--model',
      'iris',
      '--metrics',
      'examples/iris/model/metrics.json',
      '--dataset',
      `sha256:${'d'.repeat(64)}`,
      '--training-run',
      'run-1',
      '--source-commit',
      'abc1234',
      '--signature',
      signature,
      '--json',
    ]);
    return JSON.parse(pushed.stdout) as { number: number; digest: string };
  };
  const apply = async (version: number) => {
    const res = await ok(['deploy', 'request', 'production', `iris@${version}`, '--json']);
    expect(JSON.parse(res.stdout).request.state).toBe('applied');
  };

  beforeAll(async () => {
    work = tempDir('warden-gateway-');
    config = path.join(work, 'warden.json');
    writeFileSync(
      config,
      JSON.stringify({
        environments: { production: { approvals: 0, autoApply: true, requireVulnReport: false } },
      }),
    );
    server = await startServer({ args: ['--config', config] });
  });
  afterAll(async () => {
    try {
      if (gateway) await stopGracefully(gateway);
      await server?.stop();
    } finally {
      await cleanup();
    }
  });

  it('deploys through the server, then serves it from a separate gateway process', async () => {
    await ok(['keygen', '--out', path.join(work, 'release')]);
    await ok(['signer', 'add', 'release', '--key', path.join(work, 'release.pub'), '--env', 'production']);
    await ok(['model', 'create', 'iris', '--owner', 'ml']);
    const v1 = await release(path.join(repoRoot, 'examples/iris/model'));
    // The same model with an unknown protobuf field appended: it answers the same, under another digest.
    const second = path.join(work, 'iris-v2');
    cpSync(path.join(repoRoot, 'examples/iris/model'), second, { recursive: true });
    const onnx = path.join(second, 'iris.onnx');
    writeFileSync(onnx, Buffer.concat([readFileSync(onnx), Buffer.from([0xc0, 0x3e, 2])]));
    const v2 = await release(second);
    digests.push(v1.digest, v2.digest);
    await apply(v1.number);

    gateway = spawnTracked(
      process.execPath,
      [
        wardenBin,
        'gateway',
        '--port',
        '0',
        '--data-dir',
        server.dataDir,
        '--config',
        config,
        '--log-level',
        'warn',
      ],
      { env: childEnv() },
    );
    gatewayUrl = (await waitForListening(gateway)).url;
    expect(gateway.stdout()).toContain('Warden gateway is listening');
    let res = await infer();
    for (let i = 0; i < 100 && res.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 50));
      res = await infer();
    }
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get('x-warden-model-digest')).toBe(v1.digest);
    expect(((await res.json()) as { outputs: unknown[] }).outputs.length).toBeGreaterThan(0);
  });

  it('serves a version applied through the server within about a second', async () => {
    const [, second] = digests;
    // Through the server's API directly (no CLI start-up in the measure): from before the request is sent,
    // an upper bound on the time from the commit to the first answer by the new digest.
    const applied = Date.now();
    const requested = await fetch(`${server.url}/api/v1/environments/production/requests`, {
      method: 'POST',
      headers: { ...admin(), 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'iris', version: 2 }),
    });
    expect(requested.status, await requested.clone().text()).toBe(201);
    expect(((await requested.json()) as { request: { state: string } }).request.state).toBe('applied');
    const deadline = applied + 10_000;
    let servedAt = 0;
    while (Date.now() < deadline) {
      const res = await infer();
      expect(res.status).toBe(200);
      if (res.headers.get('x-warden-model-digest') === second) {
        servedAt = Date.now();
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(servedAt, 'the gateway process never served the new digest').toBeGreaterThan(0);
    expect(servedAt - applied).toBeLessThan(1500);
  });

  it('has no control-plane routes, but /health and an authenticated /metrics', async () => {
    const models = await fetch(`${gatewayUrl}/api/v1/models`, { headers: admin() });
    expect(models.status).toBe(404);
    expect((await fetch(`${server.url}/api/v1/models`, { headers: admin() })).status).toBe(200);
    expect((await fetch(`${gatewayUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${gatewayUrl}/readyz`)).status).toBe(200);
    expect((await fetch(`${gatewayUrl}/v2/health/ready`)).status).toBe(200);
    expect((await fetch(`${gatewayUrl}/metrics`)).status).toBe(401);
    const metrics = await fetch(`${gatewayUrl}/metrics`, { headers: admin() });
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toContain(
      `warden_inference_requests_total{model="iris",digest="${digests[1]}",outcome="ok"`,
    );
    expect(text).toMatch(/warden_model_loads_total\{model="iris",slot="stable",result="loaded"\} 2/);
  });

  it('stops on SIGTERM without disturbing the server', async () => {
    await stopGracefully(gateway);
    gateway = undefined as unknown as Spawned;
    expect((await fetch(`${server.url}/api/v1/models`, { headers: admin() })).status).toBe(200);
  });
});
