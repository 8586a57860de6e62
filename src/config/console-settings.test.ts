import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConfigProblem, configInvalid, loadConfig } from './load-config.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'warden-console-config-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const oidc = { issuer: 'https://idp.example', audience: 'warden', jwksUrl: 'https://idp.example/jwks' };
const consoleOidc = {
  'console.oidc.clientId': 'warden-console',
  'console.oidc.redirectUri': 'https://warden.example/api/v1/session/oidc/callback',
};
const secret = 's3cr3t-client-secret-value';

function problemsOf(load: () => unknown): ConfigProblem[] {
  try {
    load();
  } catch (err) {
    if (configInvalid.is(err)) return (err.details as { problems: ConfigProblem[] }).problems;
    throw err;
  }
  throw new Error('expected config_invalid');
}

describe('console settings', () => {
  it('defaults to 30 idle minutes, 12 hours, and no OIDC sign-in', () => {
    expect(loadConfig({ env: {} }).console).toEqual({
      session: { idleMinutes: 30, absoluteHours: 12 },
      oidc: null,
    });
  });

  it('reads every setting from WARDEN_* variables, the secret as a Secret that never prints', () => {
    const config = loadConfig({
      env: {
        WARDEN_OIDC_ISSUER: oidc.issuer,
        WARDEN_OIDC_AUDIENCE: oidc.audience,
        WARDEN_OIDC_JWKS_URL: oidc.jwksUrl,
        WARDEN_CONSOLE_SESSION_IDLE_MINUTES: '15',
        WARDEN_CONSOLE_SESSION_ABSOLUTE_HOURS: '8',
        WARDEN_CONSOLE_OIDC_CLIENT_ID: 'warden-console',
        WARDEN_CONSOLE_OIDC_CLIENT_SECRET: secret,
        WARDEN_CONSOLE_OIDC_REDIRECT_URI: 'http://127.0.0.1:8080/api/v1/session/oidc/callback',
        WARDEN_CONSOLE_OIDC_SCOPES: 'openid,profile,groups',
      },
    });
    expect(config.console.session).toEqual({ idleMinutes: 15, absoluteHours: 8 });
    expect(config.console.oidc).toMatchObject({
      clientId: 'warden-console',
      redirectUri: 'http://127.0.0.1:8080/api/v1/session/oidc/callback',
      scopes: ['openid', 'profile', 'groups'],
    });
    expect(config.console.oidc?.clientSecret?.reveal()).toBe(secret);
    for (const shown of [
      JSON.stringify(config),
      inspect(config, { depth: null }),
      String(config.console.oidc?.clientSecret),
    ])
      expect(shown).not.toContain(secret);
  });

  it('reads the secret from a file, and defaults the scopes', () => {
    const file = path.join(dir, 'secret');
    writeFileSync(file, `${secret}\n`);
    const config = loadConfig({
      env: {},
      flags: { oidc, ...consoleOidc, 'console.oidc.clientSecretFile': file },
    });
    expect(config.console.oidc?.clientSecret?.reveal()).toBe(secret);
    expect(config.console.oidc?.scopes).toEqual(['openid', 'profile', 'email']);
  });

  it('takes no secret at all: a public client', () => {
    expect(loadConfig({ env: {}, flags: { oidc, ...consoleOidc } }).console.oidc?.clientSecret).toBeNull();
  });

  it('refuses the secret written in the config file or given as a flag, without showing it', () => {
    const file = path.join(dir, 'config.json');
    writeFileSync(
      file,
      JSON.stringify({
        oidc,
        console: {
          oidc: { clientId: 'c', redirectUri: consoleOidc['console.oidc.redirectUri'], clientSecret: secret },
        },
      }),
    );
    const fromFile = problemsOf(() => loadConfig({ env: {}, file }));
    expect(fromFile).toEqual([
      expect.objectContaining({
        key: 'console.oidc.clientSecret',
        message: expect.stringMatching(/only from WARDEN_CONSOLE_OIDC_CLIENT_SECRET/),
      }),
    ]);
    expect(JSON.stringify(fromFile)).not.toContain(secret);
    const fromFlag = problemsOf(() =>
      loadConfig({ env: {}, flags: { oidc, ...consoleOidc, 'console.oidc.clientSecret': secret } }),
    );
    expect(fromFlag.map((p) => p.key)).toEqual(['console.oidc.clientSecret']);
  });

  it('refuses console.oidc without oidc, a secret given twice, an unreadable file, a bad redirect URI, scopes without openid', () => {
    const problems = problemsOf(() =>
      loadConfig({
        env: { WARDEN_CONSOLE_OIDC_CLIENT_SECRET: secret },
        flags: {
          ...consoleOidc,
          'console.oidc.redirectUri': 'http://warden.example/callback',
          'console.oidc.clientSecretFile': path.join(dir, 'missing'),
          'console.oidc.scopes': ['profile'],
          'console.session.idleMinutes': 1000,
        },
      }),
    );
    expect(problems.map((p) => `${p.key}: ${p.message}`)).toEqual([
      'console.session.idleMinutes: is longer than console.session.absoluteHours',
      'console.oidc: needs `oidc` (issuer, audience, jwksUrl): the console signs in with that issuer',
      'console.oidc.scopes: must include openid',
      'console.oidc.redirectUri: must use https (plain http only on a loopback address)',
      'console.oidc.clientSecretFile: and WARDEN_CONSOLE_OIDC_CLIENT_SECRET are both set; give one',
    ]);
    const unreadable = problemsOf(() =>
      loadConfig({
        env: {},
        flags: { oidc, ...consoleOidc, 'console.oidc.clientSecretFile': path.join(dir, 'missing') },
      }),
    );
    expect(unreadable.map((p) => p.message)).toEqual([
      expect.stringMatching(/cannot be read \(not found\)$/),
    ]);
  });

  it('refuses console.oidc without its redirect URI', () => {
    const problems = problemsOf(() =>
      loadConfig({ env: {}, flags: { oidc, 'console.oidc.clientId': 'warden-console' } }),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({ key: 'console.oidc', message: expect.stringMatching(/redirectUri/) }),
    );
  });
});
