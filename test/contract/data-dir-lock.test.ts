import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lockDataDir } from '../../src/adapters/local/data-dir-lock.js';
import { loadConfig } from '../../src/config/index.js';
import { createContainer } from '../../src/container.js';
import { createLogger } from '../../src/platform/logger.js';

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'warden-lock-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const containerOn = (dataDir: string) =>
  createContainer(
    loadConfig({ env: {}, flags: { dataDir, logLevel: 'silent' } }),
    createLogger({ level: 'silent' }),
  );

describe('the embedded data directory belongs to one process', () => {
  it('refuses a second server on the same SQLite data directory, then admits one after the first closes', async () => {
    const dataDir = freshDir();
    const first = await containerOn(dataDir);
    await expect(containerOn(dataDir)).rejects.toMatchObject({ code: 'data_dir_in_use', kind: 'conflict' });
    // The refused one changed nothing: the first still works and still holds the lock.
    expect(readFileSync(path.join(dataDir, 'warden.lock'), 'utf8')).toContain(String(process.pid));
    await first.close();
    const second = await containerOn(dataDir);
    await second.close();
  });

  it('takes over a lock left by a process that no longer runs', async () => {
    const dataDir = freshDir();
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    writeFileSync(path.join(dataDir, 'warden.lock'), `${gone.stdout} ${hostname()}\n`);
    const lock = await lockDataDir(dataDir);
    expect(readFileSync(path.join(dataDir, 'warden.lock'), 'utf8')).toBe(`${process.pid} ${hostname()}\n`);
    await lock.release();
  });
});
