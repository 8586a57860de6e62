import { closeSync, fchmodSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  sql,
} from 'kysely';
import pg from 'pg';
import { defineError } from '../../platform/errors.js';
import type { Database } from './database.js';
import { migrationProvider } from './migrations/index.js';
import { startWalCheckpointer } from './wal-checkpointer.js';

/** What a backend can do; code asks these questions instead of checking the dialect's name. */
export interface SqlCapabilities {
  /** SELECT … FOR UPDATE locks rows until the transaction ends (otherwise transactions are serialized). */
  rowLocks: boolean;
  /** Several processes may use the database at once (migrations included); otherwise one process owns it. */
  multiProcess: boolean;
}

export interface SqlDatabase {
  db: Kysely<Database>;
  capabilities: SqlCapabilities;
  /** Human-readable location, without credentials. */
  describe: string;
  close(): Promise<void>;
}

export const migrationFailed = defineError('migration_failed', 'unavailable', (name: string) => ({
  message: `Database migration ${name} failed; the database was left at the previous version.`,
  details: { migration: name },
}));

export interface DatabaseOptions {
  databaseUrl: string | null;
  dataDir: string;
}

/** Opens PostgreSQL when a URL is configured, else the embedded SQLite file under the data directory. */
export function openDatabase(options: DatabaseOptions): SqlDatabase {
  if (options.databaseUrl) return openPostgres(options.databaseUrl);
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  // The serving processes checkpoint the log from a worker thread (wal-checkpointer.ts).
  return openSqlite(path.join(options.dataDir, 'warden.db'), { walCheckpointer: true });
}

export interface SqliteOptions {
  /** WAL checkpoints from a worker thread instead of inside the commits on this connection. */
  walCheckpointer?: boolean;
}

export function openSqlite(file: string, options: SqliteOptions = {}): SqlDatabase {
  createPrivately(file);
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const checkpointer = options.walCheckpointer ? startWalCheckpointer(sqlite, file) : null;
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: sqlite }) });
  return {
    db,
    capabilities: { rowLocks: false, multiProcess: false },
    describe: `sqlite:${file}`,
    close: async () => {
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}

/**
 * Transactions take SQLite's write lock when they begin (BEGIN IMMEDIATE), not at their first write: a
 * `warden gateway` process shares the file with `warden serve`, and a deferred transaction that read
 * before another process committed could not upgrade to write (SQLITE_BUSY_SNAPSHOT, which the busy
 * timeout does not wait out). Within one process nothing changes: Kysely runs SQLite's transactions one
 * at a time on its single connection.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly options: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(options);
  }

  override createDriver() {
    return new ImmediateSqliteDriver(this.options);
  }
}

/**
 * SQLite would create the file 0644 narrowed by the umask (0644 under `umask 000`); an empty file made
 * here first is a valid empty database, and SQLite gives its -wal and -shm files the database file's mode.
 */
function createPrivately(file: string): void {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw err;
  }
  try {
    fchmodSync(fd, 0o600);
  } finally {
    closeSync(fd);
  }
}

export function openPostgres(url: string): SqlDatabase {
  // int8 (sizes) as JS numbers: every size Warden stores is below 2^53.
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') =>
      oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text'),
  };
  const pool = new pg.Pool({ connectionString: url, max: 10, types });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const parsed = new URL(url);
  return {
    db,
    capabilities: { rowLocks: true, multiProcess: true },
    describe: `postgresql://${parsed.host}${parsed.pathname}`,
    close: () => db.destroy(),
  };
}

/**
 * Applies pending migrations. On PostgreSQL they run in one transaction under Kysely's migration lock, so
 * concurrent starters are safe and a failure applies nothing; an embedded SQLite file is owned by one
 * process (the container takes the data-directory lock first).
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  // Unless told the schema, Kysely looks for its migration tables in every schema of the database, and
  // skips creating ours when another schema already has them (kysely#1214).
  const migrationTableSchema = await currentSchema(db);
  const migrator = new Migrator({
    db,
    provider: migrationProvider,
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed)
    throw Object.assign(migrationFailed(failed?.migrationName ?? 'unknown'), { cause: error });
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export const databaseNotMigrated = defineError(
  'database_not_migrated',
  'unavailable',
  (pending: string[]) => ({
    message: `The database schema is older than this Warden (${pending.length} migration(s) pending): \`warden gateway\` never migrates; start or upgrade \`warden serve\` on this database first.`,
    details: { pending },
  }),
);

/** Refuses a database whose schema is not this release's (a data-plane process reads, never migrates). */
export async function requireCurrentSchema(db: Kysely<Database>): Promise<void> {
  const migrationTableSchema = await currentSchema(db);
  const migrator = new Migrator({
    db,
    provider: migrationProvider,
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
  const pending = (await migrator.getMigrations()).filter((m) => !m.executedAt).map((m) => m.name);
  if (pending.length > 0) throw databaseNotMigrated(pending);
}

/** The schema unqualified tables land in; null on backends without schemas (SQLite lists none). */
async function currentSchema(db: Kysely<Database>): Promise<string | null> {
  if ((await db.introspection.getSchemas()).length === 0) return null;
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema ?? null;
}

/** True when a database error is a unique-constraint violation, on any supported backend. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
