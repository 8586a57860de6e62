import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { postgresFactory } from '../fixtures/databases.js';
import {
  childEnv,
  cleanup,
  fileRootDigest,
  repoRoot,
  spawnTracked,
  startServer,
  stopGracefully,
  tempDir,
  waitForListening,
  warden,
  wardenBin,
  wardenJson,
} from './helpers.js';

const irisOnnx = path.join(repoRoot, 'examples', 'iris', 'model', 'iris.onnx');
const postgresUrl = process.env.WARDEN_TEST_POSTGRES_URL ?? '';

/** Runs `warden serve ARGS` that is expected to exit on its own, and returns how it ended. */
async function serveExits(args: string[], env: Record<string, string> = {}) {
  const proc = spawnTracked(process.execPath, [wardenBin, 'serve', ...args], {
    cwd: tempDir(),
    env: childEnv(env),
  });
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`warden serve kept running:\n${proc.stdout()}`)), 20_000).unref(),
  );
  const { code } = await Promise.race([proc.exited, timeout]);
  return { code, stdout: proc.stdout(), stderr: proc.stderr() };
}

const appliedMigrations = (dataDir: string): string[] => {
  const db = new Database(path.join(dataDir, 'warden.db'), { readonly: true });
  try {
    return db
      .prepare('select name from kysely_migration order by name')
      .all()
      .map((r) => (r as { name: string }).name);
  } finally {
    db.close();
  }
};

