// The keyring file of the local key provider: read with its permissions checked, written atomically.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { masterKeyInvalid } from '../../modules/keys/index.js';

export interface KeyringEntry {
  id: string;
  createdAt: string;
  /** null once retired: the material is gone, the id stays for the record. */
  key: Buffer | null;
  retiredAt: string | null;
}
export interface Keyring {
  current: string;
  entries: KeyringEntry[];
}

const FORMAT = 'warden-keyring/v1';

/** A KEK's id: the first 8 hex characters of its SHA-256, so a different key can never pass for it. */
export function kekIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/** The keyring at `file`, or null when there is none. */
export async function readKeyring(file: string): Promise<Keyring | null> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw masterKeyInvalid(file, (err as NodeJS.ErrnoException).code ?? 'stat failed');
  }
  if (!info.isFile()) throw masterKeyInvalid(file, 'not a regular file');
  // POSIX permission bits mean nothing on Windows, where the folder's ACL protects the file.
  if (process.platform !== 'win32' && (info.mode & 0o077) !== 0)
    throw masterKeyInvalid(
      file,
      `it is readable by group or others (mode ${(info.mode & 0o777).toString(8)}); chmod 600 it`,
    );
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    throw masterKeyInvalid(file, 'not a readable keyring (JSON)');
  }
  return parseKeyring(file, doc);
}

function parseKeyring(file: string, doc: unknown): Keyring {
  const bad = (reason: string) => masterKeyInvalid(file, reason);
  if (typeof doc !== 'object' || doc === null) throw bad('not a keyring object');
  const { format, current, keys } = doc as Record<string, unknown>;
  if (format !== FORMAT) throw bad(`format is not ${FORMAT}`);
  if (typeof current !== 'string' || !Array.isArray(keys)) throw bad('current or keys missing');
  const entries = keys.map((raw): KeyringEntry => {
    const { id, createdAt, key, retiredAt } = (raw ?? {}) as Record<string, unknown>;
    if (typeof id !== 'string' || typeof createdAt !== 'string') throw bad('a key has no id or createdAt');
    if (typeof key === 'string') {
      const material = Buffer.from(key, 'base64');
      // The id is derived from the material, so an edited or damaged key is caught here, not as a decryption failure.
      if (material.length !== 32 || kekIdOf(material) !== id) throw bad(`key ${id} is damaged`);
      return { id, createdAt, key: material, retiredAt: null };
    }
    if (typeof retiredAt !== 'string') throw bad(`key ${id} has no material and is not retired`);
    return { id, createdAt, key: null, retiredAt };
  });
  const active = entries.find((e) => e.id === current);
  if (!active?.key) throw bad('the current key is missing or retired');
  return { current, entries };
}

/** Replaces the keyring atomically: a private temporary file, flushed, renamed over, directory flushed. */
export async function writeKeyring(file: string, keyring: Keyring): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const doc = {
    format: FORMAT,
    current: keyring.current,
    keys: keyring.entries.map((e) =>
      e.key
        ? { id: e.id, createdAt: e.createdAt, key: e.key.toString('base64') }
        : { id: e.id, createdAt: e.createdAt, retiredAt: e.retiredAt },
    ),
  };
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(doc, null, 2)}\n`, 'utf8');
    await handle.sync();
  } catch (err) {
    await handle.close();
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  await handle.close();
  await rename(temp, file);
  if (process.platform === 'win32') return;
  const dh = await open(dir, 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}
