// Start-up upgrade of data directories from before encryption: their blobs are plaintext, at the same paths.
// Reading is fs-only on purpose (a link or a non-file under a blob's name is refused, which the port
// cannot express); the encrypted copy is written and published through the ObjectStore port, with the same
// envelope writer as every upload.
import { access, constants, type FileHandle, open, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HEADER_SIZE, MAGIC, parseHeader } from '../../modules/artifacts/envelope-format.js';
import {
  blobKey,
  isSha256Digest,
  type ObjectStore,
  type PendingArea,
  sameDigest,
  sealBlob,
} from '../../modules/artifacts/index.js';
import type { KeyProvider } from '../../modules/keys/index.js';
import { AppError } from '../../platform/errors.js';
import type { Logger } from '../../platform/logger.js';
import { createFsObjectStore, errCode, fsyncDir, readFully } from './fs-object-store.js';

const CHUNK = 1024 * 1024;

/**
 * Every name under `sha256/ab/` that is a digest, whatever it names: unlike the port's list, a directory or
 * link under a blob's name is enumerated too, so it is reported rather than passed over.
 */
async function* namesOfBlobs(root: string): AsyncGenerator<string> {
  let fanOut: string[];
  try {
    fanOut = (await readdir(join(root, 'sha256'))).sort();
  } catch (err) {
    if (errCode(err) === 'ENOENT') return;
    throw err;
  }
  for (const dir of fanOut) {
    if (dir.length !== 2) continue;
    const names = await readdir(join(root, 'sha256', dir)).catch(() => [] as string[]);
    for (const name of names.sort()) if (isSha256Digest(dir + name)) yield dir + name;
  }
}

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
 * done. Anything else is encrypted into a pending object while its plaintext is hashed, and replaces the file only
 * when the hash is the file's name: a damaged or misplaced file is never given a name it does not hash to.
 */
async function migrateOne(
  deps: LegacyMigrationDeps,
  digest: string,
  file: string,
  area: () => Promise<PendingArea>,
): Promise<Outcome> {
  let fh: FileHandle;
  try {
    fh = await open(file, OPEN_FLAGS);
  } catch (err) {
    if (errCode(err) === 'ENOENT') return 'unchanged'; // deleted meanwhile: nothing left to protect
    if (errCode(err) === 'ELOOP') return 'not_a_file';
    throw err;
  }
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
    const blob = await sealBlob(
      await area(),
      readPlaintext(fh),
      { maxBytes: Number.MAX_SAFE_INTEGER },
      deps.keys,
    );
    if (!sameDigest(digest, blob.digest)) {
      await blob.object.discard();
      return magic ? 'damaged_header' : 'digest_mismatch';
    }
    // The copy is flushed by the writer; publishing swaps the name atomically and durably.
    await blob.object.publish(blobKey(digest), { replace: true });
    return 'encrypted';
  } finally {
    await fh.close();
  }
}

/**
 * Encrypts, in place, the plaintext blobs a Warden release before encryption left under `root`. Safe to run
 * again after a crash: encrypted blobs are recognised and kept, and a temporary file left in `.staging` is
 * removed by the next staging sweep. Each blob is read once, in 1 MiB pieces.
 */
export async function encryptLegacyBlobs(deps: LegacyMigrationDeps): Promise<LegacyMigrationResult> {
  const result: LegacyMigrationResult = { encrypted: 0, skipped: [] };
  const objects: ObjectStore = createFsObjectStore({ root: deps.root });
  // One pending area for the whole pass, made lazily so that an already encrypted store is only read.
  let pending: PendingArea | null = null;
  const area = async () => {
    if (!pending) {
      pending = await objects.createPending();
      deps.logger?.info(
        { event: 'blobs.encrypting_legacy' },
        'found blobs that are not encrypted (written before encryption?); encrypting them in place',
      );
    }
    return pending;
  };
  try {
    for await (const digest of namesOfBlobs(deps.root)) {
      const file = join(deps.root, ...blobKey(digest).split('/'));
      // One blob that cannot be migrated (unreadable, disk full) must not keep the rest, or the server, down.
      try {
        const outcome = await migrateOne(deps, digest, file, area);
        if (outcome === 'encrypted') result.encrypted++;
        else if (outcome !== 'unchanged') result.skipped.push({ digest, reason: outcome });
      } catch (err) {
        const code = err instanceof AppError ? err.code : (errCode(err) ?? 'error');
        result.skipped.push({ digest, reason: 'failed', code });
      }
    }
  } finally {
    await (pending as PendingArea | null)?.close();
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
