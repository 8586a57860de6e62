import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goodMetadata, keyPair, signBytes } from '../deploy/deploy-fixtures.js';
import { databaseFactories } from '../fixtures/databases.js';
import { createModel, push } from '../fixtures/http-helpers.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { api, auth, deploy, eventually, gatewayEnvironments } from './gateway-fixtures.js';
import { type StandIns, startStandIns } from './upstream-servers.js';

const secret = 'Bearer up-5ecret-7f3a9c1e';
const row = (features: number[]) => ({
  inputs: [{ name: 'features', shape: [1, 4], datatype: 'FP32', data: [features] }],
});

/** A loopback port nothing listens on (taken, then let go). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Deploys one signed version of each model (a model card: the model itself runs upstream). */
async function upstreamWorld(t: TestApp, models: string[]) {
  const signer = keyPair();
  const res = await t.app.inject({
    method: 'POST',
    url: `${api}/signers`,
    payload: { name: 'release-upstreams', publicKey: signer.publicPem, environments: ['production'] },
  });
  expect(res.statusCode, res.body).toBe(201);
  const deployer = await t.tokenFor({ name: 'deployer', roles: ['deployer'], teams: ['ml'] });
  for (const model of models) {
    await createModel(t, model, { owner: 'ml' });
    const content = Buffer.from(`# ${model}\n\nServed by an upstream model server.\n`);
    const signature = await signBytes(signer.privatePem, 'MODEL_CARD.md', content);
    await push(t, model, { kind: 'file', signature, ...goodMetadata }, [{ path: 'MODEL_CARD.md', content }]);
    await deploy(t, deployer, { model, version: 1 });
  }
  return {
    deployer,
    viewer: await t.tokenFor({ name: 'viewer', roles: ['viewer'], teams: ['ml'] }),
    outsider: await t.tokenFor({ name: 'outsider', roles: ['viewer'], teams: ['other'] }),
  };
}

