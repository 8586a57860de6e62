import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oidcLoginStartsPerMinute } from '../../src/http/routes/oidc-sign-in.routes.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { api, cookieFrom } from './console-session-helpers.js';
import { type FixedClock, fixedClock } from './identity-harness.js';
import { startTestProvider, type TestProvider } from './oidc-test-provider.js';

const redirectUri = 'http://127.0.0.1:8080/api/v1/session/oidc/callback';

describe('console sign-in with OIDC (a real provider, the code flow driven like a browser)', () => {
  let op: TestProvider;
  let t: TestApp;
  let clock: FixedClock;

  beforeAll(async () => {
    op = await startTestProvider({
      redirectUri,
      users: {
        alice: { warden_roles: ['admin'], warden_teams: ['vision'], preferred_username: 'alice.liddell' },
        bob: { warden_roles: ['viewer'], warden_teams: ['nlp', 'Not A Team'], preferred_username: 'bob' },
        root: { warden_roles: ['admin'], warden_teams: ['all-teams'] },
        carol: { warden_roles: ['contributor'], warden_teams: [] },
      },
    });
    // ID tokens are checked against real time, so the moving clock starts now.
    clock = fixedClock(new Date().toISOString());
    t = await createTestApp({
      clock,
      oidc: {
        issuer: op.issuer,
        audience: 'warden',
        jwksUrl: `${op.issuer}/jwks`,
        teamsClaim: 'warden_teams',
        requireTeams: true,
        unscopedTeam: 'all-teams',
      },
      settings: {
        'console.oidc.clientId': op.clientId,
        'console.oidc.redirectUri': redirectUri,
      },
      oidcClientSecret: op.clientSecret,
    });
  });
  afterAll(async () => {
    await t?.close();
    await op?.close();
  });

  const begin = async (returnTo?: string) => {
    const query = returnTo === undefined ? '' : `?returnTo=${encodeURIComponent(returnTo)}`;
    const res = await t.rawApp.inject({ method: 'GET', url: `${api}/session/oidc/login${query}` });
    expect(res.statusCode).toBe(302);
    const binding = cookieFrom(res.headers['set-cookie'], 'warden_login');
    expect(binding).toBeDefined();
    expect(String(res.headers['set-cookie'])).toMatch(/HttpOnly/);
    expect(String(res.headers['set-cookie'])).toMatch(/SameSite=Lax/);
    return { location: String(res.headers.location), binding: binding as string };
  };
  const callback = (url: URL, binding: string | undefined) =>
    t.rawApp.inject({
      method: 'GET',
      url: `${api}/session/oidc/callback${url.search}`,
      headers: binding === undefined ? {} : { cookie: `warden_login=${binding}` },
    });
  const signIn = async (user: string, returnTo?: string) => {
    const { location, binding } = await begin(returnTo);
    const res = await callback(await op.authorize(location, user), binding);
    return res;
  };
  const sessionOf = async (res: Awaited<ReturnType<typeof callback>>) => {
    const cookie = cookieFrom(res.headers['set-cookie'], 'warden_session');
    expect(cookie).toBeDefined();
    return cookie as string;
  };
  const withSession = (cookie: string, method: 'GET' | 'POST' | 'DELETE', url: string, extra = {}) =>
    t.rawApp.inject({ method, url, headers: { cookie: `warden_session=${cookie}` }, ...extra });

  it('says OIDC sign-in is on', async () => {
    const res = await t.rawApp.inject({ method: 'GET', url: `${api}/session/oidc` });
    expect(res.json()).toEqual({ enabled: true });
  });

  it('redirects to the issuer with the code flow, PKCE S256, state and nonce', async () => {
    const { location } = await begin('/models');
    const url = new URL(location);
    expect(url.origin).toBe(op.issuer);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: op.clientId,
      redirect_uri: redirectUri,
      scope: 'openid profile email',
      code_challenge_method: 'S256',
    });
    for (const p of ['state', 'nonce', 'code_challenge']) expect(url.searchParams.get(p)).toMatch(/^.{40,}$/);
  });

  it('signs alice in: her roles and teams from the claims, the session cookie set, sent on to returnTo', async () => {
    const res = await signIn('alice', '/models/iris?tab=versions');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/models/iris?tab=versions');
    expect(String(res.headers['set-cookie'])).toMatch(
      /warden_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict/,
    );
    // The login binding is cleared, and no token reaches the browser.
    expect(cookieFrom(res.headers['set-cookie'], 'warden_login')).toBe('');
    expect(res.body).not.toMatch(/eyJ/);
    const cookie = await sessionOf(res);

    const session = await withSession(cookie, 'GET', `${api}/session`);
    expect(session.statusCode).toBe(200);
    expect(session.json()).toMatchObject({
      principal: {
        id: `oidc:${op.issuer}#alice`,
        kind: 'user',
        name: 'alice.liddell', // preferred_username from userinfo (the ID token carries roles and teams only)
        roles: ['admin'],
        teams: ['vision'],
        unscoped: false,
      },
      via: 'oidc',
    });
    const whoami = await withSession(cookie, 'GET', `${api}/whoami`);
    expect(whoami.json().via).toEqual({
      kind: 'oidc',
      issuer: op.issuer,
      subject: 'alice',
      jti: null,
      sessionId: session.json().sessionId,
    });

    const started = await t.container.auditQuery.list(
      { action: 'identity:session:start', limit: 10 },
      { unscoped: true },
    );
    expect(started.items.at(-1)).toMatchObject({
      principal: `oidc:${op.issuer}#alice`,
      resource: `session:${session.json().sessionId}`,
      team: 'vision',
      details: { via: 'oidc', issuer: op.issuer, oidcSubject: 'alice' },
    });
  });

  it('maps each user as bearer JWTs are: a viewer stays a viewer, an unscoped team value is unscoped', async () => {
    const bob = await sessionOf(await signIn('bob'));
    const bobSession = (await withSession(bob, 'GET', `${api}/session`)).json();
    expect(bobSession.principal).toMatchObject({ roles: ['viewer'], teams: ['nlp'], unscoped: false });
    const issue = await withSession(bob, 'POST', `${api}/tokens`, {
      headers: { cookie: `warden_session=${bob}`, 'x-warden-csrf': bobSession.csrfToken },
      payload: { name: 'ci', roles: ['viewer'], teams: ['nlp'] },
    });
    expect(issue.statusCode).toBe(403);
    expect(issue.json().code).toBe('forbidden');

    const root = await sessionOf(await signIn('root'));
    expect((await withSession(root, 'GET', `${api}/session`)).json().principal).toMatchObject({
      roles: ['admin'],
      teams: [],
      unscoped: true,
    });
  });

  it('refuses a user with no team when teams are required', async () => {
    const res = await signIn('carol');
    expect([res.statusCode, res.headers.location]).toEqual([303, '/sign-in?error=teams_required']);
    expect(cookieFrom(res.headers['set-cookie'], 'warden_session')).toBeUndefined();
  });

  it('refuses a callback whose state was changed', async () => {
    const { location, binding } = await begin();
    const url = await op.authorize(location, 'alice');
    url.searchParams.set('state', 'x'.repeat(43));
    const res = await callback(url, binding);
    expect([res.statusCode, res.headers.location]).toEqual([303, '/sign-in?error=state_invalid']);
    const none = new URL(url);
    none.searchParams.delete('state');
    expect((await callback(none, binding)).headers.location).toBe('/sign-in?error=state_invalid');
  });

  it('refuses a replayed callback', async () => {
    const { location, binding } = await begin();
    const url = await op.authorize(location, 'alice');
    expect((await callback(url, binding)).headers.location).toBe('/');
    const again = await callback(url, binding);
    expect([again.statusCode, again.headers.location]).toEqual([303, '/sign-in?error=login_replayed']);
  });

  it('refuses the callback in another browser (no or another binding), and still lets the first finish', async () => {
    const first = await begin();
    const other = await begin();
    const url = await op.authorize(first.location, 'alice');
    expect((await callback(url, undefined)).headers.location).toBe('/sign-in?error=browser_mismatch');
    expect((await callback(url, other.binding)).headers.location).toBe('/sign-in?error=browser_mismatch');
    const res = await callback(url, first.binding);
    expect(res.headers.location).toBe('/');
    await sessionOf(res);
  });

  it('refuses a sign-in finished after ten minutes', async () => {
    const { location, binding } = await begin();
    const url = await op.authorize(location, 'alice');
    clock.advance(10 * 60_000 + 1);
    const res = await callback(url, binding);
    expect([res.statusCode, res.headers.location]).toEqual([303, '/sign-in?error=login_expired']);
  });

  it("refuses the issuer's error (the user declined)", async () => {
    const { location, binding } = await begin();
    const url = await op.authorize(location, 'alice', { deny: true });
    expect(url.searchParams.get('error')).toBe('access_denied');
    const res = await callback(url, binding);
    expect([res.statusCode, res.headers.location]).toEqual([303, '/sign-in?error=idp_error']);
  });

  it.each([
    '//evil.example/x',
    'https://evil.example/',
    '/\\evil.example',
    'javascript:alert(1)',
    '/%09/evil.example',
  ])('never redirects off the origin: returnTo %s', async (returnTo) => {
    const res = await signIn('alice', returnTo);
    expect(res.statusCode).toBe(303);
    const location = String(res.headers.location);
    expect(new URL(location, 'http://warden.test').origin).toBe('http://warden.test');
    expect(location === '/' || location === '/%09/evil.example').toBe(true);
  });

  it('records refused sign-ins as failed authentications, with their reasons', async () => {
    await t.container.authFailureLog.flush();
    const page = await t.container.auditQuery.list(
      { action: 'identity:token:authenticate', limit: 50 },
      { unscoped: true },
    );
    const reasons = new Set(page.items.map((e) => e.details?.reason));
    for (const reason of [
      'jwt_teams_required',
      'oidc_state_invalid',
      'oidc_login_replayed',
      'oidc_browser_mismatch',
      'oidc_login_expired',
      'oidc_provider_error',
    ])
      expect(reasons.has(reason), reason).toBe(true);
  });
});

