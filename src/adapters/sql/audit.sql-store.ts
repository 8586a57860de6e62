import { setImmediate } from 'node:timers/promises';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { AuditEntry, AuditStore, Checkpoint } from '../../modules/audit/index.js';
import type { Page } from '../../modules/registry/index.js';
import type { Database } from './database.js';
import type { SqlCapabilities } from './db.js';

/** The audit tables (migration 0002-audit). */
export type AuditTables = {
  audit_entries: AuditEntriesTable;
  audit_head: { id: number; seq: number; hash: string };
  audit_checkpoints: { size: number; hash: string; note: string; at: string };
};

export type AuditEntriesTable = {
  seq: number;
  id: string;
  at: string;
  action: string;
  outcome: string;
  principal: string | null;
  resource: string | null;
  request_id: string | null;
  client_address: string | null;
  details: string | null;
  /** Migration 0007: null in older entries, and then left out of the entry (and its hash). */
  actor_name: string | null;
  credential: string | null;
  team: string | null;
  prev_hash: string;
  hash: string;
};

/** The audit store bound to one connection or transaction. It has no way to change or remove a row. */
export function createAuditSqlStore(executor: Kysely<Database>, capabilities: SqlCapabilities): AuditStore {
  // withTables keeps the executor (a transaction stays that transaction).
  const db = executor.withTables<AuditTables>();
  const readHead = async (lock: boolean) => {
    let q = db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1);
    if (lock && capabilities.rowLocks) q = q.forUpdate();
    const row = await q.executeTakeFirst();
    return row ? { seq: Number(row.seq), hash: row.hash } : null;
  };

  return {
    lockHead: () => readHead(true),
    head: () => readHead(false),

    async insert(e) {
      await db
        .insertInto('audit_entries')
        .values({
          seq: e.seq,
          id: e.id,
          at: e.at,
          action: e.action,
          outcome: e.outcome,
          principal: e.principal,
          resource: e.resource,
          request_id: e.requestId,
          client_address: e.clientAddress,
          details: e.details === undefined ? null : JSON.stringify(e.details),
          actor_name: e.actorName ?? null,
          credential: e.credential == null ? null : JSON.stringify(e.credential),
          team: e.team ?? null,
          prev_hash: e.prevHash,
          hash: e.hash,
        })
        .execute();
    },

    async setHead({ seq, hash }) {
      await db
        .insertInto('audit_head')
        .values({ id: 1, seq, hash })
        .onConflict((oc) => oc.column('id').doUpdateSet({ seq, hash }))
        .execute();
    },

    async list({ teams, principal, action, resource, outcome, since, until, limit, after, order }) {
      let q = db.selectFrom('audit_entries').selectAll();
      // A scoped view with no team sees nothing; `in ()` is not valid SQL, so say it another way.
      if (teams !== undefined)
        q = teams.length ? q.where('team', 'in', [...teams]) : q.where(sql<boolean>`1 = 0`);
      if (principal !== undefined) q = q.where('principal', '=', principal);
      if (action !== undefined) q = q.where('action', '=', action);
      if (resource !== undefined) q = q.where('resource', '=', resource);
      if (outcome !== undefined) q = q.where('outcome', '=', outcome);
      if (since !== undefined) q = q.where('at', '>=', since);
      if (until !== undefined) q = q.where('at', '<', until);
      if (after !== undefined) q = q.where('seq', order === 'asc' ? '>' : '<', after);
      const rows = await q
        .orderBy('seq', order)
        .limit(limit + 1)
        .execute();
      const items = rows.slice(0, limit).map(toEntry);
      const last = items[items.length - 1];
      return {
        items,
        next: rows.length > limit && last ? String(last.seq) : null,
      } satisfies Page<AuditEntry>;
    },

    async *scan(fromSeq, batch) {
      let from = fromSeq;
      for (;;) {
        const rows = await db
          .selectFrom('audit_entries')
          .selectAll()
          .where('seq', '>=', from)
          .orderBy('seq')
          .limit(batch)
          .execute();
        for (const row of rows) yield toEntry(row);
        const last = rows[rows.length - 1];
        if (!last || rows.length < batch) return;
        from = Number(last.seq) + 1;
        // SQLite answers synchronously, so a whole-log verification or export would otherwise hold the
        // event loop from its first page to its last (seconds for 100,000 entries): every other request
        // waited. One turn of the loop per page lets them in.
        await setImmediate();
      }
    },

    async count() {
      const row = await db
        .selectFrom('audit_entries')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    async insertCheckpoint(cp) {
      await db.insertInto('audit_checkpoints').values(cp).execute();
    },

    async listCheckpoints() {
      const rows = await db.selectFrom('audit_checkpoints').selectAll().orderBy('size').execute();
      return rows.map(toCheckpoint);
    },

    async latestCheckpoint() {
      const row = await db
        .selectFrom('audit_checkpoints')
        .selectAll()
        .orderBy('size', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row ? toCheckpoint(row) : null;
    },
  };
}

function toEntry(row: Selectable<AuditEntriesTable>): AuditEntry {
  return {
    seq: Number(row.seq),
    id: row.id,
    at: row.at,
    action: row.action,
    outcome: row.outcome as AuditEntry['outcome'],
    principal: row.principal,
    resource: row.resource,
    requestId: row.request_id,
    clientAddress: row.client_address,
    ...(row.actor_name === null ? {} : { actorName: row.actor_name }),
    ...(row.credential === null ? {} : { credential: JSON.parse(row.credential) }),
    ...(row.team === null ? {} : { team: row.team }),
    ...(row.details === null ? {} : { details: JSON.parse(row.details) }),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

function toCheckpoint(row: Selectable<AuditTables['audit_checkpoints']>): Checkpoint {
  return { size: Number(row.size), hash: row.hash, note: row.note, at: row.at };
}
