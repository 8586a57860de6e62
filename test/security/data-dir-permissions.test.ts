import { chmodSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { createContainer } from '../../src/container.js';
import { buildApp } from '../../src/http/build-app.js';
import { createLogger } from '../../src/platform/logger.js';
import { modesUnder } from '../fixtures/file-modes.js';
import { multipartBody } from '../fixtures/test-app.js';

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'warden-perms-'));
  temps.push(dir);
  return dir;
};

async function start(dataDir: string, extra: Record<string, unknown> = {}, logTo?: PassThrough) {
  const config = loadConfig({ env: {}, flags: { dataDir, logLevel: 'silent', port: 0, ...extra } });
  const logger = logTo
    ? createLogger({ level: 'warn', destination: logTo })
    : createLogger({ level: 'silent' });
  return createContainer(config, logger);
}

const refusal = async (promise: Promise<unknown>) => {
  const err = await promise.then(
    () => null,
    (e: unknown) => e as { code?: string; message: string },
  );
  expect(err?.code).toBe('data_dir_insecure');
  return err?.message ?? '';
};

describe('the data directory is private whatever the umask', () => {
  it.each([
    ['000', 0o000],
    ['022', 0o022],
    ['002', 0o002],
  ])(
    'under umask %s: the folder and everything in it is 0700 / 0600 after a start and a push',
    async (_label, umask) => {
      const dataDir = path.join(tempDir(), 'fresh', 'data');
      const previous = process.umask(umask);
      try {
        const container = await start(dataDir);
        const app = await buildApp({ ...container, version: 'test' });
        const upload = multipartBody({ kind: 'file' }, [{ path: 'weights.bin', content: 'w'.repeat(4096) }]);
        const authorization = `Bearer ${container.firstAdminToken?.token}`;
        await app.inject({
          method: 'POST',
          url: '/api/v1/models',
          payload: { name: 'iris' },
          headers: { authorization },
        });
        const pushed = await app.inject({
          method: 'POST',
          url: '/api/v1/models/iris/versions',
          payload: upload.body,
          headers: { 'content-type': upload.contentType, authorization },
        });
        expect(pushed.statusCode, pushed.body).toBe(201);
        const modes = modesUnder(dataDir);
        // The database is in WAL mode while open: its -wal and -shm files exist and must be private too.
        for (const name of [
          'warden.db',
          'warden.db-wal',
          'warden.db-shm',
          'admin-token',
          'audit-ed25519.pem',
        ])
          expect(modes[name], name).toBe('0600');
        expect(modes['keys/master-keys.json']).toBe('0600');
        expect(Object.keys(modes).some((p) => p.startsWith('blobs/sha256/'))).toBe(true);
        const open = Object.entries(modes).filter(([, mode]) => mode !== '0700' && mode !== '0600');
        expect(open).toEqual([]);
        await app.close();
        await container.close();
      } finally {
        process.umask(previous);
      }
    },
  );
});

describe('start-up refuses a data directory open to others', () => {
  it('names the folder, its mode and the chmod that fixes it, and creates nothing in it', async () => {
    const dataDir = tempDir();
    chmodSync(dataDir, 0o755);
    const message = await refusal(start(dataDir));
    expect(message).toContain(`${dataDir} is open to group or others (mode 0755)`);
    expect(message).toContain(`chmod 700 ${dataDir}`);
    expect(existsSync(path.join(dataDir, 'warden.db'))).toBe(false);
  });

  it('names each database and key file left readable by group or others', async () => {
    const dataDir = tempDir();
    await (await start(dataDir)).close();
    chmodSync(path.join(dataDir, 'warden.db'), 0o644);
    chmodSync(path.join(dataDir, 'admin-token'), 0o640);
    chmodSync(path.join(dataDir, 'keys'), 0o770);
    const message = await refusal(start(dataDir));
    for (const [name, mode, fix] of [
      ['warden.db', '0644', '600'],
      ['admin-token', '0640', '600'],
      ['keys', '0770', '700'],
    ]) {
      const file = path.join(dataDir, name as string);
      expect(message).toContain(
        `${file} is open to group or others (mode ${mode}); run \`chmod ${fix} ${file}\``,
      );
    }
  });

  it('starts anyway under dataDirPermissions "warn", logging each path at warn level', async () => {
    const dataDir = tempDir();
    chmodSync(dataDir, 0o750);
    const sink = new PassThrough();
    const lines: string[] = [];
    sink.setEncoding('utf8').on('data', (chunk: string) => lines.push(...chunk.split('\n').filter(Boolean)));
    const container = await start(dataDir, { dataDirPermissions: 'warn' }, sink);
    await container.close();
    const warning = lines.map((l) => JSON.parse(l)).find((l) => l.event === 'data_dir.insecure');
    expect(warning).toMatchObject({ level: 40, path: dataDir, mode: '0750', fix: `chmod 700 ${dataDir}` });
    // An operator's own folder is reported, never silently changed.
    expect(statSync(dataDir).mode & 0o777).toBe(0o750);
  });
});