describe('OIDC sign-in starts per client address', () => {
  it('refuses an address that begins more than 30 sign-ins in a minute, writing no pending row for them', async () => {
    const op = await startTestProvider({ redirectUri, users: { alice: { warden_roles: ['viewer'] } } });
    const t = await createTestApp({
      oidc: { issuer: op.issuer, audience: 'warden', jwksUrl: `${op.issuer}/jwks` },
      settings: { 'console.oidc.clientId': op.clientId, 'console.oidc.redirectUri': redirectUri },
      oidcClientSecret: op.clientSecret,
    });
    try {
      const start = (remoteAddress: string) =>
        t.rawApp.inject({ method: 'GET', url: `${api}/session/oidc/login`, remoteAddress });
      for (let i = 0; i < oidcLoginStartsPerMinute; i++)
        expect((await start('203.0.113.7')).statusCode).toBe(302);
      const refused = await start('203.0.113.7');
      expect(refused.statusCode).toBe(303);
      expect(refused.headers.location).toBe('/sign-in?error=rate_limited');
      expect(refused.headers['set-cookie']).toBeUndefined();
      // Another address is not held back by the first one.
      expect((await start('198.51.100.9')).statusCode).toBe(302);
    } finally {
      await t.close();
      await op.close();
    }
  });
});
