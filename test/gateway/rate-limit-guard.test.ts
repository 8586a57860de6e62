import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryRateLimiter } from '../../src/adapters/rate-limit/memory-token-bucket.js';
import {
  createFlexibleMemoryRateLimiter,
  windowsOf,
} from '../../src/adapters/rate-limit/token-bucket-limiter.js';
import { configDefaults } from '../../src/config/config.schema.js';
import {
  createRateLimitGuard,
  defaultGuardPolicy,
  defaultRateLimits,
  type GuardCall,
  gatewayErrors,
  type RateLimitPolicy,
  type TokenBucket,
} from '../../src/modules/gateway/index.js';
import { AppError } from '../../src/platform/errors.js';

const bucket = (ratePerSecond: number, burst: number): TokenBucket => ({ ratePerSecond, burst });

function callOf(
  rateLimit: Partial<RateLimitPolicy>,
  who: { principal?: string; address?: string; model?: string; environment?: string } = {},
): GuardCall {
  const policy = defaultGuardPolicy({ maxRows: 100 });
  return {
    ctx: {
      principal: {
        id: who.principal ?? 'token:alice',
        kind: 'service',
        name: 'alice',
        roles: ['viewer'],
        teams: ['ml'],
        unscoped: false,
        via: { kind: 'token', tokenId: 'alice' },
      },
      requestId: 'req-1',
      clientAddress: who.address ?? '10.0.0.1',
    },
    environment: who.environment ?? 'production',
    model: who.model ?? 'iris',
    owner: 'ml',
    version: 1,
    digest: 'sha256:00',
    policy: { ...policy, rateLimit: { ...policy.rateLimit, ...rateLimit } },
    headers: new Map(),
  };
}

