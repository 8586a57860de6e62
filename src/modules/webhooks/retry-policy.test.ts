import { describe, expect, it } from 'vitest';
import { backoffDelay, decide, defaultBackoff, retryAfterMs } from './retry-policy.js';

const now = new Date('2026-03-01T00:00:00Z');
const settings = (maxAttempts = 8, random = () => 1) => ({
  maxAttempts,
  backoff: defaultBackoff,
  random,
  now,
});
const response = (status: number, retryAfter: string | null = null) =>
  ({ kind: 'response', status, retryAfter, durationMs: 5 }) as const;

describe('webhook retries', () => {
  it('grows the wait exponentially up to the cap, with jitter between half and all of it', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, defaultBackoff, () => 1))).toEqual([
      1000, 4000, 16000, 64000,
    ]);
    expect(backoffDelay(1, defaultBackoff, () => 0)).toBe(500);
    expect(backoffDelay(20, defaultBackoff, () => 1)).toBe(defaultBackoff.capMs);
  });

  it('delivers on 2xx', () => {
    expect(decide(response(204), 1, settings())).toEqual({
      state: 'delivered',
      status: 204,
      error: null,
      delayMs: null,
    });
  });

  it.each([408, 429, 500, 502, 503, 504])('retries %i', (status) => {
    expect(decide(response(status), 1, settings())).toMatchObject({
      state: 'pending',
      status,
      delayMs: 1000,
    });
  });

  it.each([400, 401, 403, 404, 410, 413, 422])('fails for good on %i', (status) => {
    expect(decide(response(status), 1, settings())).toMatchObject({ state: 'failed', status, delayMs: null });
  });

  it('fails a redirect for good: it is never followed', () => {
    expect(decide(response(302), 1, settings())).toMatchObject({
      state: 'failed',
      error: 'redirect_not_followed',
    });
  });

  it('retries timeouts and connection errors, and never a forbidden target', () => {
    const failure = (failure: 'timeout' | 'connection_failed' | 'target_address_forbidden', detail = null) =>
      ({ kind: 'failure', failure, detail, durationMs: 1 }) as const;
    expect(decide(failure('timeout'), 1, settings())).toMatchObject({ state: 'pending', error: 'timeout' });
    expect(
      decide({ ...failure('connection_failed'), detail: 'ECONNREFUSED' } as const, 2, settings()),
    ).toMatchObject({ state: 'pending', error: 'connection_failed: ECONNREFUSED', delayMs: 4000 });
    expect(decide(failure('target_address_forbidden'), 1, settings())).toMatchObject({
      state: 'failed',
      error: 'target_address_forbidden',
    });
  });

  it('stops after the last attempt', () => {
    expect(decide(response(500), 3, settings(3))).toMatchObject({
      state: 'failed',
      status: 500,
      delayMs: null,
    });
    expect(decide(response(500), 2, settings(3))).toMatchObject({ state: 'pending' });
  });

  it('waits at least as long as a 429 or 503 asks (seconds or a date), never less than the backoff', () => {
    expect(decide(response(429, '30'), 1, settings())).toMatchObject({ delayMs: 30_000 });
    expect(decide(response(503, 'Sun, 01 Mar 2026 00:02:00 GMT'), 1, settings())).toMatchObject({
      delayMs: 120_000,
    });
    expect(decide(response(429, '0'), 2, settings())).toMatchObject({ delayMs: 4000 });
    expect(decide(response(500, '999'), 1, settings())).toMatchObject({ delayMs: 1000 });
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs('99999999', now)).toBe(24 * 60 * 60 * 1000);
  });
});
