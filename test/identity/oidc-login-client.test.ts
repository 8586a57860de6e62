import { describe, expect, it } from 'vitest';
import { claimMappingOf } from '../../src/adapters/oidc/claims-principal.js';
import { createOidcLoginClient } from '../../src/adapters/oidc/oidc-login-client.js';
import { createTestApp } from '../fixtures/test-app.js';
import { api } from './console-session-helpers.js';

const logger = { warn: () => undefined, error: () => undefined };
const client = (issuer: string) =>
  createOidcLoginClient(
    {
      issuer,
      clientId: 'warden-console',
      clientSecret: null,
      redirectUri: 'https://warden.example/api/v1/session/oidc/callback',
      scopes: ['openid'],
      mapping: claimMappingOf({ issuer }),
    },
    { logger },
  );

describe('the console OIDC relying party', () => {
  it('takes an https issuer, and plain http only on a loopback address', () => {
    expect(() => client('https://idp.example')).not.toThrow();
    for (const issuer of ['http://127.0.0.1:9000', 'http://localhost:9000', 'http://[::1]:9000'])
      expect(() => client(issuer)).not.toThrow();
    for (const issuer of ['http://idp.example', 'http://10.0.0.5', 'ftp://idp.example', 'not a url'])
      expect(() => client(issuer), issuer).toThrow(/oidc configuration is invalid/i);
  });

  it('sends the browser back to sign-in (oidc_unavailable) when the issuer cannot be reached, and writes nothing', async () => {
    const issuer = 'http://127.0.0.1:1';
    const t = await createTestApp({
      oidc: { issuer, audience: 'warden', jwksUrl: `${issuer}/jwks` },
      settings: {
        'console.oidc.clientId': 'warden-console',
        'console.oidc.redirectUri': 'http://127.0.0.1:8080/api/v1/session/oidc/callback',
      },
    });
    try {
      expect((await t.rawApp.inject({ url: `${api}/session/oidc` })).json()).toEqual({ enabled: true });
      const res = await t.rawApp.inject({ url: `${api}/session/oidc/login` });
      expect([res.statusCode, res.headers.location]).toEqual([303, '/sign-in?error=oidc_unavailable']);
      expect(res.headers['set-cookie']).toBeUndefined();
    } finally {
      await t.close();
    }
  });
});
