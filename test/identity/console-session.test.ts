import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlDatabase } from '../../src/adapters/sql/db.js';
import { expectProblem } from '../fixtures/http-helpers.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { api, cookieFrom, onSession, postSession, signInWithToken } from './console-session-helpers.js';
import { type FixedClock, fixedClock } from './identity-harness.js';

const minute = 60_000;

describe('console sessions begun with an API token', () => {
  let t: TestApp;
  let clock: FixedClock;
  let database: SqlDatabase;

  beforeAll(async () => {
    clock = fixedClock('2026-03-02T09:00:00.000Z');
    t = await createTestApp({ clock });
    database = t.db.open();
  });
  afterAll(async () => {
    await database?.close();
    await t?.close();
  });

  const row = async (id: string) =>
    (
      await sql<Record<string, string | null>>`select * from console_sessions where id = ${id}`.execute(
        database.db,
      )
    ).rows[0];
  const getSession = (cookie: string) => onSession(t, { cookie, csrfToken: '' }, { url: `${api}/session` });
  const entries = (action: string) =>
    t.container.auditQuery.list({ action, limit: 100 }, { unscoped: true }).then((p) => p.items);

  it('signs in: 201 with the session, a Strict HttpOnly cookie holding `<id>.<secret>`, nothing of it stored', async () => {
    const token = await t.tokenFor({ name: 'ops', roles: ['contributor'], teams: ['vision'] });
    const res = await postSession(t, token);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(
      /^warden_session=[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/,
    );
    const body = res.json();
    const tokenId = token.split('_')[1];
    expect(body).toEqual({
      sessionId: expect.any(String),
      principal: {
        id: `token:${tokenId}`,
        kind: 'service',
        name: 'ops',
        roles: ['contributor'],
        teams: ['vision'],
        unscoped: false,
      },
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      idleExpiresAt: '2026-03-02T09:30:00.000Z',
      expiresAt: '2026-03-02T21:00:00.000Z',
      via: 'token',
    });

    const cookie = cookieFrom(res.headers['set-cookie'], 'warden_session') as string;
    const [id, secret] = cookie.split('.') as [string, string];
    expect(id).toBe(body.sessionId);
    const stored = await row(id);
    expect(stored?.secret_hash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(JSON.stringify(stored)).not.toContain(body.csrfToken);

    // GET answers the same session, with the same CSRF token.
    const again = await getSession(cookie);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(body);
    const whoami = await getSession(cookie).then(() =>
      onSession(t, { cookie, csrfToken: '' }, { url: `${api}/whoami` }),
    );
    expect(whoami.json()).toMatchObject({
      id: `token:${tokenId}`,
      via: { kind: 'token', tokenId, sessionId: id },
    });
  });

  it('audits the start, every action on the session as a bearer call with the session in its credential, and the end', async () => {
    const token = await t.tokenFor({ name: 'auditor', roles: ['contributor'], teams: ['vision'] });
    const s = await signInWithToken(t, token);
    const tokenId = token.split('_')[1];
    const created = await onSession(t, s, {
      method: 'POST',
      url: `${api}/models`,
      payload: { name: 'session-made', owner: 'vision' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const out = await onSession(t, s, { method: 'DELETE', url: `${api}/session` });
    expect(out.statusCode).toBe(204);

    const credential = { kind: 'token', tokenId, sessionId: s.sessionId };
    expect(
      (await entries('identity:session:start')).find((e) => e.resource === `session:${s.sessionId}`),
    ).toMatchObject({
      outcome: 'success',
      principal: `token:${tokenId}`,
      actorName: 'auditor',
      credential,
      team: 'vision',
      details: { via: 'token', tokenId, subject: `token:${tokenId}` },
    });
    expect(
      (await entries('registry:model:create')).find((e) => e.resource === 'model:session-made'),
    ).toMatchObject({
      principal: `token:${tokenId}`,
      credential,
    });
    expect(
      (await entries('identity:session:end')).find((e) => e.resource === `session:${s.sessionId}`),
    ).toMatchObject({
      principal: `token:${tokenId}`,
      credential,
      details: { reason: 'logout', via: 'token' },
    });
    const all = JSON.stringify(await t.container.auditQuery.verify());
    expect(all).not.toContain(s.cookie.split('.')[1]);
    expect(await t.container.auditQuery.verify()).toMatchObject({ ok: true });
  });

  it('signs out: the row is ended, the cookie cleared, and the old cookie refused afterwards', async () => {
    const s = await signInWithToken(t, t.adminToken);
    const refused = await onSession(t, s, { method: 'DELETE', url: `${api}/session`, csrf: false });
    expectProblem(refused, 403, 'csrf_failed');
    expect((await getSession(s.cookie)).statusCode).toBe(200);

    const out = await onSession(t, s, { method: 'DELETE', url: `${api}/session` });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(
      /^warden_session=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970/,
    );
    expect(await row(s.sessionId)).toMatchObject({
      ended_at: '2026-03-02T09:00:00.000Z',
      end_reason: 'logout',
    });

    expectProblem(await getSession(s.cookie), 401, 'unauthenticated');
    expectProblem(await onSession(t, s, { url: `${api}/models` }), 401, 'unauthenticated');
    expectProblem(await onSession(t, s, { method: 'DELETE', url: `${api}/session` }), 401, 'unauthenticated');
  });

  it('ends after 30 idle minutes, counted from the last use (written at most once a minute)', async () => {
    const s = await signInWithToken(t, t.adminToken);
    const first = (await row(s.sessionId))?.last_seen_at;
    for (let i = 0; i < 5; i++) {
      clock.advance(10_000);
      expect((await getSession(s.cookie)).statusCode).toBe(200);
    }
    expect((await row(s.sessionId))?.last_seen_at).toBe(first);
    clock.advance(20 * minute);
    const used = await getSession(s.cookie);
    expect(used.json().idleExpiresAt).toBe(new Date(clock.now().getTime() + 30 * minute).toISOString());
    expect((await row(s.sessionId))?.last_seen_at).toBe(clock.now().toISOString());
    clock.advance(29 * minute);
    expect((await getSession(s.cookie)).statusCode).toBe(200);
    clock.advance(30 * minute);
    const idle = await getSession(s.cookie);
    expectProblem(idle, 401, 'unauthenticated');
    expect(String(idle.headers['set-cookie'])).toMatch(/^warden_session=; Max-Age=0/);
  });

  it('ends 12 hours after sign-in however much it is used', async () => {
    const s = await signInWithToken(t, t.adminToken);
    const start = clock.now().getTime();
    while (clock.now().getTime() + 20 * minute < start + 12 * 60 * minute) {
      clock.advance(20 * minute);
      expect((await getSession(s.cookie)).statusCode).toBe(200);
    }
    clock.set(new Date(start + 12 * 60 * minute).toISOString());
    expectProblem(await getSession(s.cookie), 401, 'unauthenticated');
  });

  it('ends when its token is revoked: refused on the next request, ended on the record, audited once', async () => {
    const token = await t.tokenFor({ name: 'temp', roles: ['viewer'], teams: ['vision'] });
    const tokenId = token.split('_')[1] as string;
    const s = await signInWithToken(t, token);
    expect((await onSession(t, s, { url: `${api}/models` })).statusCode).toBe(200);
    const revoke = await t.app.inject({ method: 'DELETE', url: `${api}/tokens/${tokenId}` });
    expect(revoke.statusCode).toBe(204);

    expectProblem(await onSession(t, s, { url: `${api}/models` }), 401, 'unauthenticated');
    expect(await row(s.sessionId)).toMatchObject({ end_reason: 'revoked-token' });
    expectProblem(await getSession(s.cookie), 401, 'unauthenticated');
    const ended = (await entries('identity:session:end')).filter(
      (e) => e.resource === `session:${s.sessionId}`,
    );
    expect(ended).toHaveLength(1);
    expect(ended[0]).toMatchObject({ principal: 'system', details: { reason: 'revoked-token' } });
    // A revoked token cannot start another one.
    expectProblem(await postSession(t, token), 401, 'unauthenticated');
  });

  it("never outlives its token's expiry", async () => {
    const token = await t.tokenFor({ name: 'short', roles: ['viewer'], expires: '1h', teams: ['vision'] });
    const s = await signInWithToken(t, token);
    expect(s.body.expiresAt).toBe(new Date(clock.now().getTime() + 60 * minute).toISOString());
    clock.advance(25 * minute);
    expect((await getSession(s.cookie)).statusCode).toBe(200);
    clock.advance(25 * minute);
    expect((await getSession(s.cookie)).statusCode).toBe(200);
    clock.advance(11 * minute);
    expectProblem(await getSession(s.cookie), 401, 'unauthenticated');
  });

  it('decides with Cedar exactly as for the bearer token: a viewer session cannot do admin things', async () => {
    const viewer = await t.tokenFor({ name: 'watcher', roles: ['viewer'], teams: ['vision'] });
    const s = await signInWithToken(t, viewer);
    const requests = [
      { method: 'GET' as const, url: `${api}/models` },
      { method: 'GET' as const, url: `${api}/tokens` },
      {
        method: 'POST' as const,
        url: `${api}/tokens`,
        payload: { name: 'x', roles: ['admin'], teams: ['vision'] },
      },
      { method: 'POST' as const, url: `${api}/models`, payload: { name: 'nope', owner: 'vision' } },
      { method: 'GET' as const, url: `${api}/audit` },
      { method: 'GET' as const, url: '/metrics' },
    ];
    for (const request of requests) {
      const bearer = await t.rawApp.inject({ ...request, headers: { authorization: `Bearer ${viewer}` } });
      const session = await onSession(t, s, request);
      expect([request.url, session.statusCode, session.json?.().code]).toEqual([
        request.url,
        bearer.statusCode,
        bearer.json?.().code,
      ]);
    }
    expectProblem(await onSession(t, s, requests[2] as never), 403, 'forbidden');
  });

  it('sweeps ended and expired sessions', async () => {
    const s = await signInWithToken(t, t.adminToken);
    await onSession(t, s, { method: 'DELETE', url: `${api}/session` });
    const live = await signInWithToken(t, t.adminToken);
    const swept = await t.container.consoleSessions.sweep();
    expect(swept.sessions).toBeGreaterThanOrEqual(1);
    expect(await row(s.sessionId)).toBeUndefined();
    expect(await row(live.sessionId)).toBeDefined();
  });
});
