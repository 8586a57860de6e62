import type { CallContext } from '../../platform/call-context.js';
import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';
import { roles as allRoles, type Principal, type Role, tokenPrincipalId } from '../../platform/principal.js';
import { isSlug } from '../../platform/slug.js';
import type { ResourceRef } from '../policy/index.js';
import { generateApiToken, parseApiToken, secretMatches } from './api-token.js';
import type { AuthFailureReason, AuthResult } from './auth-result.js';
import {
  invalidAccountName,
  invalidRole,
  invalidTeam,
  rolesRequired,
  tokenNotFound,
} from './identity.errors.js';
import type { IdentityEvent } from './identity.events.js';
import type { IdentityStores, IdentityUnitOfWork, PrincipalRecord, TokenRecord } from './identity.ports.js';
import { type IssuedToken, type TokenView, tokenView } from './identity.views.js';
import { resolveTokenExpiry } from './token-expiry.js';

/** How often, at most, a token's last-used time is written: authentication must not write per request. */
export const lastUsedResolutionMs = 60_000;

export type IdentityAction = 'identity:token:create' | 'identity:token:list' | 'identity:token:revoke';

/**
 * What identity needs from policy and audit: the one access contract, speaking identity events, recorded on
 * the stores of the use case's transaction (`S`, which holds the audit store in the application).
 */
export interface IdentityAccess<S> {
  require(context: CallContext, action: IdentityAction, resource: ResourceRef): Promise<void>;
  record(stores: S, context: CallContext | null, event: IdentityEvent): Promise<void>;
}

export interface IssueTokenInput {
  /** The service account's name (a slug); the token is issued to principal "service:<name>". */
  name: string;
  roles: string[];
  teams?: string[];
  /** A duration (30d, 12h, 90m), a date or a date-time with a zone; default 90 days. */
  expires?: string;
}

export interface IdentityServiceDeps<S extends IdentityStores> {
  uow: IdentityUnitOfWork<S>;
  /** Stores on the root connection, for the per-request token lookup (no transaction). */
  read: IdentityStores;
  clock: Clock;
  logger: Pick<Logger, 'warn'>;
  /** `require` throws (forbidden) unless the caller may act; `record` writes on the use case's transaction. */
  access: IdentityAccess<S>;
}

export type IdentityService = ReturnType<typeof createIdentityService>;

/** Service accounts and their API tokens: issue (secret shown once), list, revoke, authenticate. */
export function createIdentityService<S extends IdentityStores>(deps: IdentityServiceDeps<S>) {
  const { uow, read, clock, logger, access } = deps;
  // Events carry the request that caused them (its id and client address) into the audit log.
  const recorderFor = (context: CallContext) => (stores: S, event: IdentityEvent) =>
    access.record(stores, context, event);
  const fail = (reason: AuthFailureReason): AuthResult => ({ ok: false, reason });

  return {
    async issueToken(input: IssueTokenInput, context: CallContext): Promise<IssuedToken> {
      const caller = context.principal;
      const recordEvent = recorderFor(context);
      if (!isSlug(input.name)) throw invalidAccountName(input.name);
      const grant = { roles: normalizeRoles(input.roles), teams: normalizeTeams(input.teams ?? []) };
      const now = clock.now();
      const at = now.toISOString();
      const expiresAt = resolveTokenExpiry(input.expires, now).toISOString();
      const principalId = `service:${input.name}`;
      await access.require(context, 'identity:token:create', {
        type: 'Token',
        principal: principalId,
        ...grant,
      });

      return uow.run(async (stores) => {
        await upsertServicePrincipal(stores, recordEvent, {
          id: principalId,
          name: input.name,
          ...grant,
          actor: caller.id,
          at,
        });
        const generated = generateApiToken();
        const record: TokenRecord = {
          id: generated.id,
          secretHash: generated.secretHash,
          name: input.name,
          principalId,
          ...grant,
          createdBy: caller.id,
          createdAt: at,
          expiresAt,
          lastUsedAt: null,
          revokedAt: null,
          revokedBy: null,
        };
        await stores.identity.insertToken(record);
        await recordEvent(stores, tokenCreatedEvent(record, false));
        return {
          id: record.id,
          token: generated.token,
          name: record.name,
          principal: principalId,
          roles: record.roles,
          teams: record.teams,
          expiresAt: record.expiresAt,
          createdAt: record.createdAt,
        };
      });
    },

    async listTokens(context: CallContext): Promise<TokenView[]> {
      await access.require(context, 'identity:token:list', { type: 'Registry' });
      const all = await read.identity.listTokens();
      // A team-scoped administrator lists only the tokens it could have issued or may revoke: those whose
      // teams are all among its own. Unscoped tokens and other teams' stay out of its sight.
      const { unscoped, teams } = context.principal;
      const visible = unscoped
        ? all
        : all.filter((t) => t.teams.length > 0 && t.teams.every((x) => teams.includes(x)));
      return visible.map(tokenView);
    },

    /** Revokes a token; revoking one already revoked changes nothing and answers it as it is. */
    async revokeToken(id: string, context: CallContext): Promise<TokenView> {
      const caller = context.principal;
      const recordEvent = recorderFor(context);
      const existing = await read.identity.findToken(id);
      if (!existing) throw tokenNotFound(id);
      await access.require(context, 'identity:token:revoke', {
        type: 'Token',
        id,
        principal: existing.principalId,
        roles: existing.roles,
        teams: existing.teams,
      });
      return uow.run(async (stores) => {
        const at = clock.now().toISOString();
        if (await stores.identity.revokeToken(id, at, caller.id)) {
          await recordEvent(stores, {
            type: 'identity.token.revoked',
            actor: caller.id,
            at,
            tokenId: id,
            principalId: existing.principalId,
            teams: existing.teams,
          });
        }
        const after = await stores.identity.findToken(id);
        if (!after) throw tokenNotFound(id);
        return tokenView(after);
      });
    },

    /**
     * Checks a presented API token. Every failure is reported with its precise reason for the audit log;
     * callers answer all of them alike. The secret is compared in constant time, also for unknown ids.
     */
    async authenticateToken(presented: string): Promise<AuthResult> {
      const parsed = parseApiToken(presented);
      if (!parsed) return fail('malformed_credentials');
      const record = await read.identity.findToken(parsed.id);
      const matches = secretMatches(parsed.secret, record?.secretHash ?? null);
      if (!record) return fail('unknown_token');
      if (!matches) return fail('secret_mismatch');
      if (record.revokedAt !== null) return fail('token_revoked');
      const now = clock.now();
      if (record.expiresAt !== null && Date.parse(record.expiresAt) <= now.getTime())
        return fail('token_expired');

      const staleAt = now.getTime() - lastUsedResolutionMs;
      if (record.lastUsedAt === null || Date.parse(record.lastUsedAt) <= staleAt) {
        // Bookkeeping only: a failed write must not turn a valid request away.
        await read.identity
          .touchToken(record.id, now.toISOString(), new Date(staleAt).toISOString())
          .catch((err: unknown) => logger.warn({ err, tokenId: record.id }, 'could not record token use'));
      }
      return { ok: true, principal: tokenPrincipal(record) };
    },
  };
}

