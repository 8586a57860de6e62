import { mkdir, open, unlink } from 'node:fs/promises';
import path from 'node:path';
import { adminTokenFileExists } from '../../modules/identity/identity.errors.js';

export const adminTokenFileName = 'admin-token';

/**
 * The writer of the first admin token: `<dataDir>/admin-token`, created exclusively with mode 0600 (never
 * over an existing file, never following a planted link) and synced before the token is reported.
 */
export function createAdminTokenFileWriter(dataDir: string): (token: string) => Promise<string> {
  return async (token) => {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const file = path.join(dataDir, adminTokenFileName);
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(file, 'wx', 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw adminTokenFileExists(file);
      throw err;
    }
    try {
      // The process umask can only narrow the mode; chmod makes it exactly 0600 whatever it is.
      await handle.chmod(0o600);
      await handle.writeFile(`${token}\n`, 'utf8');
      await handle.sync();
      await handle.close();
    } catch (err) {
      // A half-written file would block every later first start: leave nothing behind.
      await handle.close().catch(() => undefined);
      await unlink(file).catch(() => undefined);
      throw err;
    }
    return file;
  };
}
