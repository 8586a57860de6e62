import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { secureDataDir } from './data-dir-permissions.js';
import { fixDataDirPermissions } from './fix-data-dir-permissions.js';

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'warden-fixperms-'));
  temps.push(dir);
  return dir;
};
const modeOf = (p: string) => (statSync(p).mode & 0o777).toString(8).padStart(4, '0');

/** A data directory as releases before the secrets work left it: 0750 folders, 0644 files. */
function oldReleaseDataDir(root: string): string {
  const dataDir = path.join(root, 'data');
  mkdirSync(path.join(dataDir, 'blobs', 'sha256', 'ab'), { recursive: true });
  mkdirSync(path.join(dataDir, 'keys'));
  for (const file of [
    'warden.db',
    'warden.db-wal',
    'admin-token',
    'audit-ed25519.pem',
    'keys/master-keys.json',
  ])
    writeFileSync(path.join(dataDir, file), 'x');
  writeFileSync(path.join(dataDir, 'blobs', 'sha256', 'ab', 'abcd'), 'blob');
  for (const dir of ['', 'keys', 'blobs', 'blobs/sha256', 'blobs/sha256/ab'])
    chmodSync(path.join(dataDir, dir), 0o750);
  for (const file of [
    'warden.db',
    'warden.db-wal',
    'admin-token',
    'keys/master-keys.json',
    'blobs/sha256/ab/abcd',
  ])
    chmodSync(path.join(dataDir, file), 0o644);
  chmodSync(path.join(dataDir, 'audit-ed25519.pem'), 0o640);
  return dataDir;
}

describe('fixDataDirPermissions', () => {
  it('narrows what an older release wrote, so the start-up check then passes', async () => {
    const dataDir = oldReleaseDataDir(tempDir());
    await expect(secureDataDir(dataDir, 'refuse')).rejects.toThrow(/--fix-permissions/);
    const fix = await fixDataDirPermissions(dataDir);
    expect(fix.recognised).toBe(true);
    expect(fix.skipped).toEqual([]);
    expect(fix.changed).toContainEqual({ path: dataDir, from: '0750', to: '0700' });
    expect(fix.changed).toContainEqual({ path: path.join(dataDir, 'warden.db'), from: '0644', to: '0600' });
    for (const dir of ['', 'keys', 'blobs', 'blobs/sha256/ab'])
      expect(modeOf(path.join(dataDir, dir))).toBe('0700');
    for (const file of [
      'warden.db',
      'warden.db-wal',
      'admin-token',
      'audit-ed25519.pem',
      'keys/master-keys.json',
    ])
      expect(modeOf(path.join(dataDir, file)), file).toBe('0600');
    expect(modeOf(path.join(dataDir, 'blobs/sha256/ab/abcd'))).toBe('0600');
    expect(await secureDataDir(dataDir, 'refuse')).toEqual([]);
    // A second run has nothing left to do.
    expect((await fixDataDirPermissions(dataDir)).changed).toEqual([]);
  });

  it('keeps owner bits and never widens: a read-only file stays read-only', async () => {
    const dataDir = oldReleaseDataDir(tempDir());
    chmodSync(path.join(dataDir, 'admin-token'), 0o444);
    await fixDataDirPermissions(dataDir);
    expect(modeOf(path.join(dataDir, 'admin-token'))).toBe('0400');
  });

  it('does not follow a symlink planted inside the folder', async () => {
    const root = tempDir();
    const dataDir = oldReleaseDataDir(root);
    const outside = path.join(root, 'outside.txt');
    writeFileSync(outside, 'not warden');
    chmodSync(outside, 0o644);
    rmSync(path.join(dataDir, 'admin-token'));
    symlinkSync(outside, path.join(dataDir, 'admin-token'));
    symlinkSync(outside, path.join(dataDir, 'blobs', 'sha256', 'ab', 'link'));
    const fix = await fixDataDirPermissions(dataDir);
    expect(modeOf(outside)).toBe('0644');
    expect(fix.skipped).toEqual(
      expect.arrayContaining([
        { path: path.join(dataDir, 'admin-token'), reason: 'symlink' },
        { path: path.join(dataDir, 'blobs', 'sha256', 'ab', 'link'), reason: 'symlink' },
      ]),
    );
  });

  it('does not hang on a FIFO where a blob should be', async () => {
    const dataDir = oldReleaseDataDir(tempDir());
    const fifo = path.join(dataDir, 'blobs', 'sha256', 'ab', 'fifo');
    execFileSync('mkfifo', ['-m', '0644', fifo]);
    await fixDataDirPermissions(dataDir);
    expect(modeOf(fifo)).toBe('0644');
  });

  it('touches nothing in a folder that holds no Warden data (a mistyped --data-dir)', async () => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    writeFileSync(path.join(dir, 'notes.txt'), 'x');
    chmodSync(path.join(dir, 'notes.txt'), 0o644);
    expect(await fixDataDirPermissions(dir)).toEqual({ recognised: false, changed: [], skipped: [] });
    expect(modeOf(dir)).toBe('0755');
    expect(await fixDataDirPermissions(path.join(dir, 'missing'))).toMatchObject({ recognised: false });
  });
});
