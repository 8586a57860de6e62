import { open, readFile, realpath, unlink } from 'node:fs/promises';
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

/** The lock files this process holds now, by absolute path. */
const held = new Set<string>();

/**
 * Takes the data directory for this process (a `warden.lock` file holding our pid). A lock left by a
 * process that no longer runs is taken over; one held by a live process is refused. A lock naming this
 * very pid that this process does not hold was left by an earlier process that had the same pid — a
 * server killed (SIGKILL, out of memory) and restarted as PID 1 of the same container — and is taken over
 * too: the pid is alive only because it is ours now.
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  // By its real path, so that two spellings of one folder are one lock.
  const file = path.join(await realpath(dataDir).catch(() => path.resolve(dataDir)), 'warden.lock');
  const owner = `${process.pid} ${hostname()}\n`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, 'wx', 0o600);
      await handle.writeFile(owner);
      await handle.close();
      held.add(file);
      return {
        release: () => {
          held.delete(file);
          return unlink(file).catch(() => undefined);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const [pidText, host] = (await readFile(file, 'utf8').catch(() => '')).trim().split(' ');
      const pid = Number(pidText);
      const earlierSelf = host === hostname() && pid === process.pid && !held.has(file);
      if (Number.isInteger(pid) && pid > 0 && !earlierSelf && (host !== hostname() || isAlive(pid)))
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
