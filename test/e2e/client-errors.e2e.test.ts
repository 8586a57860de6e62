import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, type RunningWarden, startServer, tempDir, warden } from './helpers.js';

// What a newcomer sees when the server address or the token is wrong: the CLI names the mistake rather
// than "cannot reach the server" or a vague "authentication required". Driven through the real binary.

/** A HOME with no saved login, so only what the test passes is used. */
const freshHome = () => {
  const home = tempDir('warden-e2e-home-');
  return { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') };
};

describe('CLI: a server URL without a scheme', { timeout: 60_000 }, () => {
  afterAll(cleanup);

  it.each([
    ['--url', 'localhost:8080'],
    ['--url', '127.0.0.1:8080'],
    ['WARDEN_URL', '127.0.0.1:8080'],
    ['WARDEN_URL', 'warden.internal'],
  ])('%s %s is reported as such, not as unreachable', async (where, value) => {
    const env = {
      ...freshHome(),
      WARDEN_TOKEN: 'wdn_whatever',
      ...(where === 'WARDEN_URL' ? { WARDEN_URL: value } : {}),
    };
    const args = ['model', 'list', ...(where === '--url' ? ['--url', value] : [])];
    const result = await warden(args, { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`The server URL "${value}" has no scheme`);
    expect(result.stderr).toContain(`add http:// or https://, e.g. http://${value}`);
    expect(result.stderr).toContain('server_url_invalid');
    expect(result.stderr).not.toMatch(/reach|unreachable/i);
  });

  it('names another scheme, and login refuses before warning about plain http', async () => {
    const other = await warden(['model', 'list', '--url', 'ftp://127.0.0.1:8080'], {
      env: { ...freshHome(), WARDEN_TOKEN: 'wdn_whatever' },
    });
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('uses ftp:// where Warden speaks http:// or https://');

    const env = freshHome();
    const login = await warden(['login', '--url', 'localhost:8080', '--token', 'wdn_whatever'], { env });
    expect(login.code).toBe(2);
    expect(login.stderr).toContain('has no scheme');
    expect(login.stderr).not.toContain('warning');
    expect(existsSync(path.join(env.XDG_CONFIG_HOME, 'warden', 'credentials.json'))).toBe(false);
  });
});

describe('CLI: a token the server refuses', { timeout: 60_000 }, () => {
  let server: RunningWarden;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
    await cleanup();
  });

  it('says the server refused the token, and where the token came from', async () => {
    const bogus = `wdn_${'a'.repeat(12)}_${'b'.repeat(43)}`;
    const fromEnv = await warden(['model', 'list'], {
      url: server.url,
      env: { ...freshHome(), WARDEN_TOKEN: bogus },
    });
    expect(fromEnv.code).toBe(6);
    expect(fromEnv.stderr).toContain(
      `The server at ${server.url} refused the token from WARDEN_TOKEN (HTTP 401)`,
    );
    expect(fromEnv.stderr).toContain('code: unauthenticated');
    expect(fromEnv.stderr).not.toContain(bogus);

    const fromFlag = await warden(['model', 'list', '--token', 'not-a-token'], {
      url: server.url,
      anonymous: true,
      env: freshHome(),
    });
    expect(fromFlag.code).toBe(6);
    expect(fromFlag.stderr).toContain('refused the token from --token (HTTP 401)');
  });

  it('says no token was given when none was', async () => {
    const result = await warden(['model', 'list'], { url: server.url, anonymous: true, env: freshHome() });
    expect(result.code).toBe(6);
    expect(result.stderr).toContain('needs a token and none was given (HTTP 401)');
    expect(result.stderr).toContain('warden login');
  });

  it('login with a refused token says so and saves nothing', async () => {
    const env = freshHome();
    const result = await warden(['login', '--url', server.url, '--token', 'wdn_refused'], { env });
    expect(result.code).toBe(6);
    expect(result.stderr).toContain('refused the token from --token');
    expect(existsSync(path.join(env.XDG_CONFIG_HOME, 'warden', 'credentials.json'))).toBe(false);
  });
});
