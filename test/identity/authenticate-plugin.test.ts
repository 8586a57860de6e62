import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createJwtVerifier } from '../../src/adapters/oidc/jwt-verifier.js';
import { createMemoryFailureLimiter } from '../../src/adapters/rate-limit/flexible-failure-limiter.js';
import { type AuthFailure, registerAuthentication } from '../../src/http/plugins/authenticate.js';
import { registerErrorHandler } from '../../src/http/plugins/error-handler.js';
import { createAuthenticator } from '../../src/modules/identity/index.js';
import { newId } from '../../src/platform/ids.js';
import { adminContext, type IdentityHarness, identityHarness } from './identity-harness.js';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
// High enough that no test here reaches it; test/http/auth-flood.test.ts covers the limit itself.
const limiter = createMemoryFailureLimiter({ limit: 10_000, windowSeconds: 60, blockSeconds: 60 });

describe('authentication hook', () => {
  let h: IdentityHarness;
  let app: FastifyInstance;
  let failures: AuthFailure[];
  let failOnFailure = false;

  beforeEach(async () => {
    h = await identityHarness();
    failures = [];
    failOnFailure = false;
    app = Fastify({ genReqId: () => newId() });
    registerErrorHandler(app, { bodyLimit: 1024 * 1024 });
    registerAuthentication(app, {
      authenticate: createAuthenticator({
        tokens: h.service,
        // Nothing listens there: a JWT refused on its header must be refused before any key is fetched.
        jwt: createJwtVerifier({
          issuer: 'https://idp.test',
          audience: 'warden',
          jwksUrl: 'http://127.0.0.1:1/jwks',
        }),
      }),
      limiter,
      onFailure: (info) => {
        failures.push(info);
        if (failOnFailure) throw new Error('audit log down');
      },
      publicPrefixes: ['/docs'],
    });
    app.get('/health', { config: { action: 'public' } }, async () => ({ ok: true }));
    app.get('/docs/*', async () => ({ docs: true }));
    app.get('/things', { config: { action: 'test:thing:list' } }, async (request) => ({
      principal: request.principal,
    }));
    await app.ready();
  });
  afterEach(async () => {
    await app.close();
    await h.close();
  });

  const get = (authorization?: string, url = '/things') =>
    app.inject({ method: 'GET', url, headers: authorization === undefined ? {} : { authorization } });
  const tableState = async () =>
    JSON.stringify((await sql`select * from api_tokens order by id`.execute(h.database.db)).rows);

  it('lets public routes through without credentials', async () => {
    const health = await get(undefined, '/health');
    expect([health.statusCode, health.json()]).toEqual([200, { ok: true }]);
    expect((await get(undefined, '/docs/index.html')).json()).toEqual({ docs: true });
    expect(failures).toEqual([]);
  });

  it('answers every kind of bad credential with the same 401, telling the audit log the precise reason', async () => {
    const good = await h.service.issueToken({ name: 'ci-bot', roles: ['contributor'] }, adminContext);
    const expiring = await h.service.issueToken(
      { name: 'short', roles: ['viewer'], expires: '1h' },
      adminContext,
    );
    const revoked = await h.service.issueToken({ name: 'gone', roles: ['viewer'] }, adminContext);
    await h.service.revokeToken(revoked.id, adminContext);
    h.clock.advance(2 * 60 * 60_000);
    const secret = good.token.slice(17);
    const flipped = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    const claims = { sub: 'mallory', iss: 'https://idp.test', aud: 'warden', exp: 4_102_444_800 };

    const cases: [string | undefined, string][] = [
      [undefined, 'missing_credentials'],
      ['', 'missing_credentials'],
      [`Basic ${Buffer.from('admin:admin').toString('base64')}`, 'unsupported_scheme'],
      [good.token, 'unsupported_scheme'],
      ['Bearer', 'malformed_credentials'],
      ['Bearer ', 'malformed_credentials'],
      ['Bearer not a token', 'malformed_credentials'],
      ['Bearer garbage', 'malformed_credentials'],
      ['Bearer wdn_garbage', 'malformed_credentials'],
      [`Bearer ${good.token}x`, 'malformed_credentials'],
      [`Bearer ${'a'.repeat(9000)}`, 'malformed_credentials'],
      [`Bearer wdn_${'Z'.repeat(12)}_${secret}`, 'unknown_token'],
      [`Bearer wdn_${good.id}_${flipped}`, 'secret_mismatch'],
      [`Bearer ${expiring.token}`, 'token_expired'],
      [`Bearer ${revoked.token}`, 'token_revoked'],
      [
        `Bearer ${b64url({ alg: 'none' })}.${b64url({ ...claims, warden_roles: ['admin'] })}.`,
        'jwt_algorithm_not_allowed',
      ],
      [`Bearer ${b64url({ alg: 'HS256' })}.${b64url(claims)}.c2ln`, 'jwt_algorithm_not_allowed'],
    ];
    const before = await tableState();
    const bodies = new Set<string>();
    for (const [authorization, reason] of cases) {
      failures = [];
      const res = await get(authorization);
      expect(res.statusCode, String(authorization)).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="warden"');
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      const body = res.json() as Record<string, unknown>;
      expect(body.requestId).toEqual(expect.any(String));
      const { requestId, ...rest } = body;
      bodies.add(JSON.stringify(rest));
      expect(failures, String(authorization)).toEqual([{ reason, requestId, clientAddress: '127.0.0.1' }]);
    }
    expect([...bodies]).toEqual([
      JSON.stringify({
        type: 'urn:warden:error:unauthenticated',
        title: 'Unauthorized',
        status: 401,
        code: 'unauthenticated',
        detail: 'Authentication required: send a valid bearer token.',
      }),
    ]);
    expect(await tableState()).toBe(before);
  });

  it('refuses a JWT when no OIDC issuer is configured', async () => {
    const plain = Fastify();
    registerAuthentication(plain, {
      authenticate: createAuthenticator({ tokens: h.service, jwt: null }),
      limiter,
      onFailure: (info) => {
        failures.push(info);
      },
    });
    plain.get('/things', { config: { action: 'test:thing:list' } }, async () => ({}));
    const res = await plain.inject({ url: '/things', headers: { authorization: 'Bearer aaa.bbb.ccc' } });
    expect(res.statusCode).toBe(401);
    expect(failures.map((f) => f.reason)).toEqual(['oidc_not_configured']);
    await plain.close();
  });

  it('sets request.principal for a valid token', async () => {
    const issued = await h.service.issueToken(
      { name: 'ci-bot', roles: ['contributor'], teams: ['vision'] },
      adminContext,
    );
    const res = await get(`bearer  ${issued.token}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      principal: {
        id: `token:${issued.id}`,
        kind: 'service',
        name: 'ci-bot',
        roles: ['contributor'],
        teams: ['vision'],
        unscoped: false,
        via: { kind: 'token', tokenId: issued.id },
      },
    });
    expect(failures).toEqual([]);
  });

  it('answers 404 for an unknown route without reading credentials or noting a failure', async () => {
    // The route list is public (the OpenAPI document): probing made-up paths must cost no audit write.
    expect((await get(undefined, '/no/such/route')).statusCode).toBe(404);
    expect((await get('Bearer garbage', '/no/such/route')).statusCode).toBe(404);
    expect(failures).toEqual([]);
    const issued = await h.service.issueToken({ name: 'ci-bot', roles: ['viewer'] }, adminContext);
    expect((await get(`Bearer ${issued.token}`, '/no/such/route')).statusCode).toBe(404);
    expect((await get(undefined, '/docs/../things')).statusCode).toBe(401);
  });

  it('still answers 401 when the audit log cannot record the refusal', async () => {
    failOnFailure = true;
    const res = await get('Bearer garbage');
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('unauthenticated');
  });
});