/** Admits the call, or returns the refusal it threw (any other error fails the test). */
async function admit(guard: ReturnType<typeof createRateLimitGuard>, call: GuardCall) {
  try {
    await guard.admit?.(call);
    return null;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
}

const headersOf = (call: GuardCall) => Object.fromEntries(call.headers);

describe('token bucket windows', () => {
  it('splits a bucket into a sustained window and an extra burst window', () => {
    expect(windowsOf(bucket(1000, 2000))).toEqual({
      sustained: { points: 1000, duration: 1 },
      extra: { points: 1000, duration: 2 },
    });
    expect(windowsOf(bucket(2, 2))).toEqual({ sustained: { points: 2, duration: 1 }, extra: null });
    // Below one per second: one request per ceil(1 / rate) seconds; a burst below the rate caps the second.
    expect(windowsOf(bucket(0.2, 3))).toEqual({
      sustained: { points: 1, duration: 5 },
      extra: { points: 2, duration: 15 },
    });
    expect(windowsOf(bucket(10, 4))).toEqual({ sustained: { points: 4, duration: 1 }, extra: null });
    // No window longer than a day (an in-memory window is a timer).
    expect(windowsOf(bucket(1e-9, 5))).toEqual({
      sustained: { points: 1, duration: 86_400 },
      extra: { points: 4, duration: 86_400 },
    });
  });

  it('refuses what is not a bucket rather than admitting without limit', () => {
    for (const bad of [bucket(0, 10), bucket(-1, 10), bucket(Number.NaN, 10), bucket(1, 0)])
      expect(() => windowsOf(bad)).toThrow(/not a token bucket/);
  });

  it('the configured defaults are the guard policy defaults', () => {
    expect(configDefaults.gateway.rateLimit).toEqual(defaultRateLimits);
    expect(defaultGuardPolicy({ maxRows: 1 }).rateLimit).toEqual({ enabled: true, ...defaultRateLimits });
    const tight = { perPrincipal: bucket(1, 2), perAddress: null };
    expect(defaultGuardPolicy({ maxRows: 1, rateLimit: tight }).rateLimit).toEqual({
      enabled: true,
      ...tight,
    });
  });
});

// The synchronous limiter the server runs, and rate-limiter-flexible's memory limiter it stands in for.
const memoryLimiters = [
  { name: 'synchronous', make: createMemoryRateLimiter },
  { name: 'rate-limiter-flexible', make: () => createFlexibleMemoryRateLimiter() },
];

describe.each(memoryLimiters)('rate-limit guard on the in-memory limiter ($name)', ({ make }) => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('admits a burst, refuses the next with 429 and Retry-After, then refills at the rate', async () => {
    const guard = createRateLimitGuard({ limiter: make() });
    const limits = { perPrincipal: bucket(2, 5), perAddress: null };
    const seen: Record<string, string>[] = [];
    for (let i = 0; i < 5; i++) {
      const call = callOf(limits);
      expect(await admit(guard, call)).toBeNull();
      seen.push(headersOf(call));
    }
    expect(seen.map((h) => h['ratelimit-remaining'])).toEqual(['4', '3', '2', '1', '0']);
    for (const h of seen) {
      expect(h['ratelimit-limit']).toBe('5');
      expect(h['ratelimit-reset']).toBe('1');
      expect(h['retry-after']).toBeUndefined();
    }

    const refusedCall = callOf(limits);
    const refused = await admit(guard, refusedCall);
    expect(gatewayErrors.rateLimited.is(refused)).toBe(true);
    expect(refused).toMatchObject({
      kind: 'rate_limited',
      details: { scope: 'principal', retryAfterSeconds: 1 },
    });
    expect(headersOf(refusedCall)).toEqual({
      'ratelimit-limit': '5',
      'ratelimit-remaining': '0',
      'ratelimit-reset': '1',
      'retry-after': '1',
    });

    // One second on, the sustained window (2 per second) is back; the burst's extra 3 are not yet.
    vi.advanceTimersByTime(1000);
    expect(await admit(guard, callOf(limits))).toBeNull();
    expect(await admit(guard, callOf(limits))).toBeNull();
    expect(await admit(guard, callOf(limits))).not.toBeNull();
    // After burst / rate seconds the whole bucket is full again.
    vi.advanceTimersByTime(3000);
    for (let i = 0; i < 5; i++) expect(await admit(guard, callOf(limits))).toBeNull();
    expect(await admit(guard, callOf(limits))).not.toBeNull();
  });

  it('keeps each principal and each address in its own bucket, independent of each other', async () => {
    const guard = createRateLimitGuard({ limiter: make() });
    const limits = { perPrincipal: bucket(1, 2), perAddress: bucket(1, 3) };
    expect(await admit(guard, callOf(limits, { principal: 'token:a', address: '10.0.0.1' }))).toBeNull();
    expect(await admit(guard, callOf(limits, { principal: 'token:a', address: '10.0.0.2' }))).toBeNull();
    // token:a is out of tokens, from any address.
    const byPrincipal = await admit(guard, callOf(limits, { principal: 'token:a', address: '10.0.0.3' }));
    expect(byPrincipal?.details).toMatchObject({ scope: 'principal' });
    // Other principals from 10.0.0.1: that address has two tokens of its three left.
    expect(await admit(guard, callOf(limits, { principal: 'token:b', address: '10.0.0.1' }))).toBeNull();
    const last = callOf(limits, { principal: 'token:c', address: '10.0.0.1' });
    expect(await admit(guard, last)).toBeNull();
    // The headers show the bucket nearest to empty: the address's (0 left of 3), not token:c's (1 of 2).
    expect(headersOf(last)).toMatchObject({ 'ratelimit-limit': '3', 'ratelimit-remaining': '0' });
    const byAddress = await admit(guard, callOf(limits, { principal: 'token:d', address: '10.0.0.1' }));
    expect(byAddress?.details).toMatchObject({ scope: 'address' });
    expect(byAddress?.message).toContain('client address');
    // IPv6 addresses (colons) are keys like any other.
    expect(await admit(guard, callOf(limits, { principal: 'token:e', address: '2001:db8::1' }))).toBeNull();
  });

  it('keeps each deployment (model, environment) in its own buckets', async () => {
    const guard = createRateLimitGuard({ limiter: make() });
    const limits = { perPrincipal: bucket(1, 1), perAddress: bucket(1, 1) };
    expect(await admit(guard, callOf(limits, { model: 'iris' }))).toBeNull();
    expect(await admit(guard, callOf(limits, { model: 'iris' }))).not.toBeNull();
    expect(await admit(guard, callOf(limits, { model: 'wine' }))).toBeNull();
    expect(await admit(guard, callOf(limits, { model: 'iris', environment: 'staging' }))).toBeNull();
  });

  it('a deployment whose policy differs has its own limit, and one with limits off is not counted', async () => {
    const guard = createRateLimitGuard({ limiter: make() });
    const tight = { perPrincipal: bucket(1, 1), perAddress: null };
    expect(await admit(guard, callOf(tight, { model: 'a' }))).toBeNull();
    expect(await admit(guard, callOf(tight, { model: 'a' }))).not.toBeNull();
    const loose = { perPrincipal: bucket(100, 200), perAddress: null };
    const call = callOf(loose, { model: 'b' });
    expect(await admit(guard, call)).toBeNull();
    expect(headersOf(call)).toMatchObject({ 'ratelimit-limit': '200', 'ratelimit-remaining': '199' });
    const off = callOf({ enabled: false, perPrincipal: bucket(1, 1) }, { model: 'c' });
    for (let i = 0; i < 5; i++) expect(await admit(guard, off)).toBeNull();
    expect(off.headers.size).toBe(0);
    const none = callOf({ perPrincipal: null, perAddress: null }, { model: 'd' });
    for (let i = 0; i < 5; i++) expect(await admit(guard, none)).toBeNull();
  });

  it('a rate below one per second refuses for the whole interval', async () => {
    const guard = createRateLimitGuard({ limiter: make() });
    const limits = { perPrincipal: bucket(0.1, 1), perAddress: null };
    expect(await admit(guard, callOf(limits))).toBeNull();
    const call = callOf(limits);
    expect((await admit(guard, call))?.details).toMatchObject({ retryAfterSeconds: 10 });
    expect(headersOf(call)['retry-after']).toBe('10');
    vi.advanceTimersByTime(9000);
    expect(await admit(guard, callOf(limits))).not.toBeNull();
    vi.advanceTimersByTime(1000);
    expect(await admit(guard, callOf(limits))).toBeNull();
  });
});

