import { Migrator, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, type SqlDatabase } from '../../src/adapters/sql/db.js';
import { migrationProvider } from '../../src/adapters/sql/migrations/index.js';
import { createRegistrySqlStore } from '../../src/adapters/sql/registry.sql-store.js';
import { databaseFactories, type TestDatabase, type TestDatabaseFactory } from '../fixtures/databases.js';

/** Every migration in the tree, in the order they apply. */
const allMigrations = [
  '0001-registry',
  '0002-audit',
  '0003-identity',
  '0004-version-scan',
  '0005-signers',
  '0006-version-deletion',
  '0007-audit-actor',
  '0008-registry-actor-names',
  '0009-deploy',
  '0010-attestations',
  '0011-webhooks',
  '0012-guard-policies',
  '0013-console-sessions',
  '0014-deploy-requests-state',
  '0015-audit-outcome-index',
  '0016-reference-datasets',
  '0017-monitor-windows',
  '0018-monitor-alerts',
  '0019-monitor-readings',
];

const backends = databaseFactories().map((f): [string, TestDatabaseFactory] => [f.name, f]);

describe.each(backends)('migrations (%s)', (name, factory) => {
  let t: TestDatabase;
  const opened: SqlDatabase[] = [];
  const open = (): SqlDatabase => {
    const database = t.open();
    opened.push(database);
    return database;
  };

  beforeEach(async () => {
    t = await factory.create();
  });
  afterEach(async () => {
    for (const database of opened.splice(0)) await database.close();
    await t.cleanup();
  });

  const appliedMigrations = async (database: SqlDatabase): Promise<string[]> => {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
      database.db,
    );
    return rows.map((r) => r.name);
  };

  it('applies every migration to an empty database, then nothing', async () => {
    const database = open();
    expect(await migrateToLatest(database.db)).toEqual(allMigrations);
    expect(await migrateToLatest(database.db)).toEqual([]);
    expect(await appliedMigrations(database)).toEqual(allMigrations);
  });

  it('finds its migrations again from a new connection', async () => {
    await migrateToLatest(open().db);
    expect(await migrateToLatest(open().db)).toEqual([]);
  });

  it('migrates a fresh database beside another one already migrated on the same server', async () => {
    const neighbour = await factory.create();
    const other = neighbour.open();
    try {
      await migrateToLatest(other.db);
      const database = open();
      expect(await migrateToLatest(database.db)).toEqual(allMigrations);
      expect(await appliedMigrations(database)).toEqual(allMigrations);
    } finally {
      await other.close();
      await neighbour.cleanup();
    }
  });

  // Only backends that serve several processes promise this; an embedded SQLite file is owned by one
  // process through the data-directory lock (test/contract/data-dir-lock.test.ts).
  it('lets two connections migrate at once where the backend is multi-process: one applies, both succeed', async () => {
    const a = open();
    const b = open();
    if (!a.capabilities.multiProcess) return expect(name).toBe('sqlite');
    const [fromA, fromB] = await Promise.all([migrateToLatest(a.db), migrateToLatest(b.db)]);
    expect([...fromA, ...fromB]).toEqual(allMigrations);
    expect(await appliedMigrations(a)).toEqual(allMigrations);
  });

  it('keeps registry rows written before 0008 readable, with null actor names', async () => {
    const database = open();
    const schemas = await database.db.introspection.getSchemas();
    const { rows } =
      schemas.length === 0
        ? { rows: [] }
        : await sql<{ schema: string }>`select current_schema() as schema`.execute(database.db);
    const migrationTableSchema = rows[0]?.schema;
    const migrator = new Migrator({
      db: database.db,
      provider: migrationProvider,
      ...(migrationTableSchema ? { migrationTableSchema } : {}),
    });
    expect((await migrator.migrateTo('0007-audit-actor')).error).toBeUndefined();
    const at = '2026-01-01T00:00:00.000Z';
    await sql`insert into models (id, name, description, owner, created_by, created_at, updated_at)
      values ('m1', 'old', '', 'token:a', 'token:a', ${at}, ${at})`.execute(database.db);
    await sql`insert into alias_events (id, model_id, alias, from_version_id, to_version_id, actor, reason, at)
      values ('e1', 'm1', 'prod', null, null, 'token:a', null, ${at})`.execute(database.db);
    expect(await migrateToLatest(database.db)).toEqual(
      allMigrations.slice(allMigrations.indexOf('0008-registry-actor-names')),
    );
    const store = createRegistrySqlStore(database.db, database.capabilities);
    expect(await store.findModelByName('old')).toMatchObject({ createdBy: 'token:a', createdByName: null });
    expect((await store.listAliasEvents('m1', 'prod', { limit: 5 })).items).toEqual([
      expect.objectContaining({ actor: 'token:a', actorName: null }),
    ]);
  });

  it('gives every table a primary key', async () => {
    const database = open();
    await migrateToLatest(database.db);
    const tables = await tablesWithPrimaryKeyFlag(t, database);
    expect(tables.map((r) => r.table)).toEqual(
      expect.arrayContaining([
        'models',
        'model_tags',
        'versions',
        'version_files',
        'aliases',
        'alias_events',
        'blobs',
        'attestations',
        'deploy_requests',
        'deploy_approvals',
        'deploy_revisions',
        'deployments',
        'deploy_live',
      ]),
    );
    expect(tables.filter((r) => !r.hasPrimaryKey).map((r) => r.table)).toEqual([]);
  });
});

async function tablesWithPrimaryKeyFlag(
  t: TestDatabase,
  database: SqlDatabase,
): Promise<{ table: string; hasPrimaryKey: boolean }[]> {
  if (t.name === 'sqlite') {
    const { rows } = await sql<{ table: string; pk_columns: number }>`
      select m.name as "table", (select count(*) from pragma_table_info(m.name) where pk > 0) as pk_columns
      from sqlite_master m
      where m.type = 'table' and m.name not like 'sqlite_%'
      order by m.name`.execute(database.db);
    return rows.map((r) => ({ table: r.table, hasPrimaryKey: Number(r.pk_columns) > 0 }));
  }
  const { rows } = await sql<{ table: string; pk_count: number }>`
    select t.table_name as "table",
      (select count(*) from information_schema.table_constraints c
        where c.table_schema = t.table_schema and c.table_name = t.table_name
          and c.constraint_type = 'PRIMARY KEY') as pk_count
    from information_schema.tables t
    where t.table_schema = current_schema() and t.table_type = 'BASE TABLE'
    order by t.table_name`.execute(database.db);
  return rows.map((r) => ({ table: r.table, hasPrimaryKey: Number(r.pk_count) > 0 }));
}
