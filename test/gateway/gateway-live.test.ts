import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickRoute } from '../../src/modules/deploy/index.js';
import { goodMetadata, signBytes } from '../deploy/deploy-fixtures.js';
import { databaseFactories } from '../fixtures/databases.js';
import { blobFile, push } from '../fixtures/http-helpers.js';
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

const body = {
  inputs: [{ name: 'float_input', shape: [1, 4], datatype: 'FP32', data: [[6.3, 3.3, 6.0, 2.5]] }],
  outputs: [{ name: 'label' }],
};

describe.each(databaseFactories())('the gateway follows the live state ($name)', (factory) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof gatewayWorld>>;
  const digest = (n: number) => w.versions[n - 1]?.digest as string;
  const infer = (token: string, url = '/v2/models/iris/infer') =>
    t.app.inject({ method: 'POST', url, payload: body, headers: auth(token) });
  const servedDigest = async (token = w.viewer) => (await infer(token)).headers['x-warden-model-digest'];
  const env = (verb: string, reason = 'test') =>
    t.app.inject({
      method: 'POST',
      url: `${api}/environments/production/models/iris/${verb}`,
      payload: { reason },
      headers: auth(w.deployer),
    });

  beforeAll(async () => {
    t = await createTestApp({ factory, settings: { environments: gatewayEnvironments } });
    w = await gatewayWorld(t, { count: 2 });
    await deploy(t, w.deployer, { model: 'iris', version: 1 });
    await eventually(async () => (await servedDigest()) === digest(1));
  });
  afterAll(() => t.close());

  /** Fires `n` requests at once, runs `change` while they are in flight, and returns them all. */
  async function during(n: number, change: () => Promise<unknown>) {
    const inflight = Array.from({ length: n }, () => infer(w.viewer));
    await change();
    return Promise.all(inflight);
  }

  it('serves a newly applied version within a second, failing none of 200 requests in flight', async () => {
    let applied = 0;
    const answers = await during(200, async () => {
      await deploy(t, w.deployer, { model: 'iris', version: 2 });
      applied = Date.now();
    });
    const switched = await eventually(
      async () => ((await servedDigest()) === digest(2) ? Date.now() : 0),
      1000,
    );
    expect(switched - applied).toBeLessThan(1000);
    for (const res of answers) {
      expect(res.statusCode, res.body).toBe(200);
      expect([digest(1), digest(2)]).toContain(res.headers['x-warden-model-digest']);
      expect(res.json().outputs[0].data).toEqual([2]);
    }
  });

  it('rolls back with 200 requests in flight: none fails, the old digest answers again', async () => {
    const answers = await during(200, async () => {
      const res = await env('rollback', 'drift');
      expect(res.statusCode, res.body).toBe(200);
    });
    expect(answers.every((r) => r.statusCode === 200)).toBe(true);
    await eventually(async () => (await servedDigest()) === digest(1), 1000);
  });

  it('splits a canary by principal, sticky, and serves a pinned version only while it is deployed', async () => {
    await deploy(t, w.deployer, { model: 'iris', version: 2, slot: 'canary', percent: 50 });
    await eventually(
      async () => (await t.app.inject({ url: '/v2/models/iris' })).json().versions?.length === 2,
    );
    const callers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        t.tokenFor({ name: `caller-${i}`, roles: ['viewer'], teams: ['ml'] }),
      ),
    );
    const split = {
      stable: digest(1),
      candidate: { digest: digest(2), mode: 'canary' as const, percent: 50 },
    };
    const seen = new Set<string>();
    for (const token of callers) {
      const expected = pickRoute(split, 'iris', `token:${token.split('_')[1]}`).serve;
      seen.add(expected);
      for (let i = 0; i < 3; i++) expect(await servedDigest(token)).toBe(expected);
    }
    expect(seen.size).toBe(2);
    const pinned = await infer(w.viewer, '/v2/models/iris/versions/2/infer');
    expect(pinned.statusCode, pinned.body).toBe(200);
    expect(pinned.headers['x-warden-model-digest']).toBe(digest(2));
    expect(pinned.json().model_version).toBe('2');
    const missing = await infer(w.viewer, '/v2/models/iris/versions/9/infer');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: 'version 9 of model "iris" is not deployed here' });

    expect((await env('abort')).statusCode).toBe(200);
    await eventually(
      async () => (await infer(w.viewer, '/v2/models/iris/versions/2/infer')).statusCode === 404,
    );
    for (const token of callers) expect(await servedDigest(token)).toBe(digest(1));
  });

  it('never lets a shadow answer: responses come from stable, a shadow version is not addressable', async () => {
    await deploy(t, w.deployer, { model: 'iris', version: 2, slot: 'shadow', percent: 100 });
    await eventually(
      async () => (await t.app.inject({ url: '/v2/models/iris/status' })).json().candidate?.loaded === true,
    );
    for (let i = 0; i < 5; i++) {
      const res = await infer(w.viewer);
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-warden-model-digest']).toBe(digest(1));
    }
    expect((await infer(w.viewer, '/v2/models/iris/versions/2/infer')).statusCode).toBe(404);
    expect((await env('abort')).statusCode).toBe(200);
  });

  it('refuses a version whose stored bytes were tampered with: the previous one keeps serving, audited', async () => {
    const content = irisVariant(7);
    const bundle = await signBytes(w.signer.privatePem, 'iris.onnx', content);
    const v = await push(t, 'iris', { kind: 'file', signature: bundle, ...goodMetadata }, [
      { path: 'iris.onnx', content },
    ]);
    const file = blobFile(t, createHash('sha256').update(content).digest('hex'));
    const bytes = readFileSync(file);
    bytes[bytes.length - 40] = (bytes[bytes.length - 40] ?? 0) ^ 0x01;
    writeFileSync(file, bytes);

    await deploy(t, w.deployer, { model: 'iris', version: v.number });
    const status = await eventually(async () => {
      const s = (await t.app.inject({ url: '/v2/models/iris/status' })).json();
      return s.refused ? s : null;
    });
    expect(status).toMatchObject({
      ready: true,
      stable: { version: 1, digest: digest(1), loaded: true },
      refused: { version: v.number, digest: v.digest, loaded: false, failure: { check: 'integrity' } },
    });
    expect(await servedDigest()).toBe(digest(1));
    const audit = await t.app.inject({ url: `${api}/audit?action=gateway:load` });
    expect(audit.statusCode, audit.body).toBe(200);
    const failed = audit.json().items.find((e: { outcome: string }) => e.outcome === 'failed');
    expect(failed).toMatchObject({
      action: 'gateway:load',
      principal: 'system',
      resource: 'deployment:production/iris',
      team: 'ml',
      details: { version: v.number, digest: v.digest, check: 'integrity' },
    });
  });
});
