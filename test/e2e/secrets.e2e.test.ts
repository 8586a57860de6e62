import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { modesUnder } from '../fixtures/file-modes.js';
import { type CliResult, cleanup, startServer, stopGracefully, tempDir, warden } from './helpers.js';

afterAll(cleanup);

/** Every 12-character stretch of a secret: output holding any of them holds too much of it. */
const windowsOf = (secret: string, width = 12): string[] =>
  secret.length <= width
    ? [secret]
    : Array.from({ length: secret.length - width + 1 }, (_, i) => secret.slice(i, i + width));

/** The part of a Warden token that is secret: its id (`wdn_<id>_`) is public (token list, audit). */
const secretOfToken = (token: string) => token.slice(token.lastIndexOf('_') + 1);

/** PEM body without armour or line breaks. */
const pemBody = (pem: string) => pem.replace(/-----[A-Z ]+-----|\s/g, '');

describe('warden serve and the CLI never print a secret outside the one place meant for it', () => {
  it('first start under umask 000, tokens, push, pull, refused credentials, CLI errors', async () => {
    const work = tempDir('warden-e2e-secrets-');
    const dataDir = path.join(work, 'data');
    const home = path.join(work, 'home');
    // The real binary under the most permissive umask a shell can set.
    const { proc: server, url } = await startServer({
      dataDir,
      umask: '000',
      args: ['--log-level', 'debug'],
      env: { HOME: home },
    });
    const adminToken = readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();

    // Everything the CLI prints, by command, and the outputs where a secret is meant to appear.
    const outputs: { what: string; result: CliResult }[] = [];
    const cli = async (
      what: string,
      args: string[],
      token: string | null,
      env: Record<string, string> = {},
    ) => {
      const result = await warden(args, {
        url,
        anonymous: true,
        env: {
          HOME: home,
          XDG_CONFIG_HOME: path.join(home, '.config'),
          ...(token ? { WARDEN_TOKEN: token } : {}),
          ...env,
        },
      });
      outputs.push({ what, result });
      return result;
    };

    const created = await cli(
      'token create',
      ['token', 'create', '--name', 'ci', '--role', 'contributor', '--json'],
      adminToken,
    );
    expect(created.code, created.stderr).toBe(0);
    const ciToken = JSON.parse(created.stdout).token as string;
    expect((await cli('model create', ['model', 'create', 'iris'], adminToken)).code).toBe(0);
    const weights = path.join(work, 'weights.bin');
    writeFileSync(weights, 'w'.repeat(10_000));
    const pushed = await cli('push', ['model', 'push', weights, '--model', 'iris'], ciToken);
    expect(pushed.code, pushed.stderr).toBe(0);
    const pulled = await cli('pull', ['model', 'pull', 'iris@1', '--out', path.join(work, 'out')], ciToken);
    expect(pulled.code, pulled.stderr).toBe(0);

    const wrongToken = `${ciToken.slice(0, ciToken.lastIndexOf('_') + 1)}${'Z'.repeat(secretOfToken(ciToken).length)}`;
    const refused = await cli('wrong token', ['model', 'list'], wrongToken);
    expect(refused.code).toBe(6);
    const login = await cli('login, wrong token', ['login', '--url', url, '--token', wrongToken], null);
    expect(login.code).not.toBe(0);
    const loggedIn = await cli('login', ['login', '--url', url, '--token', ciToken], null);
    expect(loggedIn.code, loggedIn.stderr).toBe(0);
    const password = 'hunter2-correct-horse';
    const unreachable = await cli(
      'unreachable URL with user-info',
      ['model', 'list', '--url', `http://ops:${password}@127.0.0.1:1`],
      ciToken,
    );
    expect(unreachable.code).toBe(8);
    expect(unreachable.stderr).toContain('http://127.0.0.1:1');
    const keygen = await cli('keygen', ['keygen', '--out', path.join(work, 'signing')], null);
    expect(keygen.code, keygen.stderr).toBe(0);

    // A token in the query string is refused before it is tried, and the answer does not echo it.
    const inQuery = await fetch(`${url}/api/v1/models?access_token=${ciToken}`);
    expect(inQuery.status).toBe(400);
    expect(inQuery.headers.get('content-type')).toContain('application/problem+json');
    const problem = await inQuery.text();
    expect(JSON.parse(problem).code).toBe('credentials_in_query');
    expect(problem).not.toContain(secretOfToken(ciToken));
    const basic = await fetch(`${url}/api/v1/models`, {
      headers: { authorization: `Basic ${Buffer.from(`ops:${password}`).toString('base64')}` },
    });
    expect(basic.status).toBe(401);

    // While it runs (WAL and shared-memory files open), everything in the data directory is private.
    const open = Object.entries(modesUnder(dataDir)).filter(([, mode]) => mode !== '0700' && mode !== '0600');
    expect(open).toEqual([]);
    expect(modesUnder(dataDir)).toMatchObject({
      '.': '0700',
      'warden.db-wal': '0600',
      'warden.db-shm': '0600',
    });

    await stopGracefully(server);

    const keyring = JSON.parse(readFileSync(path.join(dataDir, 'keys', 'master-keys.json'), 'utf8')) as {
      keys: { key?: string }[];
    };
    const secrets: [string, string][] = [
      ['bootstrap admin token', secretOfToken(adminToken)],
      ['issued token', secretOfToken(ciToken)],
      ['wrong token', secretOfToken(wrongToken)],
      ['password in a URL or basic credential', password],
      ['audit signing key', pemBody(readFileSync(path.join(dataDir, 'audit-ed25519.pem'), 'utf8'))],
      ['signing private key', pemBody(readFileSync(path.join(work, 'signing.pem'), 'utf8'))],
      ...keyring.keys.flatMap((k, i): [string, string][] => (k.key ? [[`keyring key ${i}`, k.key]] : [])),
    ];

    // The one intended place for the bootstrap token: the first start's stdout, once; the issued token:
    // `token create`'s stdout. They are cut out, and nothing else anywhere may hold any secret.
    const serverOut = server.stdout();
    expect(serverOut.split(adminToken).length - 1).toBe(1);
    const texts: [string, string][] = [
      ['server stdout', serverOut.replace(adminToken, '<the bootstrap token, shown once>')],
      ['server stderr (logs)', server.stderr()],
      ...outputs.flatMap(({ what, result }): [string, string][] => [
        [
          `${what} stdout`,
          what === 'token create' ? result.stdout.replace(ciToken, '<issued>') : result.stdout,
        ],
        [`${what} stderr`, result.stderr],
      ]),
    ];
    // The logs really were written (debug level, every request), so the check is not vacuous.
    expect(server.stderr()).toContain('incoming request');
    expect(server.stderr()).toContain('access_token=[redacted]');

    const leaks: string[] = [];
    for (const [what, secret] of secrets) {
      for (const [where, text] of texts) {
        const piece = windowsOf(secret).find((w) => text.includes(w));
        if (piece) leaks.push(`${what} in ${where}: …${piece}…`);
      }
    }
    expect(leaks).toEqual([]);
  }, 180_000);
});
