import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';

/**
 * The failed-authentication limit keys on request.ip. Behind a reverse proxy every request comes from the
 * proxy's address, so the real client must come from X-Forwarded-For, but only when the hop that wrote it is
 * a configured proxy: otherwise a client escapes the limit by forging a new address per request.
 */
describe('failed-authentication limit and X-Forwarded-For', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const limit = 3;
  const attempt = (app: TestApp, remoteAddress: string, forwardedFor?: string) =>
    app.rawApp.inject({
      method: 'GET',
      url: '/api/v1/models',
      remoteAddress,
      headers: {
        authorization: 'Bearer garbage',
        ...(forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }),
      },
    });

  it('ignores a forged X-Forwarded-For by default: the socket address stays the key', async () => {
    t = await createTestApp({ settings: { 'authFailures.limit': limit } });
    const codes: number[] = [];
    for (let i = 0; i < limit + 3; i++)
      codes.push((await attempt(t, '203.0.113.7', `198.51.100.${i}`)).statusCode);
    expect(codes).toEqual([401, 401, 401, 429, 429, 429]);
    await t.container.authFailureLog.flush();
    const page = await t.container.auditQuery.list(
      { action: 'identity:token:authenticate', limit: 10 },
      { unscoped: true },
    );
    expect(new Set(page.items.map((e) => e.clientAddress))).toEqual(new Set(['203.0.113.7']));
  });

  it('ignores X-Forwarded-For from a client that is not a configured proxy', async () => {
    t = await createTestApp({ settings: { 'authFailures.limit': limit, trustProxy: ['10.0.0.0/8'] } });
    const codes: number[] = [];
    for (let i = 0; i < limit + 2; i++)
      codes.push((await attempt(t, '203.0.113.7', `198.51.100.${i}`)).statusCode);
    expect(codes).toEqual([401, 401, 401, 429, 429]);
  });

  it('keys on the forwarded client behind a configured proxy, so one client cannot block the others', async () => {
    t = await createTestApp({ settings: { 'authFailures.limit': limit, trustProxy: ['10.0.0.5'] } });
    const one: number[] = [];
    for (let i = 0; i < limit + 1; i++) one.push((await attempt(t, '10.0.0.5', '198.51.100.1')).statusCode);
    expect(one).toEqual([401, 401, 401, 429]);
    // Another client behind the same proxy is not blocked, and neither is the proxy itself.
    expect((await attempt(t, '10.0.0.5', '198.51.100.2')).statusCode).toBe(401);
    // A client that prepends a forged address cannot step out: the proxy appends the real one last.
    expect((await attempt(t, '10.0.0.5', '192.0.2.99, 198.51.100.1')).statusCode).toBe(429);
    await t.container.authFailureLog.flush();
    const page = await t.container.auditQuery.list(
      { action: 'identity:token:authenticate', limit: 10 },
      { unscoped: true },
    );
    expect(new Set(page.items.map((e) => e.clientAddress))).toEqual(
      new Set(['198.51.100.1', '198.51.100.2']),
    );
  });
});
