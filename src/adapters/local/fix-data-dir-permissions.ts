import { constants } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import path from 'node:path';
import { privateDirs, privateFiles } from './data-dir-permissions.js';

export interface PermissionChange {
  path: string;
  /** The permission bits before and after, as `0644` → `0600`. */
  from: string;
  to: string;
}

export interface PermissionSkip {
  path: string;
  reason: 'symlink' | 'not_owner' | 'unreadable';
}

export interface PermissionFix {
  /** False when the folder holds nothing Warden writes, so nothing was touched. */
  recognised: boolean;
  changed: PermissionChange[];
  skipped: PermissionSkip[];
}

/** Names only a Warden data directory holds: the fix refuses to chmod a folder that has none of them. */
const wardenMarks = ['warden.db', 'warden.lock', 'blobs', 'keys', 'audit-ed25519.pem'];

const octal = (mode: number) => (mode & 0o777).toString(8).padStart(4, '0');

/**
 * Takes group and other permissions away from what Warden writes in a data directory — the directory, `keys/`,
 * the database files, keys, lock, admin token and everything under `blobs/` — as older releases left them
 * (0750 / 0644). Owner bits are kept; nothing is ever widened. Each path is opened without following
 * symlinks and changed through that descriptor, so a link planted in the folder cannot redirect the chmod;
 * paths owned by another user are reported, not touched. Only explicit operator consent runs this
 * (`warden serve --fix-permissions`): a group's access may be deliberate, e.g. for a backup user.
 */
export async function fixDataDirPermissions(dataDir: string): Promise<PermissionFix> {
  const result: PermissionFix = { recognised: false, changed: [], skipped: [] };
  const names = await readdir(dataDir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return [] as string[];
    throw err;
  });
  if (!names.some((name) => wardenMarks.includes(name))) return result;
  result.recognised = true;
  const uid = process.getuid?.();
  // The data directory itself may be a symlink an operator made (e.g. onto a volume); what it names is
  // what Warden uses, so it is followed. Nothing inside it is.
  await tighten(dataDir, uid, result, false);
  for (const dir of privateDirs) await tighten(path.join(dataDir, dir), uid, result);
  for (const file of privateFiles) await tighten(path.join(dataDir, file), uid, result);
  await tightenTree(path.join(dataDir, 'blobs'), uid, result);
  return result;
}

/** Narrows one path; returns whether it is a directory Warden may descend into. */
async function tighten(
  target: string,
  uid: number | undefined,
  result: PermissionFix,
  noFollow = true,
): Promise<boolean> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    // O_NONBLOCK: a FIFO planted in the folder must not hang the open.
    const flags = constants.O_RDONLY | constants.O_NONBLOCK | (noFollow ? constants.O_NOFOLLOW : 0);
    handle = await open(target, flags);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return false;
    if (code === 'ELOOP') result.skipped.push({ path: target, reason: 'symlink' });
    else result.skipped.push({ path: target, reason: 'unreadable' });
    return false;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile() && !info.isDirectory()) return false;
    if (uid !== undefined && info.uid !== uid) {
      if ((info.mode & 0o077) !== 0) result.skipped.push({ path: target, reason: 'not_owner' });
      return false;
    }
    if ((info.mode & 0o077) !== 0) {
      const narrowed = info.mode & 0o700;
      await handle.chmod(narrowed);
      result.changed.push({ path: target, from: octal(info.mode), to: octal(narrowed) });
    }
    return info.isDirectory();
  } finally {
    await handle.close();
  }
}

async function tightenTree(root: string, uid: number | undefined, result: PermissionFix): Promise<void> {
  if (!(await tighten(root, uid, result))) return;
  for (const entry of await readdir(root, { withFileTypes: true })) {
    const child = path.join(root, entry.name);
    if (entry.isDirectory()) await tightenTree(child, uid, result);
    else await tighten(child, uid, result);
  }
}
