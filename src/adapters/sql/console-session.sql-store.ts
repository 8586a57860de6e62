import type { Kysely, Selectable } from 'kysely';
import type {
  ConsoleSessionRecord,
  ConsoleSessionStore,
  PendingLoginRecord,
  SessionEndReason,
} from '../../modules/identity/index.js';
import type { Role } from '../../platform/principal.js';
import type { Database } from './database.js';

/** Kysely's view of the console tables (migration 0013-console-sessions). */
export type ConsoleSessionTables = {
  console_sessions: ConsoleSessionsTable;
  console_pending_logins: PendingLoginsTable;
};

export type ConsoleSessionsTable = {
  id: string;
  secret_hash: string;
  via: string;
  principal_id: string;
  principal: string;
  token_id: string | null;
  issuer: string | null;
  subject: string | null;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ended_at: string | null;
  end_reason: string | null;
};

export type PendingLoginsTable = {
  id: string;
  state_hash: string;
  binding_hash: string;
  code_verifier: string;
  nonce: string;
  return_to: string;
  created_at: string;
  expires_at: string;
  consumed_at: string | null;
};

/** The console session store bound to one connection or transaction. */
export function createConsoleSessionSqlStore(executor: Kysely<Database>): ConsoleSessionStore {
  const db = executor.withTables<ConsoleSessionTables>();
  return {
    async insertSession(s) {
      await db
        .insertInto('console_sessions')
        .values({
          id: s.id,
          secret_hash: s.secretHash,
          via: s.via,
          principal_id: s.principalId,
          principal: JSON.stringify(s.principal),
          token_id: s.tokenId,
          issuer: s.issuer,
          subject: s.subject,
          created_at: s.createdAt,
          last_seen_at: s.lastSeenAt,
          expires_at: s.expiresAt,
          ended_at: s.endedAt,
          end_reason: s.endReason,
        })
        .execute();
    },

    async findSession(id) {
      const row = await db.selectFrom('console_sessions').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toSession(row) : null;
    },

    async touchSession(id, at, staleAt) {
      await db
        .updateTable('console_sessions')
        .set({ last_seen_at: at })
        .where('id', '=', id)
        .where('last_seen_at', '<=', staleAt)
        .execute();
    },

    async endSession(id, at, reason) {
      const result = await db
        .updateTable('console_sessions')
        .set({ ended_at: at, end_reason: reason })
        .where('id', '=', id)
        .where('ended_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async insertPendingLogin(p) {
      await db
        .insertInto('console_pending_logins')
        .values({
          id: p.id,
          state_hash: p.stateHash,
          binding_hash: p.bindingHash,
          code_verifier: p.codeVerifier,
          nonce: p.nonce,
          return_to: p.returnTo,
          created_at: p.createdAt,
          expires_at: p.expiresAt,
          consumed_at: p.consumedAt,
        })
        .execute();
    },

    async findPendingLogin(stateHash) {
      const row = await db
        .selectFrom('console_pending_logins')
        .selectAll()
        .where('state_hash', '=', stateHash)
        .executeTakeFirst();
      return row ? toPendingLogin(row) : null;
    },

    async consumePendingLogin(id, at) {
      const result = await db
        .updateTable('console_pending_logins')
        .set({ consumed_at: at })
        .where('id', '=', id)
        .where('consumed_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async countPendingLogins(now) {
      const row = await db
        .selectFrom('console_pending_logins')
        .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
        .where('expires_at', '>', now)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async sweep({ now, idleBefore, limit }) {
      // Bounded batches: the ids first, then a delete by id (neither dialect needs DELETE … LIMIT).
      const sessions = await db
        .selectFrom('console_sessions')
        .select('id')
        .where((eb) =>
          eb.or([
            eb('ended_at', 'is not', null),
            eb('expires_at', '<=', now),
            eb('last_seen_at', '<=', idleBefore),
          ]),
        )
        .limit(limit)
        .execute();
      if (sessions.length > 0)
        await db
          .deleteFrom('console_sessions')
          .where(
            'id',
            'in',
            sessions.map((s) => s.id),
          )
          .execute();
      const logins = await db
        .selectFrom('console_pending_logins')
        .select('id')
        .where('expires_at', '<=', now)
        .limit(limit)
        .execute();
      if (logins.length > 0)
        await db
          .deleteFrom('console_pending_logins')
          .where(
            'id',
            'in',
            logins.map((l) => l.id),
          )
          .execute();
      return { sessions: sessions.length, logins: logins.length };
    },
  };
}

function toSession(row: Selectable<ConsoleSessionsTable>): ConsoleSessionRecord {
  const p = JSON.parse(row.principal) as ConsoleSessionRecord['principal'];
  return {
    id: row.id,
    secretHash: row.secret_hash,
    via: row.via === 'oidc' ? 'oidc' : 'token',
    principalId: row.principal_id,
    principal: {
      kind: p.kind === 'user' ? 'user' : 'service',
      name: p.name,
      roles: p.roles as Role[],
      teams: p.teams,
      unscoped: p.unscoped === true,
    },
    tokenId: row.token_id,
    issuer: row.issuer,
    subject: row.subject,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
    endedAt: row.ended_at,
    endReason: row.end_reason as SessionEndReason | null,
  };
}

function toPendingLogin(row: Selectable<PendingLoginsTable>): PendingLoginRecord {
  return {
    id: row.id,
    stateHash: row.state_hash,
    bindingHash: row.binding_hash,
    codeVerifier: row.code_verifier,
    nonce: row.nonce,
    returnTo: row.return_to,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    consumedAt: row.consumed_at,
  };
}
