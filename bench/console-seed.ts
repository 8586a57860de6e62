// The data the console bench measures against: a real data dir (SQLite, or a fresh PostgreSQL schema)
// made by `warden serve` itself, then filled through the stores with the suites' seeding helpers.
import { loadOrCreateAuditKey } from '../src/adapters/local/audit-key.js';
import { configDefaults } from '../src/config/index.js';
import { createAuditLog } from '../src/modules/audit/index.js';
import { systemClock } from '../src/platform/clock.js';
import { seedAuditLog } from '../test/fixtures/audit-seed.js';
import { postgresFactory, sqliteFactory, type TestDatabase } from '../test/fixtures/databases.js';
import { seedModels } from '../test/fixtures/registry-seed.js';
import { startWarden } from './bench-utils.js';

export interface SeededServer {
  url: string;
  token: string;
  backend: 'sqlite' | 'postgres';
  /** Seconds each seeding step took (the server's first start included under `first start`). */
  timings: Record<string, number>;
  stop(): Promise<void>;
}

const seconds = (since: number) => (performance.now() - since) / 1000;

/**
 * Starts `warden serve` once on a fresh database (migrations, audit key, first admin and its entries),
 * stops it, adds `models` models and `auditEntries` audit entries (a valid chain continuing the server's,
 * with a signed checkpoint every `audit.checkpointEvery` entries, as the server signs them), and starts it
 * again on the result.
 */
export async function startSeededWarden(options: {
  models: number;
  auditEntries: number;
  postgresUrl?: string;
}): Promise<SeededServer> {
  const db: TestDatabase = await (options.postgresUrl
    ? postgresFactory(options.postgresUrl)
    : sqliteFactory()
  ).create();
  const args = db.databaseUrl ? ['--database-url', db.databaseUrl] : [];
  const timings: Record<string, number> = {};
  try {
    let t = performance.now();
    const first = await startWarden(db.dataDir, undefined, { args });
    const token = first.token;
    await first.stop();
    timings['first start and stop'] = seconds(t);

    const database = db.open();
    try {
      t = performance.now();
      await seedModels(database, {
        count: options.models,
        // Five teams; a third tagged; every fourth model with two versions and a `prod` alias.
        model: (i) => ({ owner: `team-${i % 5}`, tags: i % 3 === 0 ? ['prod'] : [] }),
        versions: (i) => (i % 4 === 0 ? 2 : 0),
      });
      timings[`${options.models} models`] = seconds(t);

      t = performance.now();
      const key = await loadOrCreateAuditKey(db.dataDir, { allowCreate: false });
      const log = createAuditLog({
        clock: systemClock,
        signer: key,
        retiredVkeys: key.retiredVkeys,
        origin: 'warden/audit',
        checkpointEvery: configDefaults.audit.checkpointEvery,
      });
      const from = Date.now();
      await seedAuditLog(database, {
        count: options.auditEntries,
        at: (seq) => new Date(from + seq).toISOString(),
        log,
      });
      timings[`${options.auditEntries} audit entries`] = seconds(t);
    } finally {
      await database.close();
    }

    t = performance.now();
    const server = await startWarden(db.dataDir, undefined, { args });
    timings['start on the seeded data'] = seconds(t);
    return {
      url: server.url,
      token,
      backend: db.name,
      timings,
      stop: async () => {
        await server.stop();
        await db.cleanup();
      },
    };
  } catch (err) {
    await db.cleanup();
    throw err;
  }
}
