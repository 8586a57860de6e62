import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultAutocheckpointPages, startWalCheckpointer } from './wal-checkpointer.js';

const dirs: string[] = [];
function database() {
  const dir = mkdtempSync(path.join(tmpdir(), 'warden-wal-'));
  dirs.push(dir);
  const file = path.join(dir, 'warden.db');
  const db = new SqliteDatabase(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB)');
  return { db, file };
}
/** About 4 MiB in 64 commits: above SQLite's default threshold, far below the raised one. */
function write(db: SqliteDatabase.Database) {
  const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
  for (let i = 0; i < 64; i++) db.transaction(() => insert.run(Buffer.alloc(64 * 1024, i)))();
}
const until = async (check: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the WAL checkpointer', () => {
  it('checkpoints from its worker: the log reaches the database file while the serving connection never checkpoints', async () => {
    const { db, file } = database();
    const checkpointer = startWalCheckpointer(db, file, { everyMs: 20 });
    expect(await checkpointer.ready).toBe(true);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(16_384);
    const before = statSync(file).size;
    write(db);
    // The serving connection's threshold (64 MiB) was not reached, so only the worker can have copied the
    // ~4 MiB of the log into the database file.
    await until(() => statSync(file).size > before + 3 * 1024 * 1024);
    // (the file grows while the worker copies; its count arrives once the pragma returns)
    await until(() => checkpointer.checkpoints() > 0);
    expect((db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n).toBe(64);
    await checkpointer.stop();
    db.close();
  });

  it('without it, the same writes stay in the log (the comparison the first test relies on)', () => {
    const { db, file } = database();
    db.pragma('wal_autocheckpoint = 16384');
    const before = statSync(file).size;
    write(db);
    expect(statSync(file).size).toBe(before);
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(4 * 1024 * 1024);
    db.close();
  });

  it('fails safe: a worker that cannot open the file, or dies, gives the serving connection its default threshold back', async () => {
    const { db, file } = database();
    const missing = startWalCheckpointer(db, path.join(path.dirname(file), 'absent.db'), { everyMs: 20 });
    expect(await missing.ready).toBe(false);
    await until(() => db.pragma('wal_autocheckpoint', { simple: true }) === defaultAutocheckpointPages);
    await missing.stop();

    const checkpointer = startWalCheckpointer(db, file, { everyMs: 20 });
    expect(await checkpointer.ready).toBe(true);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(16_384);
    await checkpointer.stop();
    // Stopped on purpose (the database is closing): the threshold is left as it is.
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(16_384);
    db.close();
  });
});
