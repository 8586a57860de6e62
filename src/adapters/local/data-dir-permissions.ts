import { chmod, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { defineError } from '../../platform/errors.js';

/** What a data directory and its secret-bearing files must be: private to the user running Warden. */
export const DATA_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

export type DataDirPermissionPolicy = 'refuse' | 'warn';

export interface OpenPath {
  path: string;
  /** The permission bits found, as `0755`. */
  mode: string;
  /** The command that makes it private. */
  fix: string;
}

export const dataDirInsecure = defineError(
  'data_dir_insecure',
  'precondition_failed',
  (found: OpenPath[]) => ({
    message: `Refusing to start: ${found
      .map((f) => `${f.path} is open to group or others (mode ${f.mode}); run \`${f.fix}\``)
      .join(
        '; ',
      )}. Or run \`warden serve --fix-permissions\` once to tighten what Warden wrote; set dataDirPermissions to "warn" to start anyway.`,
    details: { paths: found },
  }),
);

/**
 * The files under the data directory that hold secrets or everything (database, its WAL and shared
 * memory, keys, the first admin token); blobs are encrypted and live in the private directory.
 */
export const privateFiles = [
  'warden.db',
  'warden.db-wal',
  'warden.db-shm',
  'warden.lock',
  'admin-token',
  'audit-ed25519.pem',
  path.join('keys', 'master-keys.json'),
];
export const privateDirs = ['keys'];

/**
 * Creates the data directory as 0700 whatever the umask (mkdir's mode is narrowed by it, chmod is not), then
 * lists what is open to group or others: the directory itself, the `keys` folder and every secret-bearing
 * file that exists. Under `refuse` (the default) a non-empty list stops the start, naming each path, its
 * mode and the chmod that fixes it; under `warn` it is returned for the caller to log.
 */
export async function secureDataDir(dataDir: string, policy: DataDirPermissionPolicy): Promise<OpenPath[]> {
  const made = await mkdir(dataDir, { recursive: true, mode: DATA_DIR_MODE });
  // Only a directory this call created is tightened: an operator's existing folder is reported, not changed.
  if (made !== undefined) await chmod(dataDir, DATA_DIR_MODE);
  const found: OpenPath[] = [];
  const inspect = async (target: string, dir: boolean) => {
    const info = await stat(target).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return null;
      throw err;
    });
    if (!info || (info.mode & 0o077) === 0) return;
    const mode = (info.mode & 0o777).toString(8).padStart(4, '0');
    found.push({ path: target, mode, fix: `chmod ${dir ? '700' : '600'} ${target}` });
  };
  await inspect(dataDir, true);
  for (const dir of privateDirs) await inspect(path.join(dataDir, dir), true);
  for (const file of privateFiles) await inspect(path.join(dataDir, file), false);
  if (found.length > 0 && policy === 'refuse') throw dataDirInsecure(found);
  return found;
}
