import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../fixtures/test-app.js';
import { auth, deploy, eventually, gatewayEnvironments, gatewayWorld } from './gateway-fixtures.js';

const redisUrl = 'redis://127.0.0.1:6379';

/** Real Redis on 127.0.0.1:6379; required in CI, skipped elsewhere only when nothing answers there. */
async function redisReachable(): Promise<boolean> {
  const probe = new Redis(redisUrl, { lazyConnect: true, connectTimeout: 1000, retryStrategy: () => null });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.ping();
    await probe.quit();
    return true;
  } catch {
    probe.disconnect();
    return false;
  }
}
const redisUp = await redisReachable();
if (!redisUp && process.env.CI) throw new Error(`Redis is required in CI and does not answer at ${redisUrl}`);

const body = {
  inputs: [{ name: 'float_input', shape: [1, 4], datatype: 'FP32', data: [[6.8, 2.8, 4.8, 1.4]] }],
};

/** A served iris model on an app with these settings. */
async function servedApp(settings: Record<string, unknown>, logTo?: NodeJS.WritableStream) {
  const t = await createTestApp({ settings: { environments: gatewayEnvironments, ...settings }, logTo });
  const w = await gatewayWorld(t, { count: 1 });
  await deploy(t, w.deployer, { model: 'iris', version: 1 });
  await eventually(async () => (await t.app.inject({ url: '/v2/models/iris/ready' })).json().ready);
  const infer = (token: string, payload: unknown = body) =>
    t.app.inject({
      method: 'POST',
      url: '/v2/models/iris/infer',
      payload: payload as Record<string, unknown>,
      headers: auth(token),
    });
  return { t, w, infer };
}

/** The same number of requests at once; the answers' status codes, sorted. */
async function burst(send: () => Promise<{ statusCode: number }>, n: number) {
  const answers = await Promise.all(Array.from({ length: n }, send));
  return answers.map((a) => a.statusCode).sort();
}

// One request per 100 s, three at once: no test here runs long enough to see a token come back.
const principalLimit = {
  'gateway.rateLimit.perPrincipal.ratePerSecond': 0.01,
  'gateway.rateLimit.perPrincipal.burst': 3,
};
const addressLimit = {
  'gateway.rateLimit.perAddress.ratePerSecond': 0.01,
  'gateway.rateLimit.perAddress.burst': 3,
};

describe('gateway rate limits over /v2 (in-memory)', () => {
  let s: Awaited<ReturnType<typeof servedApp>>;
  beforeAll(async () => {
    s = await servedApp(principalLimit);
  });
  afterAll(() => s.t.close());

  it('admits the burst with RateLimit-* fields, then answers 429 {"error"} with Retry-After', async () => {
    const first = await s.infer(s.w.viewer);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers).toMatchObject({
      'ratelimit-limit': '3',
      'ratelimit-remaining': '2',
      'ratelimit-reset': '100',
    });
    expect(first.headers['retry-after']).toBeUndefined();
    expect(await burst(() => s.infer(s.w.viewer), 4)).toEqual([200, 200, 429, 429]);
    const refused = await s.infer(s.w.viewer);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/json/);
    expect(refused.json()).toEqual({
      error: 'rate limit exceeded on model "iris" for this caller; retry after 100 s',
    });
    expect(refused.headers).toMatchObject({
      'retry-after': '100',
      'ratelimit-limit': '3',
      'ratelimit-remaining': '0',
      'ratelimit-reset': '100',
    });
    // Another caller from the same address has its own bucket.
    expect((await s.infer(s.w.deployer)).statusCode).toBe(200);
  });

  it('refuses before reading the body, and a refusal writes no audit entry', async () => {
    const token = await s.t.tokenFor({ name: 'flooder', roles: ['viewer'], teams: ['ml'] });
    expect(await burst(() => s.infer(token), 3)).toEqual([200, 200, 200]);
    const before = (await s.t.container.auditQuery.verify()).entries;
    const refusals = await Promise.all(
      Array.from({ length: 20 }, (_, i) => s.infer(token, i % 2 ? body : { inputs: 'not tensors' })),
    );
    for (const r of refusals) {
      expect(r.statusCode, r.body).toBe(429);
      expect(r.json().error).toMatch(/^rate limit exceeded/);
    }
    expect((await s.t.container.auditQuery.verify()).entries).toBe(before);
  });
});

describe.skipIf(!redisUp)('gateway rate limits in Redis (two servers, one budget)', () => {
  const keyPrefix = `warden-test-${randomBytes(6).toString('hex')}`;
  const settings = { 'redis.url': redisUrl, 'redis.keyPrefix': keyPrefix, ...addressLimit };
  let a: Awaited<ReturnType<typeof servedApp>>;
  let b: Awaited<ReturnType<typeof servedApp>>;
  const redis = new Redis(redisUrl, { lazyConnect: true });

  beforeAll(async () => {
    a = await servedApp(settings);
    b = await servedApp(settings);
    await redis.connect();
  });
  afterAll(async () => {
    await a?.t.close();
    await b?.t.close();
    const keys = await redis.keys(`${keyPrefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('shares the per-address bucket between the servers', async () => {
    // Both servers see the same client address (the injecting test) for the same deployment.
    const statuses = await Promise.all([
      a.infer(a.w.viewer),
      b.infer(b.w.viewer),
      a.infer(a.w.viewer),
      b.infer(b.w.viewer),
      a.infer(a.w.viewer),
      b.infer(b.w.viewer),
    ]);
    expect(statuses.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 429, 429, 429]);
    const refused = statuses.find((r) => r.statusCode === 429);
    expect(refused?.json().error).toContain('client address');
    expect(refused?.headers['retry-after']).toBe('100');
    // The counters are in Redis under the configured prefix.
    expect((await redis.keys(`${keyPrefix}:gateway:*`)).length).toBeGreaterThan(0);
  });
});

describe('gateway rate limits while Redis is unreachable', () => {
  let s: Awaited<ReturnType<typeof servedApp>>;
  const log = new PassThrough();
  let lines = '';
  log.on('data', (chunk: Buffer) => {
    lines += chunk.toString('utf8');
  });

  beforeAll(async () => {
    // Port 1 on loopback: nothing listens, the connection is refused at start and at every retry.
    s = await servedApp({ 'redis.url': 'redis://:s3cret-pw@127.0.0.1:1', ...principalLimit }, log);
  });
  afterAll(() => s.t.close());

  it('starts with a warning (without the password) and keeps limiting in memory, never a 500', async () => {
    expect(lines).toContain('Redis is unreachable');
    expect(lines).toContain('"redis":"redis://127.0.0.1:1"');
    expect(await burst(() => s.infer(s.w.viewer), 5)).toEqual([200, 200, 200, 429, 429]);
    const refused = await s.infer(s.w.viewer);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('100');
    expect(lines).not.toContain('s3cret-pw');
  });
});