/** The principal a live token authenticates as. */
export function tokenPrincipal(record: TokenRecord): Principal {
  return {
    // The token itself, never its name: a token named "admin" is not the service account "admin".
    id: tokenPrincipalId(record.id),
    kind: record.principalId.startsWith('user:') ? 'user' : 'service',
    name: record.name,
    roles: [...record.roles],
    teams: [...record.teams],
    // A token issued with no teams is the explicit unscoped grant: only an unscoped admin can issue one
    // (policy token-scope), so an empty list here was chosen, not defaulted.
    unscoped: record.teams.length === 0,
    via: { kind: 'token', tokenId: record.id },
  };
}

/**
 * The principal a token authenticates as now, or null when it is revoked or expired: how a decision made
 * earlier with a token (an approval) is re-checked later.
 */
export function liveTokenPrincipal(record: TokenRecord | null, now: Date): Principal | null {
  if (!record || record.revokedAt !== null) return null;
  if (record.expiresAt !== null && Date.parse(record.expiresAt) <= now.getTime()) return null;
  return tokenPrincipal(record);
}

/** Creates the service account, or brings its recorded roles and teams up to this issue's. */
export async function upsertServicePrincipal<S extends IdentityStores>(
  stores: S,
  recordEvent: (stores: S, event: IdentityEvent) => Promise<void>,
  p: { id: string; name: string; roles: Role[]; teams: string[]; actor: string; at: string },
): Promise<void> {
  const existing = await stores.identity.findPrincipal(p.id);
  if (!existing) {
    const record: PrincipalRecord = {
      id: p.id,
      kind: 'service',
      name: p.name,
      roles: p.roles,
      teams: p.teams,
      createdBy: p.actor,
      createdAt: p.at,
      updatedAt: p.at,
    };
    await stores.identity.insertPrincipal(record);
    await recordEvent(stores, {
      type: 'identity.principal.created',
      actor: p.actor,
      at: p.at,
      principal: { id: p.id, kind: 'service', name: p.name, roles: p.roles, teams: p.teams },
    });
    return;
  }
  if (sameList(existing.roles, p.roles) && sameList(existing.teams, p.teams)) return;
  await stores.identity.updatePrincipal(p.id, { roles: p.roles, teams: p.teams, updatedAt: p.at });
  await recordEvent(stores, {
    type: 'identity.principal.updated',
    actor: p.actor,
    at: p.at,
    principalId: p.id,
    roles: p.roles,
    teams: p.teams,
    previous: { roles: existing.roles, teams: existing.teams },
  });
}

export function tokenCreatedEvent(t: TokenRecord, bootstrap: boolean): IdentityEvent {
  return {
    type: 'identity.token.created',
    actor: t.createdBy,
    at: t.createdAt,
    tokenId: t.id,
    name: t.name,
    principalId: t.principalId,
    roles: t.roles,
    teams: t.teams,
    expiresAt: t.expiresAt,
    bootstrap,
  };
}

/** Known roles only, each once, in the catalogue's order. */
function normalizeRoles(input: string[]): Role[] {
  if (input.length === 0) throw rolesRequired();
  for (const r of input) if (!(allRoles as readonly string[]).includes(r)) throw invalidRole(r);
  return allRoles.filter((r) => input.includes(r));
}

function normalizeTeams(input: string[]): string[] {
  for (const t of input) if (!isSlug(t)) throw invalidTeam(t);
  return [...new Set(input)].sort();
}

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((v, i) => v === b[i]);
