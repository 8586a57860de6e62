import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlDatabase } from '../../src/adapters/sql/db.js';
import { expectProblem } from '../fixtures/http-helpers.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { withoutRequestId } from '../security/security-helpers.js';
import {
  api,
  cookieFrom,
  type HeldSession,
  onSession,
  postSession,
  signInWithToken,
} from './console-session-helpers.js';

describe('console sessions: CSRF, bearer credentials, forged cookies, the failure limit', () => {
  let t: TestApp;
  let database: SqlDatabase;
  let admin: HeldSession;
  let n = 0;
  const modelName = () => `csrf-${++n}`;

  beforeAll(async () => {
    // The socket is a trusted proxy, so a test can say the browser came over TLS (X-Forwarded-Proto).
    t = await createTestApp({ settings: { trustProxy: ['127.0.0.1'], 'authFailures.limit': 5 } });
    database = t.db.open();
    admin = await signInWithToken(t, t.adminToken);
  });
  afterAll(async () => {
    await database?.close();
    await t?.close();
  });

  const createOn = (
    session: HeldSession,
    options: { csrf?: string | false; headers?: Record<string, string> },
  ) =>
    onSession(t, session, {
      method: 'POST',
      url: `${api}/models`,
      payload: { name: modelName() },
      ...options,
    });
  const sessionRows = async () =>
    JSON.stringify((await sql`select * from console_sessions order by id`.execute(database.db)).rows);
  const auditSize = async () => (await t.container.auditQuery.verify()).entries;

  it('refuses a cookie request that changes something without the CSRF header, with a wrong one, or from another origin', async () => {
    expectProblem(await createOn(admin, { csrf: false }), 403, 'csrf_failed');
    expectProblem(await createOn(admin, { csrf: 'x'.repeat(43) }), 403, 'csrf_failed');
    expectProblem(await createOn(admin, { csrf: '' }), 403, 'csrf_failed');
    expectProblem(await createOn(admin, { headers: { origin: 'https://evil.example' } }), 403, 'csrf_failed');
    expectProblem(await createOn(admin, { headers: { origin: 'null' } }), 403, 'csrf_failed');
    expectProblem(await createOn(admin, { headers: { origin: 'http://localhost:81' } }), 403, 'csrf_failed');
    for (const [method, url] of [
      ['PATCH', `${api}/models/none`],
      ['PUT', `${api}/models/none/aliases/champion`],
      ['DELETE', `${api}/tokens/AAAAAAAAAAAA`],
    ] as const) {
      const res = await onSession(t, admin, { method, url, csrf: false, payload: { version: 1 } });
      expectProblem(res, 403, 'csrf_failed');
    }
    // Nothing was created by any of them.
    expect((await onSession(t, admin, { url: `${api}/models` })).json().items).toEqual([]);
    // Another session's token is not this session's.
    const other = await signInWithToken(t, t.adminToken);
    expectProblem(await createOn(admin, { csrf: other.csrfToken }), 403, 'csrf_failed');
  });

  it('lets it through with the header, from its own origin or with none; reads need no header', async () => {
    expect((await createOn(admin, {})).statusCode).toBe(201);
    const own = await createOn(admin, { headers: { origin: 'http://localhost:80' } });
    expect(own.statusCode, own.body).toBe(201);
    expect((await onSession(t, admin, { url: `${api}/models`, csrf: false })).statusCode).toBe(200);
    expect(
      (await onSession(t, admin, { method: 'HEAD', url: `${api}/models`, csrf: false })).statusCode,
    ).toBe(200);
  });

  it('leaves bearer requests as they were: no CSRF header needed, the cookie ignored', async () => {
    const bearer = { authorization: `Bearer ${t.adminToken}` };
    const res = await t.rawApp.inject({
      method: 'POST',
      url: `${api}/models`,
      payload: { name: modelName() },
      headers: { ...bearer, origin: 'https://elsewhere.example', cookie: 'warden_session=garbage' },
    });
    expect(res.statusCode, res.body).toBe(201);
    // A bad bearer token is not rescued by a good cookie.
    const bad = await t.rawApp.inject({
      url: `${api}/models`,
      headers: { authorization: 'Bearer wdn_bad', cookie: `warden_session=${admin.cookie}` },
      remoteAddress: '10.0.0.9',
    });
    expectProblem(bad, 401, 'unauthenticated');
    expect(bad.headers['set-cookie']).toBeUndefined();
    // The session endpoints are for sessions only.
    expectProblem(await t.rawApp.inject({ url: `${api}/session`, headers: bearer }), 401, 'session_required');
    const del = await t.rawApp.inject({
      method: 'DELETE',
      url: `${api}/session`,
      headers: { ...bearer, cookie: `warden_session=${admin.cookie}` },
    });
    expectProblem(del, 401, 'session_required');
    expectProblem(await t.rawApp.inject({ url: `${api}/session` }), 401, 'session_required');
    expect((await onSession(t, admin, { url: `${api}/session` })).statusCode).toBe(200);
  });

  it('answers a forged cookie like a bad bearer token, clears it, and writes nothing', async () => {
    const [id, secret] = admin.cookie.split('.') as [string, string];
    const flipped = `${id}.${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    const forged = [
      flipped,
      `01890000-0000-7000-8000-000000000000.${secret}`,
      'garbage',
      `${id}.`,
      `${id}.${secret}.extra`,
      '%00',
    ];
    const rows = await sessionRows();
    const entries = await auditSize();
    const reference = withoutRequestId(
      (
        await t.rawApp.inject({
          url: `${api}/models`,
          headers: { authorization: 'Bearer wdn_x' },
          remoteAddress: '10.2.0.1',
        })
      ).json(),
    );
    for (const [i, value] of forged.entries()) {
      const remoteAddress = `10.2.1.${i}`;
      const res = await t.rawApp.inject({
        url: `${api}/models`,
        headers: { cookie: `warden_session=${value}` },
        remoteAddress,
      });
      expect(withoutRequestId(expectProblem(res, 401, 'unauthenticated'))).toEqual(reference);
      expect(cookieFrom(res.headers['set-cookie'], 'warden_session')).toBe('');
      const get = await t.rawApp.inject({
        url: `${api}/session`,
        headers: { cookie: `warden_session=${value}` },
        remoteAddress,
      });
      expectProblem(get, 401, 'unauthenticated');
    }
    expect(await sessionRows()).toBe(rows);
    expect(await auditSize()).toBe(entries);
    await t.container.authFailureLog.flush();
    const page = await t.container.auditQuery.list(
      { action: 'identity:token:authenticate', limit: 100 },
      { unscoped: true },
    );
    const reasons = new Set(page.items.map((e) => e.details?.reason));
    for (const reason of ['session_secret_mismatch', 'session_unknown', 'session_malformed'])
      expect(reasons.has(reason), reason).toBe(true);
  });

  it('counts failed token sign-ins and forged cookies against the same limit as bearer tokens', async () => {
    const from = '10.3.0.1';
    const codes: number[] = [];
    for (let i = 0; i < 3; i++)
      codes.push((await postSession(t, `wdn_nope${i}`, { remoteAddress: from })).statusCode);
    codes.push(
      (
        await t.rawApp.inject({
          url: `${api}/models`,
          headers: { cookie: 'warden_session=x' },
          remoteAddress: from,
        })
      ).statusCode,
    );
    codes.push(
      (
        await t.rawApp.inject({
          url: `${api}/models`,
          headers: { authorization: 'Bearer nope' },
          remoteAddress: from,
        })
      ).statusCode,
    );
    codes.push((await postSession(t, 'wdn_again', { remoteAddress: from })).statusCode);
    // Five failures are allowed; the sixth passes the limit.
    expect(codes).toEqual([401, 401, 401, 401, 401, 429]);
    // Blocked now: a valid token cannot sign in from there either, and nothing was started.
    const blocked = await postSession(t, t.adminToken, { remoteAddress: from });
    expectProblem(blocked, 429, 'auth_rate_limited');
    expect(blocked.headers['set-cookie']).toBeUndefined();
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await postSession(t, t.adminToken, { remoteAddress: '10.3.0.2' })).statusCode).toBe(201);
  });

  it('refuses a sign-in from another origin, or with a body that is not one token', async () => {
    expectProblem(
      await postSession(t, t.adminToken, { headers: { origin: 'https://evil.example' } }),
      403,
      'csrf_failed',
    );
    const form = await t.rawApp.inject({
      method: 'POST',
      url: `${api}/session`,
      payload: `token=${t.adminToken}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectProblem(form, 415, 'unsupported_media_type');
    const extra = await t.rawApp.inject({
      method: 'POST',
      url: `${api}/session`,
      payload: { token: t.adminToken, roles: ['admin'] },
    });
    expectProblem(extra, 400, 'invalid_request');
    expectProblem(
      await t.rawApp.inject({ method: 'POST', url: `${api}/session`, payload: {} }),
      400,
      'invalid_request',
    );
  });

  it('names the cookie __Host-warden_session, Secure, over TLS, and reads only that name there', async () => {
    const tls = { 'x-forwarded-proto': 'https' };
    const res = await postSession(t, t.adminToken, { headers: tls });
    expect(res.statusCode).toBe(201);
    expect(String(res.headers['set-cookie'])).toMatch(
      /^__Host-warden_session=[^;]+; Path=\/; HttpOnly; Secure; SameSite=Strict$/,
    );
    const value = cookieFrom(res.headers['set-cookie'], '__Host-warden_session') as string;
    const ok = await t.rawApp.inject({
      url: `${api}/session`,
      headers: { ...tls, cookie: `__Host-warden_session=${value}` },
    });
    expect(ok.statusCode).toBe(200);
    const plain = await t.rawApp.inject({
      url: `${api}/session`,
      headers: { ...tls, cookie: `warden_session=${value}` },
    });
    expectProblem(plain, 401, 'session_required');
    // Its own origin over TLS is https://host.
    const write = await t.rawApp.inject({
      method: 'POST',
      url: `${api}/models`,
      payload: { name: modelName() },
      headers: {
        ...tls,
        host: 'warden.example',
        cookie: `__Host-warden_session=${value}`,
        'x-warden-csrf': ok.json().csrfToken,
        origin: 'https://warden.example',
      },
    });
    expect(write.statusCode, write.body).toBe(201);
  });

  it('is not taken by the inference routes, which authenticate bearer credentials only', async () => {
    const res = await onSession(t, admin, { url: '/v2/models/iris' });
    expect(res.statusCode).toBe(401);
  });

  it('says OIDC sign-in is off when console.oidc is not set', async () => {
    expect((await t.rawApp.inject({ url: `${api}/session/oidc` })).json()).toEqual({ enabled: false });
    const login = await t.rawApp.inject({ url: `${api}/session/oidc/login?returnTo=/models` });
    expect([login.statusCode, login.headers.location]).toEqual([303, '/sign-in?error=oidc_disabled']);
  });
});