describe.each(databaseFactories())('the gateway proxies to upstream model servers ($name)', (factory) => {
  let t: TestApp;
  let s: StandIns;
  let w: Awaited<ReturnType<typeof upstreamWorld>>;
  let dir: string;
  let logs = '';
  const infer = (model: string, body: object, token = w.viewer) =>
    t.app.inject({ method: 'POST', url: `/v2/models/${model}/infer`, payload: body, headers: auth(token) });
  const chat = (body: unknown, token: string | null = w.viewer) =>
    t.rawApp.inject({
      method: 'POST',
      url: '/openai/v1/chat/completions',
      payload: body as object,
      headers: token ? auth(token) : {},
    });
  const status = async (model: string) =>
    (await t.app.inject({ url: `/v2/models/${model}/status`, headers: auth(w.viewer) })).json();

  beforeAll(async () => {
    s = await startStandIns();
    dir = mkdtempSync(path.join(tmpdir(), 'warden-upstream-'));
    const tokenFile = path.join(dir, 'upstream-token');
    writeFileSync(tokenFile, `${secret}\n`, { mode: 0o600 });
    const headers = { authorization: { file: tokenFile } };
    const v2 = { protocol: 'v2', url: s.v2Url, headers, timeoutMs: 3000 };
    t = await createTestApp({
      factory,
      logTo: new Writable({
        write(chunk, _encoding, done) {
          logs += String(chunk);
          done();
        },
      }),
      settings: {
        environments: gatewayEnvironments,
        'gateway.upstreams': {
          tabular: v2,
          hang: { ...v2, timeoutMs: 300, maxConcurrent: 1 },
          reset: v2,
          garbage: { ...v2, maxResponseBytes: 64 * 1024, breaker: { failures: 100, halfOpenAfterMs: 1000 } },
          flaky: { ...v2, breaker: { failures: 2, halfOpenAfterMs: 400 } },
          // Nothing listens there: the version loads, and its metadata is asked for on each request.
          away: { ...v2, url: `http://127.0.0.1:${await closedPort()}`, timeoutMs: 1000 },
          assistant: { protocol: 'openai', url: s.openAiUrl, model: 'upstream-chat-7b', headers },
        },
      },
    });
    w = await upstreamWorld(t, ['tabular', 'hang', 'reset', 'garbage', 'flaky', 'away', 'assistant']);
    await eventually(
      async () => (await status('assistant')).ready === true && (await status('tabular')).ready,
    );
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await s?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves the upstream's metadata, and answers with its outputs decoded", async () => {
    const meta = await t.app.inject({ url: '/v2/models/tabular', headers: auth(w.viewer) });
    expect(meta.statusCode, meta.body).toBe(200);
    expect(meta.json()).toMatchObject({
      name: 'tabular',
      versions: ['1'],
      platform: 'onnxruntime_onnx',
      inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 4] }],
    });
    const res = await infer('tabular', { id: 'r1', ...row([5, 3, 2, 1]), outputs: [{ name: 'label' }] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      model_name: 'tabular',
      model_version: '1',
      id: 'r1',
      outputs: [{ name: 'label', datatype: 'INT64', shape: [1], data: [1] }],
    });
    expect(res.headers['x-warden-model-digest']).toMatch(/^sha256:/);
  });

  it('sends the configured credential upstream, and never logs or returns it', async () => {
    const calls = s.seen.filter((c) => c.path.startsWith('/v2/models/tabular'));
    expect(calls.length).toBeGreaterThan(0);
    for (const c of calls) expect(c.authorization).toBe(secret);
    const st = await t.app.inject({ url: '/v2/models/tabular/status', headers: auth(w.viewer) });
    expect(st.json().upstream).toMatchObject({ protocol: 'v2', breaker: 'closed', inFlight: 0 });
    expect(st.body).not.toContain('5ecret');
    expect(st.body).not.toContain('127.0.0.1');
    expect(JSON.stringify(t.container.config)).not.toContain('5ecret');
  });

  it('validates a request against the upstream metadata before forwarding it', async () => {
    const before = s.inferCalls.get('tabular') ?? 0;
    const res = await infer('tabular', {
      inputs: [{ name: 'features', shape: [1, 3], datatype: 'FP32', data: [1, 2, 3] }],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatch(/dimension 1 must be 4/);
    expect(s.inferCalls.get('tabular') ?? 0).toBe(before);
  });

  it("answers an upstream's own refusal as 400 with its reason", async () => {
    const res = await infer('tabular', row([-1, 0, 0, 0]));
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error).toMatch(/upstream refused the request: features must not be negative/);
  });

  it('answers 504 at the timeout when the upstream hangs, and 503 busy beyond its concurrency', async () => {
    const started = Date.now();
    const [first, second] = await Promise.all([
      infer('hang', row([1, 1, 1, 1])),
      new Promise((r) => setTimeout(r, 50)).then(() => infer('hang', row([1, 1, 1, 1]))),
    ]);
    expect(first.statusCode, first.body).toBe(504);
    expect(first.json().error).toMatch(/did not answer within 300 ms/);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(second.statusCode, second.body).toBe(503);
    expect(second.json().error).toMatch(/concurrency limit/);
    expect(second.headers['retry-after']).toBe('1');
  });

  it('loads a version whose upstream is away, and answers 502 until it is back', async () => {
    expect((await status('away')).ready).toBe(true);
    const res = await infer('away', row([1, 1, 1, 1]));
    expect(res.statusCode, res.body).toBe(502);
    expect(res.json().error).toMatch(/could not be reached \(ECONNREFUSED\)/);
    const meta = await t.app.inject({ url: '/v2/models/away', headers: auth(w.viewer) });
    expect(meta.statusCode, meta.body).toBe(502);
  });

  it('answers 502 when the upstream resets the connection', async () => {
    const res = await infer('reset', row([1, 1, 1, 1]));
    expect(res.statusCode, res.body).toBe(502);
    expect(res.json().error).toMatch(/could not be reached|connection to the upstream failed/);
  });

  it.each([
    ['not-json', /not JSON/],
    ['no-outputs', /"outputs" must be an array/],
    ['wrong-count', /"data" has 2 elements; shape \[1\] needs 1/],
    ['wrong-datatype', /output "label" is INT64, not FP32/],
    ['unknown-output', /unexpected output "secret_logits"/],
    ['huge', /larger than 65536 bytes/],
  ] as const)('answers 502 when the upstream answers garbage (%s)', async (mode, reason) => {
    s.state.garbageMode = mode;
    const res = await infer('garbage', row([1, 1, 1, 1]));
    expect(res.statusCode, res.body).toBe(502);
    expect(res.json().error).toMatch(reason);
  });

  it('opens the breaker after repeated failures (503 with Retry-After), then recovers half-open', async () => {
    s.state.flakyDown = true;
    for (let i = 0; i < 2; i++) {
      const res = await infer('flaky', row([1, 1, 1, 1]));
      expect(res.statusCode, res.body).toBe(502);
      expect(res.json().error).toMatch(/HTTP 500/);
    }
    const calls = s.inferCalls.get('flaky');
    const refused = await infer('flaky', row([1, 1, 1, 1]));
    expect(refused.statusCode, refused.body).toBe(503);
    expect(refused.json().error).toMatch(/is failing/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(s.inferCalls.get('flaky')).toBe(calls);
    expect((await status('flaky')).upstream.breaker).toBe('open');
    s.state.flakyDown = false;
    await new Promise((r) => setTimeout(r, 450));
    const healed = await infer('flaky', row([5, 5, 5, 5]));
    expect(healed.statusCode, healed.body).toBe(200);
    expect((await status('flaky')).upstream.breaker).toBe('closed');
  });

  it('answers chat completions from an OpenAI-style upstream under the deployment name', async () => {
    const res = await chat({
      model: 'assistant',
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'hello' },
      ],
      temperature: 0.5,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      id: 'chatcmpl-standin',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'assistant',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'echo: hello (temperature 0.5)' },
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
    });
    expect(
      s.seen.filter((c) => c.path === '/v1/chat/completions').every((c) => c.authorization === secret),
    ).toBe(true);
  });

  it('refuses chat requests it cannot carry, in OpenAI error shape', async () => {
    const cases: [unknown, number, RegExp][] = [
      [
        { model: 'assistant', messages: [{ role: 'user', content: 'hi' }], stream: true },
        400,
        /streaming is not supported yet/,
      ],
      [{ model: 'assistant', messages: [] }, 400, /"messages" must be a non-empty array/],
      [
        { model: 'assistant', messages: [{ role: 'user', content: [{ type: 'text' }] }] },
        400,
        /content parts are not supported/,
      ],
      [{ model: 'assistant', messages: [{ role: 'wizard', content: 'x' }] }, 400, /"role" must be one of/],
      [
        { model: 'assistant', messages: [{ role: 'user', content: 'x' }], tools: [] },
        400,
        /tool calls are not supported/,
      ],
      [
        { model: 'assistant', messages: [{ role: 'user', content: 'x' }], temperature: 7 },
        400,
        /"temperature" must be a number from 0 to 2/,
      ],
      [
        { model: 'assistant', messages: [{ role: 'user', content: 'x'.repeat(70_000) }] },
        400,
        /at most 65536/,
      ],
      [{ messages: [{ role: 'user', content: 'x' }] }, 400, /missing field "model"/],
      [{ model: 'tabular', messages: [{ role: 'user', content: 'x' }] }, 400, /does not take chat requests/],
      [{ model: 'nope', messages: [{ role: 'user', content: 'x' }] }, 404, /not served here/],
    ];
    for (const [body, code, message] of cases) {
      const res = await chat(body);
      expect(res.statusCode, res.body).toBe(code);
      const error = res.json().error;
      expect(error.message).toMatch(message);
      expect(error.type).toBe(code === 404 ? 'invalid_request_error' : 'invalid_request_error');
      expect(typeof error.code).toBe('string');
    }
    const v2 = await infer('assistant', row([1, 1, 1, 1]));
    expect(v2.statusCode).toBe(400);
    expect(v2.json().error).toMatch(/is a chat model/);
  });

  it('authenticates and authorizes chat exactly like /v2', async () => {
    const anonymous = await chat({ model: 'assistant', messages: [{ role: 'user', content: 'x' }] }, null);
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error).toMatchObject({ type: 'authentication_error' });
    const outsider = await chat(
      { model: 'assistant', messages: [{ role: 'user', content: 'x' }] },
      w.outsider,
    );
    expect(outsider.statusCode).toBe(403);
    expect(outsider.json().error).toMatchObject({ type: 'permission_error' });
  });

  it("passes an upstream's chat refusal on as 400, with the credential cut out of its message", async () => {
    const res = await chat({ model: 'assistant', messages: [{ role: 'user', content: 'please fail' }] });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.code).toBe('gateway_upstream_refused');
    expect(res.body).toContain('[redacted]');
    expect(res.body).not.toContain('5ecret');
  });

  it('never wrote the credential to a log line', () => {
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).toContain('upstream');
    expect(logs).not.toContain('5ecret');
  });
});