describe('the synchronous in-memory limiter', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers without a promise, so the guard admits synchronously', () => {
    const limiter = createMemoryRateLimiter();
    const decision = limiter.consume('k', bucket(2, 3));
    expect(decision).not.toBeInstanceOf(Promise);
    expect(decision).toEqual({ allowed: true, limit: 3, remaining: 2, resetMs: 1000 });
    const guard = createRateLimitGuard({ limiter });
    const call = callOf({ perPrincipal: bucket(2, 3), perAddress: bucket(5, 5) });
    expect(guard.admit?.(call)).toBeUndefined();
    expect(headersOf(call)).toMatchObject({ 'ratelimit-limit': '3', 'ratelimit-remaining': '2' });
  });

  it('decides as rate-limiter-flexible does, step by step, over a seeded random load', async () => {
    // A small LCG: the same sequence of keys, buckets and clock steps for both limiters.
    let seed = 12345;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const buckets = [bucket(2, 5), bucket(1, 1), bucket(0.5, 3), bucket(3, 3)];
    const ours = createMemoryRateLimiter();
    const theirs = createFlexibleMemoryRateLimiter();
    let refusals = 0;
    for (let i = 0; i < 2000; i++) {
      const key = `k${Math.floor(next() * 3)}`;
      const b = buckets[Math.floor(next() * buckets.length)] as TokenBucket;
      const a = ours.consume(key, b);
      const f = await theirs.consume(key, b);
      expect(a).toEqual(f);
      if (!f.allowed) refusals++;
      vi.advanceTimersByTime(Math.floor(next() * 400));
    }
    // The load must exercise refusals as well as admissions for the comparison to mean anything.
    expect(refusals).toBeGreaterThan(100);
    expect(refusals).toBeLessThan(1900);
  });
});
