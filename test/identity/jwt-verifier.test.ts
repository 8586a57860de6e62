import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CompactSign,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  SignJWT,
} from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJwtVerifier, type JwtVerifierOptions } from '../../src/adapters/oidc/jwt-verifier.js';
import type { JwtVerifier } from '../../src/modules/identity/index.js';
import { AppError } from '../../src/platform/errors.js';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;
interface TestKey {
  kid: string;
  alg: string;
  pair: KeyPair;
  jwk: JWK;
}

const issuer = 'https://idp.test';
const audience = 'warden';

async function makeKey(alg: string, kid: string): Promise<TestKey> {
  const pair = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(pair.publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, pair, jwk };
}

/** A real JWKS endpoint on loopback; the test swaps the keys it publishes and counts fetches. */
function jwksServer() {
  let keys: JWK[] = [];
  let fetches = 0;
  const server = http.createServer((req, res) => {
    if (req.url !== '/jwks') {
      res.writeHead(404).end();
      return;
    }
    fetches++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
  });
  return {
    start: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () =>
          resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`),
        ),
      ),
    publish: (...k: TestKey[]) => {
      keys = k.map((x) => x.jwk);
    },
    fetches: () => fetches,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const inFive = () => Math.floor(Date.now() / 1000) + 300;

async function sign(key: TestKey, payload: JWTPayload = {}, header: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: issuer,
    aud: audience,
    sub: 'alice-123',
    iat: now,
    exp: now + 300,
    warden_roles: ['contributor'],
    ...payload,
  })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, ...header })
    .sign(key.pair.privateKey);
}

describe('JWT verifier (real JWKS on loopback)', () => {
  const idp = jwksServer();
  let jwksUrl: string;
  let rsa: TestKey;
  let ec: TestKey;
  let ed: TestKey;
  let stranger: TestKey;
  const verifier = (options: Partial<JwtVerifierOptions> = {}): JwtVerifier =>
    createJwtVerifier({ issuer, audience, jwksUrl, jwksCooldownSec: 0, ...options });

  beforeAll(async () => {
    jwksUrl = await idp.start();
    [rsa, ec, ed, stranger] = await Promise.all([
      makeKey('RS256', 'rsa-1'),
      makeKey('ES256', 'ec-1'),
      makeKey('EdDSA', 'ed-1'),
      makeKey('RS256', 'rogue'),
    ]);
  });
  afterAll(() => idp.stop());

  describe('accepts', () => {
    it('an RS256 token: the subject becomes a user, known role claim values become roles', async () => {
      idp.publish(rsa, ec);
      const jwt = await sign(rsa, {
        warden_roles: ['contributor', 'superuser'],
        preferred_username: 'alice',
      });
      expect(await verifier().verify(jwt)).toEqual({
        ok: true,
        principal: {
          id: `oidc:${issuer}#alice-123`,
          kind: 'user',
          name: 'alice',
          roles: ['contributor'],
          // No teams claim configured: no teams, and not unscoped (fails closed).
          teams: [],
          unscoped: false,
          via: { kind: 'oidc', issuer, subject: 'alice-123', jti: null },
        },
      });
    });

    it('an ES256 token with a dotted roles claim, a role map and a teams claim', async () => {
      idp.publish(rsa, ec);
      const v = verifier({
        rolesClaim: 'realm_access.roles',
        roleMap: { 'ml-admins': 'admin', 'ml-ops': 'deployer' },
        teamsClaim: 'groups',
      });
      const jwt = await sign(ec, {
        realm_access: { roles: ['ml-ops', 'ml-admins', 'offline_access'] },
        groups: ['vision', 'NotASlug', 'nlp', 'vision'],
        warden_roles: ['viewer'],
      });
      const result = await v.verify(jwt);
      expect(result.ok && result.principal).toMatchObject({
        name: 'alice-123',
        roles: ['deployer', 'admin'],
        teams: ['nlp', 'vision'],
      });
    });

    it('an EdDSA token, and a space-separated roles claim', async () => {
      idp.publish(ed);
      const result = await verifier({ rolesClaim: 'scope' }).verify(
        await sign(ed, { scope: 'openid viewer' }),
      );
      expect(result.ok && result.principal.roles).toEqual(['viewer']);
    });

    it('a token whose claims name no Warden role, with no roles (policy then denies)', async () => {
      idp.publish(rsa);
      const result = await verifier().verify(await sign(rsa, { warden_roles: ['root', '__proto__'] }));
      expect(result).toMatchObject({ ok: true, principal: { roles: [] } });
      const nested = await verifier({ rolesClaim: '__proto__.roles' }).verify(await sign(rsa));
      expect(nested).toMatchObject({ ok: true, principal: { roles: [] } });
    });

    it('a key rotated into the JWKS: the unknown kid triggers one refetch, then it verifies', async () => {
      const rotated = await makeKey('RS256', 'rsa-2');
      idp.publish(rsa);
      const v = verifier();
      expect((await v.verify(await sign(rsa))).ok).toBe(true);
      const before = idp.fetches();
      idp.publish(rsa, rotated);
      expect((await v.verify(await sign(rotated))).ok).toBe(true);
      expect(idp.fetches()).toBe(before + 1);
      expect((await v.verify(await sign(rotated))).ok).toBe(true);
      expect(idp.fetches()).toBe(before + 1);
    });
  });

  describe('rejects', () => {
    const reasonOf = async (jwt: string, v: JwtVerifier = verifier()) => {
      const result = await v.verify(jwt);
      return result.ok ? 'accepted' : result.reason;
    };

    it('alg: none (unsigned, crafted by hand)', async () => {
      idp.publish(rsa);
      const payload = { sub: 'alice', iss: issuer, aud: audience, exp: inFive(), warden_roles: ['admin'] };
      expect(await reasonOf(`${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(payload)}.`)).toBe(
        'jwt_algorithm_not_allowed',
      );
      expect(await reasonOf(`${b64url({ alg: 'none', kid: rsa.kid })}.${b64url(payload)}.`)).toBe(
        'jwt_algorithm_not_allowed',
      );
    });

    it('HS256 signed with the RSA public key (PEM) as the HMAC secret', async () => {
      idp.publish(rsa);
      const pem = await exportSPKI(rsa.pair.publicKey);
      const payload = { sub: 'alice', iss: issuer, aud: audience, exp: inFive(), warden_roles: ['admin'] };
      const input = `${b64url({ alg: 'HS256', kid: rsa.kid })}.${b64url(payload)}`;
      for (const secret of [pem, pem.trim(), JSON.stringify(rsa.jwk)]) {
        const mac = createHmac('sha256', secret).update(input).digest('base64url');
        expect(await reasonOf(`${input}.${mac}`)).toBe('jwt_algorithm_not_allowed');
      }
    });

    it('a token from another issuer', async () => {
      idp.publish(rsa);
      const jwt = await new SignJWT({ warden_roles: ['admin'] })
        .setProtectedHeader({ alg: 'RS256', kid: rsa.kid })
        .setIssuer('https://evil.test')
        .setAudience(audience)
        .setSubject('alice')
        .setExpirationTime('5m')
        .sign(rsa.pair.privateKey);
      expect(await reasonOf(jwt)).toBe('jwt_wrong_issuer');
    });

    it('a token for another audience', async () => {
      idp.publish(rsa);
      expect(await reasonOf(await sign(rsa, { aud: 'some-other-app' }))).toBe('jwt_wrong_audience');
    });

    it('an expired token (beyond the clock tolerance)', async () => {
      idp.publish(rsa);
      const past = Math.floor(Date.now() / 1000) - 120;
      expect(await reasonOf(await sign(rsa, { exp: past, iat: past - 300 }))).toBe('jwt_expired');
    });

    it('a token not valid yet (nbf in the future)', async () => {
      idp.publish(rsa);
      expect(await reasonOf(await sign(rsa, { nbf: inFive() - 60 }))).toBe('jwt_not_yet_valid');
    });

    it('a token without exp, or without sub', async () => {
      idp.publish(rsa);
      const noExp = await new SignJWT({ warden_roles: ['admin'] })
        .setProtectedHeader({ alg: 'RS256', kid: rsa.kid })
        .setIssuer(issuer)
        .setAudience(audience)
        .setSubject('alice')
        .sign(rsa.pair.privateKey);
      expect(await reasonOf(noExp)).toBe('jwt_missing_claim');
      const noSub = await new SignJWT({ warden_roles: ['admin'] })
        .setProtectedHeader({ alg: 'RS256', kid: rsa.kid })
        .setIssuer(issuer)
        .setAudience(audience)
        .setExpirationTime('5m')
        .sign(rsa.pair.privateKey);
      expect(await reasonOf(noSub)).toBe('jwt_missing_claim');
    });

    it('a token signed by a key the JWKS does not hold (unknown kid): refetched once, still refused', async () => {
      idp.publish(rsa);
      const v = verifier();
      expect((await v.verify(await sign(rsa))).ok).toBe(true);
      const before = idp.fetches();
      expect(await reasonOf(await sign(stranger), v)).toBe('jwt_unknown_key');
      expect(idp.fetches()).toBe(before + 1);
    });

    it('unknown kids do not make the server hammer the JWKS: at most one refetch per cooldown', async () => {
      idp.publish(rsa);
      const v = createJwtVerifier({ issuer, audience, jwksUrl });
      expect((await v.verify(await sign(rsa))).ok).toBe(true);
      const before = idp.fetches();
      for (let i = 0; i < 5; i++) expect(await reasonOf(await sign(stranger), v)).toBe('jwt_unknown_key');
      expect(idp.fetches()).toBe(before);
    });

    it('a token signed by another key under a known kid, or with its payload altered', async () => {
      idp.publish(rsa);
      expect(await reasonOf(await sign({ ...stranger, kid: rsa.kid }))).toBe('jwt_bad_signature');
      const [h, , s] = (await sign(rsa)).split('.');
      const forged = b64url({
        sub: 'alice',
        iss: issuer,
        aud: audience,
        exp: inFive(),
        warden_roles: ['admin'],
      });
      expect(await reasonOf(`${h}.${forged}.${s}`)).toBe('jwt_bad_signature');
    });

    it('an algorithm outside the configured list, even with a valid signature', async () => {
      idp.publish(rsa, ec);
      expect(await reasonOf(await sign(ec), verifier({ algorithms: ['RS256'] }))).toBe(
        'jwt_algorithm_not_allowed',
      );
    });

    it('garbage in the shape of a JWT, and a signed payload that is not a claims set', async () => {
      idp.publish(rsa);
      expect(await reasonOf('abc.def.ghi')).toBe('jwt_malformed');
      // The signature is checked before the payload is even parsed.
      expect(await reasonOf(`${b64url({ alg: 'RS256', kid: rsa.kid })}.bm90IGpzb24.c2ln`)).toBe(
        'jwt_bad_signature',
      );
      const notClaims = await new CompactSign(new TextEncoder().encode('not json'))
        .setProtectedHeader({ alg: 'RS256', kid: rsa.kid })
        .sign(rsa.pair.privateKey);
      expect(await reasonOf(notClaims)).toBe('jwt_malformed');
    });

    it('anything while the JWKS cannot be fetched', async () => {
      const v = createJwtVerifier({ issuer, audience, jwksUrl: jwksUrl.replace('/jwks', '/missing') });
      expect(await reasonOf(await sign(rsa), v)).toBe('jwks_unavailable');
      const closed = createJwtVerifier({ issuer, audience, jwksUrl: 'http://127.0.0.1:1/jwks' });
      expect(await reasonOf(await sign(rsa), closed)).toBe('jwks_unavailable');
    });
  });

  describe('configuration', () => {
    const refusal = (options: Partial<JwtVerifierOptions>) => {
      try {
        createJwtVerifier({ issuer, audience, jwksUrl, ...options });
      } catch (err) {
        return err instanceof AppError ? `${err.code}: ${err.message}` : String(err);
      }
      return 'accepted';
    };

    it.each([[['HS256']], [['none']], [['RS256', 'HS512']], [['NONE']], [['RS1']], [[]]])(
      'refuses algorithms %j at construction',
      (algorithms) => {
        expect(refusal({ algorithms })).toMatch(/^oidc_config_invalid: /);
      },
    );

    it.each([
      ['http://idp.example/jwks', /https/],
      ['http://10.0.0.1/jwks', /https/],
      ['file:///etc/jwks.json', /https/],
      ['https://user:pw@idp.example/jwks', /credentials/],
      ['not a url', /not a URL/],
    ])('refuses the JWKS URL %s', (url, why) => {
      expect(refusal({ jwksUrl: url })).toMatch(why);
    });

    it('refuses requireTeams without a teams claim, and an unscoped team value that is no team name', () => {
      expect(refusal({ requireTeams: true })).toMatch(/requireTeams needs teamsClaim/);
      expect(refusal({ teamsClaim: 'groups', unscopedTeam: 'All Teams' })).toMatch(/unscopedTeam/);
      expect(refusal({ teamsClaim: 'groups', requireTeams: true, unscopedTeam: 'all-teams' })).toBe(
        'accepted',
      );
    });

    it('allows https anywhere and plain http on loopback', () => {
      expect(refusal({ jwksUrl: 'https://idp.example/.well-known/jwks.json' })).toBe('accepted');
      expect(refusal({ jwksUrl: 'http://localhost:8081/jwks' })).toBe('accepted');
      expect(refusal({ jwksUrl: 'http://[::1]:8081/jwks' })).toBe('accepted');
    });

    it('refuses a role map onto something that is not a Warden role, and an empty issuer or audience', () => {
      expect(refusal({ roleMap: { admins: 'root' } })).toMatch(/not a Warden role/);
      expect(refusal({ issuer: '' })).toMatch(/issuer/);
      expect(refusal({ audience: [] })).toMatch(/audience/);
      expect(refusal({ rolesClaim: 'a..b' })).toMatch(/rolesClaim/);
    });
  });
});
