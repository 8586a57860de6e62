import { open, readFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { defineError } from '../../platform/errors.js';

export const dataDirInUse = defineError('data_dir_in_use', 'conflict', (dir: string, pid: number) => ({
  message: `The data directory ${dir} is in use by another Warden process (pid ${pid}). The embedded SQLite database serves one process; stop the other one, or use PostgreSQL for several.`,
  details: { pid },
}));

export interface DataDirLock {
  release(): Promise<void>;
}

/**
 * Takes the data directory for this process (a `warden.lock` file holding our pid). A lock left by a
 * process that no longer runs is taken over; one held by a live process is refused.
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const file = path.join(dataDir, 'warden.lock');
  const owner = `${process.pid} ${hostname()}\n`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, 'wx', 0o600);
      await handle.writeFile(owner);
      await handle.close();
      return { release: () => unlink(file).catch(() => undefined) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const [pidText, host] = (await readFile(file, 'utf8').catch(() => '')).trim().split(' ');
      const pid = Number(pidText);
      if (Number.isInteger(pid) && pid > 0 && (host !== hostname() || isAlive(pid)))
        throw dataDirInUse(dataDir, pid);
      await unlink(file).catch(() => undefined);
    }
  }
  throw dataDirInUse(dataDir, 0);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
