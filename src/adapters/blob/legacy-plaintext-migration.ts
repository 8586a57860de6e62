// Start-up upgrade of data directories from before encryption: their blobs are plaintext, at the same paths.
import { randomUUID } from 'node:crypto';
import { access, constants, type FileHandle, mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { HEADER_SIZE, MAGIC, parseHeader } from '../../modules/artifacts/envelope-format.js';
import { sameDigest } from '../../modules/artifacts/index.js';
import type { KeyProvider } from '../../modules/keys/index.js';
import { AppError } from '../../platform/errors.js';
import type { Logger } from '../../platform/logger.js';
import { encryptToFile } from './encrypted-blob-writer.js';
import { encryptedBlobPath } from './encrypted-fs-blob-store.js';
import { CHUNK, DIR_MODE, errCode, fsyncDir, readFully, storedDigests } from './fs-blob-files.js';

/**
 * Why a blob was left as it was: its bytes do not hash to its name (`digest_mismatch`), it starts like an
 * encrypted blob whose header is damaged (`damaged_header`), it is not a regular file (`not_a_file`), or
 * reading, encrypting or renaming it failed (`failed`, with the error's code).
 */
export type LegacySkipReason = 'digest_mismatch' | 'damaged_header' | 'not_a_file' | 'failed';
export interface LegacySkip {
  digest: string;
  reason: LegacySkipReason;
  code?: string;
}
export interface LegacyMigrationResult {
  /** Plaintext blobs now encrypted in place. */
  encrypted: number;
  /** Blobs left exactly as they were, with why. */
  skipped: LegacySkip[];
}
export interface LegacyMigrationDeps {
  /** The encrypted store's root, e.g. `<dataDir>/blobs`. */
  root: string;
  keys: Pick<KeyProvider, 'wrap'>;
  /** Told once, before the first blob is encrypted, so a long start-up is explained. */
  logger?: Pick<Logger, 'info'>;
}

// Windows has no O_NOFOLLOW; a link there is still refused by the regular-file check on the handle.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

/**
 * The file's bytes in 1 MiB reads from one buffer, wiped at the end. Reusing it is safe because the
 * writer copies each piece into its own chunk buffer before it asks for the next one.
 */
async function* readPlaintext(fh: FileHandle): AsyncGenerator<Buffer> {
  const buf = Buffer.allocUnsafe(CHUNK);
  try {
    for (let position = 0; ; ) {
      const got = await readFully(fh, buf, position);
      if (got === 0) return;
      yield buf.subarray(0, got);
      position += got;
    }
  } finally {
    buf.fill(0);
  }
}

type Outcome = 'encrypted' | 'unchanged' | LegacySkipReason;

/**
 * Encrypts one blob if it is plaintext. A file whose header is an encrypted blob's for this very digest is
 * done. Anything else is encrypted into `temp` while its plaintext is hashed, and replaces the file only
 * when the hash is the file's name: a damaged or misplaced file is never given a name it does not hash to.
 */
async function migrateOne(
  deps: LegacyMigrationDeps,
  digest: string,
  file: string,
  temp: () => Promise<string>,
): Promise<Outcome> {
  let fh: FileHandle;
  try {
    fh = await open(file, OPEN_FLAGS);
  } catch (err) {
    if (errCode(err) === 'ENOENT') return 'unchanged'; // deleted meanwhile: nothing left to protect
    if (errCode(err) === 'ELOOP') return 'not_a_file';
    throw err;
  }
  let staged: string | null = null;
  try {
    if (!(await fh.stat()).isFile()) return 'not_a_file';
    const head = Buffer.alloc(HEADER_SIZE);
    const got = await readFully(fh, head, 0);
    const header = got === HEADER_SIZE ? parseHeader(head) : null;
    if (header && sameDigest(digest, header.digest)) return 'unchanged';
    // A magic without a valid header is most likely a damaged encrypted blob. It is hashed all the same:
    // plaintext that merely starts with "WDNE" (say, an encrypted blob pushed as an artifact) is legacy too.
    const magic = got >= MAGIC.length && head.subarray(0, MAGIC.length).equals(MAGIC);
    head.fill(0);
    staged = await temp();
    const blob = await encryptToFile(
      readPlaintext(fh),
      staged,
      { maxBytes: Number.MAX_SAFE_INTEGER },
      deps.keys,
    );
    if (!sameDigest(digest, blob.digest)) return magic ? 'damaged_header' : 'digest_mismatch';
    // The temp is flushed by the writer; the rename swaps the name atomically and the fsync makes it stick.
    await rename(staged, file);
    staged = null;
    await fsyncDir(dirname(file));
    return 'encrypted';
  } finally {
    await fh.close();
    if (staged) await rm(staged, { force: true });
  }
}

/**
 * Encrypts, in place, the plaintext blobs a Warden release before encryption left under `root`. Safe to run
 * again after a crash: encrypted blobs are recognised and kept, and a temporary file left in `.staging` is
 * removed by the next staging sweep. Each blob is read once, in 1 MiB pieces.
 */
export async function encryptLegacyBlobs(deps: LegacyMigrationDeps): Promise<LegacyMigrationResult> {
  const result: LegacyMigrationResult = { encrypted: 0, skipped: [] };
  // One private folder in the staging area, on the blobs' filesystem so the rename is atomic; made lazily so
  // that an already encrypted store is only read.
  let workDir: string | null = null;
  const temp = async () => {
    if (!workDir) {
      const dir = join(deps.root, '.staging', randomUUID());
      await mkdir(dir, { recursive: true, mode: DIR_MODE });
      workDir = dir;
      deps.logger?.info(
        { event: 'blobs.encrypting_legacy' },
        'found blobs that are not encrypted (written before encryption?); encrypting them in place',
      );
    }
    return join(workDir, `${randomUUID()}.part`);
  };
  try {
    for await (const digest of storedDigests(deps.root)) {
      const file = encryptedBlobPath(deps.root, digest);
      // One blob that cannot be migrated (unreadable, disk full) must not keep the rest, or the server, down.
      try {
        const outcome = await migrateOne(deps, digest, file, temp);
        if (outcome === 'encrypted') result.encrypted++;
        else if (outcome !== 'unchanged') result.skipped.push({ digest, reason: outcome });
      } catch (err) {
        const code = err instanceof AppError ? err.code : (errCode(err) ?? 'error');
        result.skipped.push({ digest, reason: 'failed', code });
      }
    }
  } finally {
    if (workDir) await rm(workDir, { recursive: true, force: true });
  }
  return result;
}

/** Written once a pass left nothing unencrypted; its presence lets later starts skip the pass. */
export const LEGACY_DONE_MARKER = '.legacy-encryption-done';

/**
 * Runs the legacy pass until it once leaves nothing behind, then never again: a marker in `root` records
 * it, so later starts do not read every blob's header. A pass that skipped blobs writes no marker, so
 * they are reported (and retried) at every start until dealt with. Deleting the marker asks for a new
 * pass, e.g. after restoring blob files from a backup taken before the upgrade.
 */
export async function encryptLegacyBlobsOnce(deps: LegacyMigrationDeps): Promise<LegacyMigrationResult> {
  const marker = join(deps.root, LEGACY_DONE_MARKER);
  try {
    await access(marker);
    return { encrypted: 0, skipped: [] };
  } catch (err) {
    if (errCode(err) !== 'ENOENT') throw err;
  }
  const result = await encryptLegacyBlobs(deps);
  if (result.skipped.length === 0) {
    await writeFile(marker, `${JSON.stringify({ version: 1, at: new Date().toISOString() })}\n`, {
      mode: 0o600,
      flush: true,
    });
    await fsyncDir(deps.root);
  }
  return result;
}