describe('warden serve, as a process', { timeout: 60_000 }, () => {
  afterEach(cleanup);

  it('creates one admin token on first start: shown once, saved 0600, never again; no anonymous access', async () => {
    const dataDir = tempDir();
    const first = await startServer({ dataDir });
    const tokenFile = path.join(dataDir, 'admin-token');
    const token = readFileSync(tokenFile, 'utf8').trim();
    expect(token).toMatch(/^wdn_[0-9A-Za-z]{12}_[0-9A-Za-z]{43}$/);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(first.proc.stdout()).toContain(token);
    const anonymous = await warden(['model', 'list'], { url: first.url, anonymous: true });
    expect(anonymous.code).toBe(6);
    expect(anonymous.stderr).toContain('unauthenticated');
    expect((await warden(['model', 'list'], { url: first.url })).code).toBe(0);
    await first.stop();

    const again = await startServer({ dataDir });
    expect(again.proc.stdout()).not.toContain('wdn_');
    expect(again.proc.stdout()).not.toContain('First start');
    await again.stop();
  });

  it('reports every bad setting at once and exits 2', async () => {
    const result = await serveExits(['--data-dir', tempDir()], { WARDEN_PORT: 'abc', WARDEN_FOO: '1' });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('config_invalid');
    expect(result.stderr).toContain('WARDEN_PORT');
    expect(result.stderr).toContain('WARDEN_FOO');
    expect(result.stdout).not.toContain('listening');
  });

  it('keeps its data in ./warden-data under the working directory by default', async () => {
    const cwd = tempDir();
    const proc = spawnTracked(process.execPath, [wardenBin, 'serve', '--port', '0', '--log-level', 'warn'], {
      cwd,
      env: childEnv(),
    });
    const { url, dataDir } = await waitForListening(proc);
    const expected = path.join(realpathSync(cwd), 'warden-data');
    expect(realpathSync(dataDir)).toBe(expected);
    expect(existsSync(path.join(expected, 'warden.db'))).toBe(true);
    const token = readFileSync(path.join(expected, 'admin-token'), 'utf8').trim();
    expect((await warden(['model', 'create', 'here'], { url, cwd, env: { WARDEN_TOKEN: token } })).code).toBe(
      0,
    );
    await stopGracefully(proc);
  });

  it('answers /healthz and /readyz over HTTP', async () => {
    const server = await startServer();
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    expect((await warden(['model', 'create', 'ready'], { url: server.url })).code).toBe(0);
    expect((await warden(['model', 'push', irisOnnx, '--model', 'ready'], { url: server.url })).code).toBe(0);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', artifacts: 'ok' } });
    await server.stop();
  });

  it('closes cleanly on SIGTERM, a second SIGTERM during the close included', async () => {
    const server = await startServer();
    const pid = server.proc.child.pid as number;
    process.kill(pid, 'SIGTERM');
    process.kill(pid, 'SIGTERM');
    const { code, signal } = await server.proc.exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
  });

  it('ends cleanly when SIGTERM arrives while it starts', async () => {
    const proc = spawnTracked(
      process.execPath,
      [wardenBin, 'serve', '--port', '0', '--data-dir', tempDir(), '--log-level', 'debug'],
      { env: childEnv() },
    );
    // The policies are loaded first thing in the start, before the database and the listening socket.
    const deadline = Date.now() + 20_000;
    while (!proc.stderr().includes('authorization policies loaded') && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 5));
    expect(proc.stdout()).not.toContain('listening');
    process.kill(proc.child.pid as number, 'SIGTERM');
    const { code, signal } = await proc.exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
  });

  it('is ready on a fresh data directory, before the first push', async () => {
    const server = await startServer();
    try {
      const ready = await fetch(`${server.url}/readyz`);
      expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', artifacts: 'ok' } });
      expect(ready.status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it('keeps models across a restart, and migrating again changes nothing', async () => {
    const dataDir = tempDir();
    const first = await startServer({ dataDir, args: ['--log-level', 'info'] });
    expect((await warden(['model', 'create', 'kept'], { url: first.url })).code).toBe(0);
    const pushed = await wardenJson<{ digest: string }>(['model', 'push', irisOnnx, '--model', 'kept'], {
      url: first.url,
    });
    await first.stop();
    // Read after the exit: stderr and stdout are separate pipes, so only then is all of stderr in.
    expect(first.proc.stderr()).toContain('database migrated');
    const migrations = appliedMigrations(dataDir);
    expect(migrations.length).toBeGreaterThan(0);

    const second = await startServer({ dataDir, args: ['--log-level', 'info'] });
    const shown = await wardenJson<{ name: string; versions: { number: number; digest: string }[] }>(
      ['model', 'show', 'kept'],
      { url: second.url },
    );
    expect(shown.versions).toEqual([expect.objectContaining({ number: 1, digest: pushed.digest })]);
    const cwd = tempDir();
    const pulled = await warden(['model', 'pull', 'kept@1', '--out', 'out'], { url: second.url, cwd });
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(readFileSync(path.join(cwd, 'out', 'iris.onnx'))).toEqual(readFileSync(irisOnnx));
    await second.stop();
    expect(second.proc.stderr()).toContain('warden is listening');
    expect(second.proc.stderr()).not.toContain('database migrated');
    expect(appliedMigrations(dataDir)).toEqual(migrations);
  });

  describe.runIf(postgresUrl)('on PostgreSQL (WARDEN_TEST_POSTGRES_URL)', () => {
    it('creates, pushes and pulls with no SQLite file in the data directory', async () => {
      const db = await postgresFactory(postgresUrl).create();
      try {
        const server = await startServer({
          dataDir: db.dataDir,
          args: ['--database-url', db.databaseUrl as string],
        });
        const cwd = tempDir();
        const run = (args: string[]) => warden(args, { url: server.url, cwd });
        expect((await run(['model', 'create', 'pg-iris'])).code).toBe(0);
        const pushed = await wardenJson<{ number: number; digest: string }>(
          ['model', 'push', irisOnnx, '--model', 'pg-iris'],
          { url: server.url, cwd },
        );
        expect(pushed).toMatchObject({ number: 1, digest: `sha256:${fileRootDigest(irisOnnx)}` });
        const pulled = await run(['model', 'pull', 'pg-iris@1', '--out', 'out']);
        expect(pulled.code, pulled.stderr).toBe(0);
        expect(readFileSync(path.join(cwd, 'out', 'iris.onnx'))).toEqual(readFileSync(irisOnnx));
        const ready = await fetch(`${server.url}/readyz`);
        expect(ready.status).toBe(200);
        await server.stop();

        expect(readdirSync(db.dataDir)).not.toContain('warden.db');
        expect(existsSync(path.join(db.dataDir, 'blobs', 'sha256'))).toBe(true);
      } finally {
        await db.cleanup();
      }
    });
  });
});
