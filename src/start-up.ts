import type { Logger as PinoLogger } from 'pino';
import { encryptLegacyBlobsOnce } from './adapters/blob/legacy-plaintext-migration.js';
import { type DataDirLock, lockDataDir } from './adapters/local/data-dir-lock.js';
import { migrateToLatest, type openDatabase, requireCurrentSchema } from './adapters/sql/db.js';
import type { BlobStore, CollectionResult } from './modules/artifacts/index.js';
import type { BootstrapResult } from './modules/identity/index.js';
import type { KeyProvider } from './modules/keys/index.js';

type OpenDatabase = ReturnType<typeof openDatabase>;

/**
 * Claims the data directory (embedded database only) and brings the schema up to date. Done before
 * anything else touches the database; on failure the database is closed and the lock released.
 */
export async function prepareDatabase(
  database: OpenDatabase,
  dataDir: string,
  logger: PinoLogger,
  role: 'server' | 'gateway' = 'server',
): Promise<DataDirLock | null> {
  let lock: DataDirLock | null = null;
  try {
    // A data-plane process joins a database its control plane owns: no lock (the server holds it), no
    // migration (the server's release decides the schema), only a check that the schema is this release's.
    if (role === 'gateway') {
      await requireCurrentSchema(database.db);
      return null;
    }
    // An embedded database belongs to one process: a second server on the same folder is refused before
    // it can race the first one's migrations or sweep its uploads in progress.
    if (!database.capabilities.multiProcess) lock = await lockDataDir(dataDir);
    const applied = await migrateToLatest(database.db);
    if (applied.length > 0)
      logger.info({ migrations: applied, database: database.describe }, 'database migrated');
    return lock;
  } catch (err) {
    await database.close();
    await lock?.release();
    throw err;
  }
}

export interface StartUpDeps {
  logger: PinoLogger;
  blobRoot: string;
  blobs: BlobStore;
  keys: KeyProvider;
  /** Creates the first admin and its token on the very first start; a no-op afterwards. */
  bootstrapAdmin(): Promise<BootstrapResult>;
  /** Finishes blob destructions that a stop interrupted. */
  collectPendingBlobs(): Promise<CollectionResult>;
  /** Re-wraps webhook secrets still under an older KEK (after `warden keys rotate`) under the current one. */
  rewrapWebhookSecrets(): Promise<{ rewrapped: number; failed: string[] }>;
}

/**
 * The work a start does once every service is wired: clear what an earlier crash left behind, bring old
 * data up to today's format, and create the first admin. Kept out of the composition root so that wiring
 * stays wiring, and run in this order: bytes first, then the rows that name them.
 */
export async function startUp(deps: StartUpDeps): Promise<BootstrapResult> {
  const { logger, blobRoot, blobs, keys } = deps;
  const swept = await blobs.sweepStaging();
  if (swept > 0) logger.warn({ swept }, 'removed upload staging areas left by an earlier crash');
  // A data directory from before encryption holds plaintext blobs at the same paths: encrypt them in place.
  const legacy = await encryptLegacyBlobsOnce({ root: blobRoot, keys, logger });
  if (legacy.encrypted > 0)
    logger.info({ event: 'blobs.encrypted_legacy', count: legacy.encrypted }, 'encrypted plaintext blobs');
  for (const skip of legacy.skipped)
    logger.warn({ event: 'blobs.legacy_skipped', ...skip }, 'blob left untouched and unencrypted');

  const boot = await deps.bootstrapAdmin();

  // Blob destructions a crash interrupted (a version deleted, its clean-up not finished) end here.
  const collected = await deps.collectPendingBlobs();
  if (collected.destroyed.length + collected.failed.length > 0) {
    logger.warn(
      { destroyed: collected.destroyed.length, failed: collected.failed.length },
      'finished blob destructions left by an earlier stop',
    );
  }

  // After `warden keys rotate`: webhook secrets move to the current KEK, so the old one can be retired.
  const secrets = await deps.rewrapWebhookSecrets();
  if (secrets.rewrapped > 0)
    logger.info(
      { event: 'webhooks.secrets_rewrapped', count: secrets.rewrapped },
      're-wrapped webhook secrets',
    );
  if (secrets.failed.length > 0)
    logger.warn(
      { event: 'webhooks.secrets_unavailable', endpoints: secrets.failed },
      'webhook secrets that no key opens (their key was retired): remove and register these endpoints again',
    );
  return boot;
}
