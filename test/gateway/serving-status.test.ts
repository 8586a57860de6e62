import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { goodMetadata, signBytes } from '../deploy/deploy-fixtures.js';
import { databaseFactories } from '../fixtures/databases.js';
import { blobFile, push } from '../fixtures/http-helpers.js';
import { memoryCtx } from '../fixtures/memory-cli.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import {
  api,
  auth,
  deploy,
  eventually,
  gatewayEnvironments,
  gatewayWorld,
  irisVariant,
} from './gateway-fixtures.js';

// What the server's own gateway serves, and why a deployed version is not served: the API operators and the
// console read, and `warden deploy status`.
describe.each(databaseFactories())('serving status ($name)', (factory) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof gatewayWorld>>;
  let tampered: { number: number; digest: string };
  let dir: string;
  const serving = (env: string, token?: string) =>
    t.app.inject({ url: `${api}/environments/${env}/serving`, headers: token ? auth(token) : {} });

  beforeAll(async () => {
    t = await createTestApp({ factory, settings: { environments: gatewayEnvironments } });
    w = await gatewayWorld(t, { count: 1 });
    await deploy(t, w.deployer, { model: 'iris', version: 1 });
    // A signed version whose stored bytes are then changed on disk: deployed, but refused at load.
    const content = irisVariant(9);
    const bundle = await signBytes(w.signer.privatePem, 'iris.onnx', content);
    tampered = await push(t, 'iris', { kind: 'file', signature: bundle, ...goodMetadata }, [
      { path: 'iris.onnx', content },
    ]);
    const file = blobFile(t, createHash('sha256').update(content).digest('hex'));
    const bytes = readFileSync(file);
    bytes[bytes.length - 40] = (bytes[bytes.length - 40] ?? 0) ^ 0x01;
    writeFileSync(file, bytes);
    await deploy(t, w.deployer, { model: 'iris', version: tampered.number });
    await eventually(async () => (await serving('production')).json().models?.[0]?.refused);
    dir = mkdtempSync(path.join(tmpdir(), 'warden-serving-'));
  });
  afterAll(async () => {
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists each model with what is loaded and the refused version with the check that refused it', async () => {
    const res = await serving('production', w.viewer);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      environment: 'production',
      ready: true,
      models: [
        {
          name: 'iris',
          ready: true,
          stable: { version: 1, digest: w.versions[0]?.digest, loaded: true, failure: null },
          refused: {
            version: tampered.number,
            digest: tampered.digest,
            loaded: false,
            failure: { check: 'integrity', reason: expect.any(String) },
          },
        },
      ],
    });
  });

  it("shows another team's viewer nothing, refuses the anonymous, and names the environment it serves", async () => {
    const outsider = await t.tokenFor({ name: 'outsider', roles: ['viewer'], teams: ['other'] });
    expect((await serving('production', outsider)).json().models).toEqual([]);
    const anonymous = await t.rawApp.inject({ url: `${api}/environments/production/serving` });
    expect(anonymous.statusCode).toBe(401);
    const elsewhere = await serving('staging', w.viewer);
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.json()).toMatchObject({ code: 'gateway_environment_not_served' });
    expect(elsewhere.json().detail).toContain('"production"');
    const crafted = await serving('..%2fproduction', w.viewer);
    expect(crafted.statusCode).toBe(400);
  });

  it.runIf(factory.name === 'sqlite')(
    '`warden deploy status` shows the gateway column and why a version is refused',
    async () => {
      await t.rawApp.listen({ port: 0, host: '127.0.0.1' });
      const address = t.rawApp.server.address();
      const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const { ctx, out, err } = memoryCtx(dir, { WARDEN_URL: url, WARDEN_TOKEN: w.viewer });
      expect(await runCli(['deploy', 'status', 'production'], ctx), err()).toBe(0);
      expect(out()).toMatch(/^MODEL\s+STABLE\s+CANARY\/SHADOW\s+SINCE\s+GATEWAY$/m);
      expect(out()).toMatch(
        new RegExp(`^iris\\s+${tampered.number} .*serving 1, ${tampered.number} REFUSED$`, 'm'),
      );
      expect(out()).toMatch(
        new RegExp(`^iris version ${tampered.number} refused by the gateway \\(integrity\\): .+$`, 'm'),
      );
      const json = memoryCtx(dir, { WARDEN_URL: url, WARDEN_TOKEN: w.viewer });
      expect(await runCli(['deploy', 'status', 'production', '--json'], json.ctx), json.err()).toBe(0);
      expect(JSON.parse(json.out())).toMatchObject({
        environment: 'production',
        models: [{ model: 'iris', stable: { version: tampered.number } }],
        serving: { models: [{ name: 'iris', refused: { version: tampered.number } }] },
      });
    },
  );
});
