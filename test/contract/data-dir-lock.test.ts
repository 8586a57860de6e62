import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

  it('takes over a lock naming its own pid that it does not hold: an earlier process had that pid', async () => {
    // A server killed with SIGKILL (or by the OOM killer) as PID 1 of a container, restarted in the same
    // container: same hostname, same pid, and the old lock names a pid that is alive only because it is
    // the new server's own. Refusing it would keep the server from ever starting again.
    const dataDir = freshDir();
    writeFileSync(path.join(dataDir, 'warden.lock'), `${process.pid} ${hostname()}\n`);
    const lock = await lockDataDir(dataDir);
    expect(readFileSync(path.join(dataDir, 'warden.lock'), 'utf8')).toBe(`${process.pid} ${hostname()}\n`);
    await lock.release();
    expect(existsSync(path.join(dataDir, 'warden.lock'))).toBe(false);
  });

  it('still refuses a second lock taken by the same process, by any spelling of the folder', async () => {
    const dataDir = freshDir();
    const link = path.join(freshDir(), 'link');
    symlinkSync(dataDir, link);
    const lock = await lockDataDir(dataDir);
    await expect(lockDataDir(dataDir)).rejects.toMatchObject({ code: 'data_dir_in_use' });
    await expect(lockDataDir(`${dataDir}/.`)).rejects.toMatchObject({ code: 'data_dir_in_use' });
    await expect(lockDataDir(link)).rejects.toMatchObject({ code: 'data_dir_in_use' });
    await lock.release();
    const again = await lockDataDir(link);
    await again.release();
  });
});
