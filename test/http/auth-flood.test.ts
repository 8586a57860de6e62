import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';

/**
 * Security regression: every unauthenticated or failed-auth request used to write one audit row (3,000
 * rows in 4 s from one client). Refusals are now rate-limited per address and audited in aggregate.
 */
describe('unauthenticated traffic cannot flood the audit log', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const entries = async () => (await t.container.auditQuery.verify()).entries;
  const from = (remoteAddress: string, authorization?: string, url = '/api/v1/models') =>
    t.rawApp.inject({
      method: 'GET',
      url,
      remoteAddress,
      headers: authorization === undefined ? {} : { authorization },
    });
  const metricsText = async () => {
    const res = await from('10.9.9.9', `Bearer ${t.adminToken}`, '/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.body;
  };

  it('blocks an address after 20 failures, and writes a bounded number of rows for 3,000', async () => {
    const before = await entries();
    const statuses = new Map<number, number>();
    let retryAfter: string | undefined;
    for (let i = 0; i < 3000; i++) {
      const res = await from('10.0.0.1', i % 2 ? 'Bearer garbage' : undefined);
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      if (res.statusCode === 429) {
        retryAfter = res.headers['retry-after'] as string;
        if (i === 2999) expect(res.json()).toMatchObject({ code: 'auth_rate_limited', status: 429 });
      }
    }
    expect(Object.fromEntries(statuses)).toEqual({ 401: 20, 429: 2980 });
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(Number(retryAfter)).toBeLessThanOrEqual(300);
    // Nothing is written per request; the flush writes one entry per address and reason.
    expect(await entries()).toBe(before);
    await t.container.authFailureLog.flush();
    expect((await entries()) - before).toBe(3);
    const page = await t.container.auditQuery.list(
      { action: 'identity:token:authenticate', limit: 10 },
      { unscoped: true },
    );
    const byReason = Object.fromEntries(
      page.items.map((e) => [e.details?.reason, [e.clientAddress, e.outcome, e.details?.count]]),
    );
    expect(byReason).toEqual({
      missing_credentials: ['10.0.0.1', 'failed', 11],
      malformed_credentials: ['10.0.0.1', 'failed', 10],
      rate_limited: ['10.0.0.1', 'denied', 2979],
    });
    expect(await t.container.auditQuery.verify()).toMatchObject({ ok: true });

    // The blocked address is refused even with a valid token (it cannot keep guessing); others are not.
    expect((await from('10.0.0.1', `Bearer ${t.adminToken}`)).statusCode).toBe(429);
    expect((await from('10.0.0.2', `Bearer ${t.adminToken}`)).statusCode).toBe(200);
    expect((await from('10.0.0.2', 'Bearer garbage')).statusCode).toBe(401);

    const text = await metricsText();
    expect(text).toContain('# TYPE warden_auth_failures_total counter');
    expect(text).toContain('warden_auth_failures_total{reason="rate_limited"} 2980');
    expect(text).toContain('warden_auth_failures_total{reason="missing_credentials"} 11');
    expect(text).toContain('warden_auth_failures_total{reason="malformed_credentials"} 11');
  });

  it('counts an IPv6 client by its /64, so rotating addresses does not reset the limit', async () => {
    const codes: number[] = [];
    for (let i = 1; i <= 25; i++) codes.push((await from(`2001:db8:1:2::${i.toString(16)}`)).statusCode);
    expect(codes.filter((c) => c === 401)).toHaveLength(20);
    expect(codes.slice(20)).toEqual([429, 429, 429, 429, 429]);
    expect((await from('2001:db8:1:3::1')).statusCode).toBe(401);
    await t.container.authFailureLog.flush();
    const page = await t.container.auditQuery.list(
      { action: 'identity:token:authenticate', limit: 10 },
      { unscoped: true },
    );
    expect(page.items.map((e) => e.clientAddress).sort()).toEqual([
      '2001:db8:1:2::/64',
      '2001:db8:1:2::/64',
      '2001:db8:1:3::/64',
    ]);
  });

  it('answers 404 for unknown routes without touching the audit table', async () => {
    const before = await entries();
    for (const url of ['/nope', '/api/v1/nope', '/api/v2/models', '/api/v1/models/x/y/z/w'])
      for (const authorization of [undefined, 'Bearer garbage']) {
        const res = await from('10.0.0.3', authorization, url);
        expect([url, res.statusCode, res.json().code]).toEqual([url, 404, 'route_not_found']);
      }
    await t.container.authFailureLog.flush();
    expect(await entries()).toBe(before);
  });

  it('keeps /metrics for admins: anonymous 401, a viewer 403', async () => {
    expect((await from('10.0.0.4', undefined, '/metrics')).statusCode).toBe(401);
    const viewer = await t.tokenFor({ name: 'viewer-bot', roles: ['viewer'] });
    const res = await from('10.0.0.4', `Bearer ${viewer}`, '/metrics');
    expect([res.statusCode, res.json().code]).toEqual([403, 'forbidden']);
  });

  it('still audits successful mutations and denials one by one', async () => {
    const before = await entries();
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/models', payload: { name: 'flood' } });
    expect(created.statusCode).toBe(201);
    const viewer = await t.tokenFor({ name: 'viewer-2', roles: ['viewer'] });
    const denied = await t.app.inject({
      method: 'POST',
      url: '/api/v1/models',
      payload: { name: 'nope' },
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(denied.statusCode).toBe(403);
    // The model, the service account and its token, and the denial: each its own entry, written at once.
    expect((await entries()) - before).toBe(4);
  });
});

describe('aggregated refusals are written on the interval and at shutdown', () => {
  it('flushes every auditIntervalSeconds, and on close', async () => {
    const t = await createTestApp({ settings: { 'authFailures.auditIntervalSeconds': 1 } });
    try {
      const before = (await t.container.auditQuery.verify()).entries;
      await t.rawApp.inject({ url: '/api/v1/models', remoteAddress: '10.1.0.1' });
      await vi.waitFor(async () => expect((await t.container.auditQuery.verify()).entries).toBe(before + 1), {
        timeout: 3000,
        interval: 100,
      });
      await t.rawApp.inject({ url: '/api/v1/models', remoteAddress: '10.1.0.2' });
      await t.rawApp.close();
      expect((await t.container.auditQuery.verify()).entries).toBe(before + 2);
    } finally {
      await t.close();
    }
  });

  it('lets the limit be configured', async () => {
    const t = await createTestApp({ settings: { 'authFailures.limit': 2, 'authFailures.blockSeconds': 7 } });
    try {
      const codes = [];
      for (let i = 0; i < 4; i++)
        codes.push((await t.rawApp.inject({ url: '/api/v1/models', remoteAddress: '10.2.0.1' })).statusCode);
      expect(codes).toEqual([401, 401, 429, 429]);
      const res = await t.rawApp.inject({ url: '/api/v1/models', remoteAddress: '10.2.0.1' });
      expect(res.headers['retry-after']).toBe('7');
    } finally {
      await t.close();
    }
  });
});
