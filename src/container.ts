import { access, constants, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import type { Logger as PinoLogger } from 'pino';
import { createFsBlobStore } from './adapters/blob/fs-blob-store.js';
import { type DataDirLock, lockDataDir } from './adapters/local/data-dir-lock.js';
import { migrateToLatest, openDatabase } from './adapters/sql/db.js';
import { createSqlStores, createSqlUnitOfWork } from './adapters/sql/unit-of-work.js';
import type { Config } from './config/index.js';
import { createRegistryService } from './modules/registry/index.js';
import { systemClock } from './platform/clock.js';

/** The composition root: configuration → adapters → services. Nothing else knows both sides. */
export async function createContainer(config: Readonly<Config>, logger: PinoLogger) {
  const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  let lock: DataDirLock | null = null;
  try {
    // An embedded database belongs to one process: a second server on the same folder is refused before
    // it can race the first one's migrations or sweep its uploads in progress.
    if (!database.capabilities.multiProcess) lock = await lockDataDir(config.dataDir);
    const applied = await migrateToLatest(database.db);
    if (applied.length > 0)
      logger.info({ migrations: applied, database: database.describe }, 'database migrated');
  } catch (err) {
    await database.close();
    await lock?.release();
    throw err;
  }
  const blobRoot = path.join(config.dataDir, 'blobs');
  await mkdir(blobRoot, { recursive: true, mode: 0o750 });
  const blobs = createFsBlobStore({ root: blobRoot });
  const swept = await blobs.sweepStaging();
  if (swept > 0) logger.warn({ swept }, 'removed upload staging areas left by an earlier crash');

  const registry = createRegistryService({
    uow: createSqlUnitOfWork(database.db, database.capabilities),
    read: createSqlStores(database.db, database.capabilities),
    blobs,
    clock: systemClock,
    logger,
    limits: config.limits,
  });

  const checks = {
    database: async () => {
      await sql`select 1`.execute(database.db);
      return true;
    },
    artifacts: async () => {
      await access(blobRoot, constants.W_OK);
      return true;
    },
  };

  return {
    config,
    logger,
    registry,
    checks,
    describeDatabase: database.describe,
    close: async () => {
      await database.close();
      await lock?.release();
    },
  };
}

export type Container = Awaited<ReturnType<typeof createContainer>>;
