import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
} from 'node:crypto';
import { link, mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import {
  auditErrors,
  formatVerifierKey,
  type NoteSigner,
  parseVerifierKey,
} from '../../modules/audit/index.js';

export const auditKeyFile = 'audit-ed25519.pem';
/** Verifier keys of retired audit keys, one per line, so checkpoints they signed still verify. */
export const retiredVkeysFile = 'audit-retired.vkeys';

export interface AuditKey extends NoteSigner {
  keyName: string;
  retiredVkeys: string[];
}

/**
 * The audit signing key: `<dataDir>/audit-ed25519.pem` (PKCS#8, mode 0600), made at first start. A key file
 * that exists but cannot be read, is not an Ed25519 key, or is open to group or others stops the start:
 * silently making a new key would orphan every checkpoint the old one signed.
 */
export async function loadOrCreateAuditKey(
  dataDir: string,
  options: { keyName?: string; allowCreate?: boolean } = {},
): Promise<AuditKey> {
  const keyName = options.keyName ?? 'warden-audit';
  const file = path.join(dataDir, auditKeyFile);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  let privateKey = await readKey(file);
  if (!privateKey && options.allowCreate === false)
    throw auditErrors.auditKeyUnreadable(
      file,
      'it does not exist (`warden serve` makes it at its first start)',
    );
  if (!privateKey) {
    await createKey(file);
    privateKey = await readKey(file);
    if (!privateKey) throw auditErrors.auditKeyUnreadable(file, 'it vanished right after it was created');
  }
  const raw = Buffer.from(createPublicKey(privateKey).export({ format: 'jwk' }).x ?? '', 'base64url');
  const vkey = formatVerifierKey(keyName, raw);
  const key = privateKey;
  return {
    keyName,
    vkey,
    sign: (message) => sign(null, message, key),
    retiredVkeys: (await readRetired(path.join(dataDir, retiredVkeysFile))).filter((v) => v !== vkey),
  };
}

async function readKey(file: string): Promise<KeyObject | null> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw auditErrors.auditKeyUnreadable(file, (err as NodeJS.ErrnoException).code ?? 'stat failed');
  }
  if (!info.isFile()) throw auditErrors.auditKeyUnreadable(file, 'not a regular file');
  // POSIX permission bits mean nothing on Windows, where the folder's ACL protects the file.
  if (process.platform !== 'win32' && (info.mode & 0o077) !== 0)
    throw auditErrors.auditKeyInsecure(file, (info.mode & 0o777).toString(8).padStart(4, '0'));
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (err) {
    throw auditErrors.auditKeyUnreadable(file, (err as NodeJS.ErrnoException).code ?? 'read failed');
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw auditErrors.auditKeyUnreadable(file, 'not a PEM private key');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw auditErrors.auditKeyUnreadable(file, 'not an Ed25519 key');
  return key;
}

/** Writes a new key to a private temporary file and links it into place, so no reader sees half a key. */
async function createKey(file: string): Promise<void> {
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' });
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(pem, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temp, file);
  } catch (err) {
    // Another starter made one first: use theirs.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    await unlink(temp);
  }
  const dir = await open(path.dirname(file), 'r');
  try {
    await dir.sync();
  } catch {
    // Some platforms cannot fsync a directory; the key is on disk either way.
  } finally {
    await dir.close();
  }
}

async function readRetired(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw auditErrors.auditKeyUnreadable(file, (err as NodeJS.ErrnoException).code ?? 'read failed');
  }
  const vkeys: string[] = [];
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    try {
      const { vkey } = parseVerifierKey(line);
      if (!vkeys.includes(vkey)) vkeys.push(vkey);
    } catch (err) {
      throw auditErrors.auditKeyUnreadable(file, (err as Error).message);
    }
  }
  return vkeys;
}
