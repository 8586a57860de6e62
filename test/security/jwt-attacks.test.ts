import { createHmac } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { exportSPKI } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel, push } from '../fixtures/http-helpers.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import {
  api,
  attempt,
  b64url,
  bearer,
  expectAuthFailureEntry,
  expectDenialEntry,
  expectIntactChain,
  expectSameBodies,
  makeKey,
  pushAs,
  serveJwks,
  signJwt,
  type TestKey,
} from './security-helpers.js';

// Security regressions: bearer JWTs through the full app, keys served by a real JWKS on loopback. A forged,
// misdirected or stale JWT is refused like any bad credential (401, one body, reason in the audit log only);
// a genuine one is held to its roles and teams by policy (403, denial on record).
const claims = { issuer: 'https://idp.test', audience: 'warden' };
const inFive = () => Math.floor(Date.now() / 1000) + 300;

describe('attack: forged and misdirected JWTs against the full app', () => {
  let t: TestApp;
  let jwks: Awaited<ReturnType<typeof serveJwks>>;
  let rsa: TestKey;
  let rogue: TestKey;
  const unauthorized: Record<string, unknown>[] = [];
  const forbidden: Record<string, unknown>[] = [];

  beforeAll(async () => {
    [rsa, rogue] = await Promise.all([makeKey('RS256', 'rsa-1'), makeKey('RS256', 'rogue')]);
    jwks = await serveJwks([rsa]);
    t = await createTestApp({
      oidc: {
        ...claims,
        jwksUrl: jwks.url,
        rolesClaim: 'warden_roles',
        teamsClaim: 'groups',
        unscopedTeam: 'all-teams',
      },
    });
    await createModel(t, 'iris');
    await createModel(t, 'nlp-bert', { owner: 'nlp' });
    await push(t, 'iris', { kind: 'directory', aliases: ['prod'] }, [{ path: 'model.bin', content: 'v1' }]);
  });
  afterAll(async () => {
    await t?.close();
    await jwks?.stop();
  });

  const as = (jwt: string, request: InjectOptions): InjectOptions => ({
    ...request,
    headers: { ...(request.headers ?? {}), authorization: bearer(jwt) },
  });
  const listModels: InjectOptions = { method: 'GET', url: `${api}/models` };
  const createEvil: InjectOptions = { method: 'POST', url: `${api}/models`, payload: { name: 'evil' } };
  const evilPush = (jwt: string) => pushAs(bearer(jwt), 'iris', [{ path: 'model.bin', content: 'forged' }]);
  const adminClaims = { sub: 'mallory', iss: claims.issuer, aud: claims.audience, exp: inFive() };

  const refused = async (request: InjectOptions, jwt: string, reason: string) => {
    const a = await attempt(t, request, 401, jwt);
    expectAuthFailureEntry(a, reason);
    unauthorized.push(a.body);
  };
  const denied = async (request: InjectOptions, jwt: string, action: string, resource: string) => {
    const a = await attempt(t, request, 403, jwt);
    expectDenialEntry(a, 'oidc:https://idp.test#alice-123', action, resource);
    expect(a.entry.requestId).toBe(a.res.headers['x-request-id']);
    forbidden.push(a.body);
  };

  it('a valid RS256 viewer JWT reads (200) but cannot push (403, denied on record)', async () => {
    // Unscoped only because its groups name the configured unscoped value.
    const jwt = await signJwt(rsa, claims, { warden_roles: ['viewer'], groups: ['all-teams'] });
    const read = await t.rawApp.inject(as(jwt, listModels));
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json().items.map((m: { name: string }) => m.name)).toEqual(['iris', 'nlp-bert']);
    await denied(evilPush(jwt), jwt, 'registry:version:push', 'model:iris');
  });

  it('alg: none, crafted by hand, claiming admin', async () => {
    const jwt = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ ...adminClaims, warden_roles: ['admin'] })}.`;
    await refused(as(jwt, createEvil), jwt, 'jwt_algorithm_not_allowed');
  });

  it('HS256 "signed" with the RSA public key (PEM) as the HMAC secret', async () => {
    const pem = await exportSPKI(rsa.pair.publicKey);
    const input = `${b64url({ alg: 'HS256', kid: rsa.kid })}.${b64url({ ...adminClaims, warden_roles: ['admin'] })}`;
    const jwt = `${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`;
    await refused(as(jwt, createEvil), jwt, 'jwt_algorithm_not_allowed');
  });

  it('a genuine signature over another issuer', async () => {
    const jwt = await signJwt(rsa, claims, { iss: 'https://evil.test', warden_roles: ['admin'] });
    await refused(evilPush(jwt), jwt, 'jwt_wrong_issuer');
  });

  it('a genuine signature for another audience', async () => {
    const jwt = await signJwt(rsa, claims, { aud: 'some-other-app', warden_roles: ['admin'] });
    await refused(as(jwt, createEvil), jwt, 'jwt_wrong_audience');
  });

  it('an expired JWT (beyond the clock tolerance)', async () => {
    const past = Math.floor(Date.now() / 1000) - 120;
    const jwt = await signJwt(rsa, claims, { exp: past, iat: past - 300, warden_roles: ['contributor'] });
    await refused(evilPush(jwt), jwt, 'jwt_expired');
  });

  it('a JWT signed by a key the JWKS does not publish', async () => {
    const jwt = await signJwt(rogue, claims, { warden_roles: ['admin'] });
    await refused(as(jwt, createEvil), jwt, 'jwt_unknown_key');
  });

  it("another key's signature under the published kid", async () => {
    const jwt = await signJwt({ ...rogue, kid: rsa.kid }, claims, { warden_roles: ['admin'] });
    await refused(as(jwt, createEvil), jwt, 'jwt_bad_signature');
  });

  it("a viewer JWT's payload rewritten to claim admin, the signature kept", async () => {
    const [header, , signature] = (await signJwt(rsa, claims, { warden_roles: ['viewer'] })).split('.');
    const jwt = `${header}.${b64url({ ...adminClaims, sub: 'alice-123', warden_roles: ['admin'] })}.${signature}`;
    await refused(as(jwt, createEvil), jwt, 'jwt_bad_signature');
  });

  it('a genuine JWT that names no Warden role is authenticated, then denied even reads', async () => {
    const jwt = await signJwt(rsa, claims, { warden_roles: ['root', 'superuser'], groups: ['all-teams'] });
    await denied(as(jwt, listModels), jwt, 'registry:model:list', 'registry');
    await denied(
      as(jwt, { method: 'GET', url: `${api}/models/iris` }),
      jwt,
      'registry:model:read',
      'model:iris',
    );
    await denied(
      as(jwt, { method: 'GET', url: `${api}/models/iris/versions/prod/files/model.bin` }),
      jwt,
      'registry:artifact:read',
      'version:iris@1',
    );
  });

  it("a genuine JWT from the vision team cannot reach the nlp team's model", async () => {
    const jwt = await signJwt(rsa, claims, { warden_roles: ['contributor'], groups: ['vision'] });
    const list = await t.rawApp.inject(as(jwt, listModels));
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items.map((m: { name: string }) => m.name)).not.toContain('nlp-bert');
    await denied(
      as(jwt, { method: 'GET', url: `${api}/models/nlp-bert` }),
      jwt,
      'registry:model:read',
      'model:nlp-bert',
    );
  });

  it('refusals of each kind share one body, and the chain is intact', async () => {
    expect(unauthorized).toHaveLength(8);
    expect(forbidden).toHaveLength(5);
    // The same 401 an anonymous request gets, so a JWT failure reads exactly like any other.
    const anonymous = await attempt(t, listModels, 401);
    expectAuthFailureEntry(anonymous, 'missing_credentials');
    expectSameBodies([anonymous.body, ...unauthorized]);
    expectSameBodies(forbidden);
    await expectIntactChain(t);
  });
});
