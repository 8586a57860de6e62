import type { Kysely, Selectable } from 'kysely';
import type { IdentityStore, PrincipalRecord, TokenRecord } from '../../modules/identity/identity.ports.js';
import type { Role } from '../../platform/principal.js';
import type { Database } from './database.js';

/** Kysely's view of the identity tables (migration 0003); roles and teams are JSON arrays in TEXT. */
// Type aliases, not interfaces: Kysely's withTables wants an index-signature-compatible shape.
export type IdentityTables = {
  principals: PrincipalsTable;
  api_tokens: ApiTokensTable;
};

export type PrincipalsTable = {
  id: string;
  kind: string;
  name: string;
  roles: string;
  teams: string;
  created_by: string;
  created_at: string;
  updated_at: string;
};

export type ApiTokensTable = {
  id: string;
  secret_hash: string;
  name: string;
  principal_id: string;
  roles: string;
  teams: string;
  created_by: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
  revoked_by: string | null;
};

/** The identity store bound to one connection or transaction. */
export function createIdentitySqlStore(executor: Kysely<Database>): IdentityStore {
  // withTables keeps this typed whether or not Database lists the identity tables yet.
  const db = executor.withTables<IdentityTables>();
  return {
    async isEmpty() {
      const principal = await db.selectFrom('principals').select('id').limit(1).executeTakeFirst();
      if (principal) return false;
      const token = await db.selectFrom('api_tokens').select('id').limit(1).executeTakeFirst();
      return !token;
    },

    async findPrincipal(id) {
      const row = await db.selectFrom('principals').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toPrincipal(row) : null;
    },

    async insertPrincipal(p) {
      await db
        .insertInto('principals')
        .values({
          id: p.id,
          kind: p.kind,
          name: p.name,
          roles: JSON.stringify(p.roles),
          teams: JSON.stringify(p.teams),
          created_by: p.createdBy,
          created_at: p.createdAt,
          updated_at: p.updatedAt,
        })
        .execute();
    },

    async updatePrincipal(id, patch) {
      await db
        .updateTable('principals')
        .set({
          roles: JSON.stringify(patch.roles),
          teams: JSON.stringify(patch.teams),
          updated_at: patch.updatedAt,
        })
        .where('id', '=', id)
        .execute();
    },

    async insertToken(t) {
      await db
        .insertInto('api_tokens')
        .values({
          id: t.id,
          secret_hash: t.secretHash,
          name: t.name,
          principal_id: t.principalId,
          roles: JSON.stringify(t.roles),
          teams: JSON.stringify(t.teams),
          created_by: t.createdBy,
          created_at: t.createdAt,
          expires_at: t.expiresAt,
          last_used_at: t.lastUsedAt,
          revoked_at: t.revokedAt,
          revoked_by: t.revokedBy,
        })
        .execute();
    },

    async findToken(id) {
      const row = await db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toToken(row) : null;
    },

    async listTokens() {
      const rows = await db
        .selectFrom('api_tokens')
        .selectAll()
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toToken);
    },

    async touchToken(id, at, staleAt) {
      await db
        .updateTable('api_tokens')
        .set({ last_used_at: at })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', staleAt)]))
        .execute();
    },

    async revokeToken(id, at, by) {
      const result = await db
        .updateTable('api_tokens')
        .set({ revoked_at: at, revoked_by: by })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}

function toPrincipal(row: Selectable<PrincipalsTable>): PrincipalRecord {
  return {
    id: row.id,
    kind: row.kind === 'user' ? 'user' : 'service',
    name: row.name,
    roles: JSON.parse(row.roles) as Role[],
    teams: JSON.parse(row.teams) as string[],
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toToken(row: Selectable<ApiTokensTable>): TokenRecord {
  return {
    id: row.id,
    secretHash: row.secret_hash,
    name: row.name,
    principalId: row.principal_id,
    roles: JSON.parse(row.roles) as Role[],
    teams: JSON.parse(row.teams) as string[],
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    revokedBy: row.revoked_by,
  };
}
