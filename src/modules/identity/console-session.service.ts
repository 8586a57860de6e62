import type { CallContext } from '../../platform/call-context.js';
import type { Clock } from '../../platform/clock.js';
import { newId } from '../../platform/ids.js';
import type { Logger } from '../../platform/logger.js';
import type { Principal } from '../../platform/principal.js';
import { hashSecret, secretMatches } from './api-token.js';
import type { AuthFailureReason, AuthResult } from './auth-result.js';
import type {
  ConsoleSessionRecord,
  ConsoleSessionStores,
  ConsoleSessionUnitOfWork,
  SessionEndReason,
  SessionOrigin,
} from './console-session.ports.js';
import type { IdentityEvent } from './identity.events.js';
import { lastUsedResolutionMs, liveTokenPrincipal } from './identity.service.js';
import {
  csrfTokenOf,
  parseSessionCookie,
  randomSecret,
  sameSecret,
  sessionCookieValue,
} from './session-secret.js';

export interface ConsoleSessionSettings {
  /** A session unused this long ends. */
  idleMinutes: number;
  /** A session ends this long after it began, however much it is used. */
  absoluteHours: number;
}

/** The request a sign-in came with, before anyone is authenticated: for the audit log. */
export interface RequestOrigin {
  requestId: string | null;
  clientAddress: string | null;
}

/** A live session as its holder sees it (GET /api/v1/session), and as requests on it act. */
export interface SessionView {
  id: string;
  via: SessionOrigin;
  /** Who requests on this session act as; `via` names the session and what it was started with. */
  principal: Principal;
  /** The header x-warden-csrf every unsafe request on the session carries. */
  csrfToken: string;
  idleExpiresAt: string;
  expiresAt: string;
}

export type SessionAuthResult = { ok: true; session: SessionView } | { ok: false; reason: AuthFailureReason };

/** A session just begun: what its holder is told, and the cookie value (shown once, never stored). */
export interface StartedSession {
  session: SessionView;
  cookie: string;
}

export interface ConsoleSessionServiceDeps<S extends ConsoleSessionStores> {
  uow: ConsoleSessionUnitOfWork<S>;
  /** Stores on the root connection, for the per-request lookups (no transaction). */
  read: ConsoleSessionStores;
  clock: Clock;
  logger: Pick<Logger, 'warn'>;
  /** Records identity's events on the use case's transaction (the access contract's `record`). */
  access: { record(stores: S, context: CallContext | null, event: IdentityEvent): Promise<void> };
  /** Checks a pasted API token exactly as a bearer one is checked. */
  tokens: { authenticateToken(token: string): Promise<AuthResult> };
  settings: ConsoleSessionSettings;
}

export type ConsoleSessionService = ReturnType<typeof createConsoleSessionService>;

const minute = 60_000;

/**
 * Console sessions: begun with an API token or an OIDC sign-in, held by the browser as an HttpOnly cookie
 * (`<id>.<secret>`, only the secret's hash stored), ended by signing out, by idle or absolute expiry, and
 * (for a token session) when its token is revoked or expires. Requests on a session act as the principal
 * the token or the sign-in gives, so policy decides exactly as for a bearer call.
 */
export function createConsoleSessionService<S extends ConsoleSessionStores>(
  deps: ConsoleSessionServiceDeps<S>,
) {
  const { uow, read, clock, logger, access, settings } = deps;
  const idleMs = settings.idleMinutes * minute;
  const fail = (reason: AuthFailureReason): SessionAuthResult => ({ ok: false, reason });

  const viewOf = (record: ConsoleSessionRecord, secret: string, principal: Principal): SessionView => {
    const idleEnd = Math.min(Date.parse(record.lastSeenAt) + idleMs, Date.parse(record.expiresAt));
    return {
      id: record.id,
      via: record.via,
      principal,
      csrfToken: csrfTokenOf(secret),
      idleExpiresAt: new Date(idleEnd).toISOString(),
      expiresAt: record.expiresAt,
    };
  };

  const endedEvent = (record: ConsoleSessionRecord, reason: SessionEndReason, actor: string, at: string) =>
    ({
      type: 'identity.session.ended',
      actor,
      at,
      sessionId: record.id,
      via: record.via,
      principalId: record.principalId,
      teams: record.principal.teams,
      reason,
    }) satisfies IdentityEvent;

  /** Begins a session for an authenticated principal; its event is written with it. */
  async function start(
    principal: Principal,
    origin: RequestOrigin,
    limit: { tokenExpiresAt: string | null } = { tokenExpiresAt: null },
  ): Promise<StartedSession> {
    const now = clock.now();
    const at = now.toISOString();
    const secret = randomSecret();
    let expires = now.getTime() + settings.absoluteHours * 60 * minute;
    if (limit.tokenExpiresAt !== null) expires = Math.min(expires, Date.parse(limit.tokenExpiresAt));
    const via = principal.via;
    const record: ConsoleSessionRecord = {
      id: newId(),
      secretHash: hashSecret(secret),
      via: via.kind,
      principalId: principal.id,
      principal: {
        kind: principal.kind,
        name: principal.name,
        roles: [...principal.roles],
        teams: [...principal.teams],
        unscoped: principal.unscoped,
      },
      tokenId: via.kind === 'token' ? via.tokenId : null,
      issuer: via.kind === 'oidc' ? via.issuer : null,
      subject: via.kind === 'oidc' ? via.subject : null,
      createdAt: at,
      lastSeenAt: at,
      expiresAt: new Date(expires).toISOString(),
      endedAt: null,
      endReason: null,
    };
    const onSession: Principal = { ...principal, via: { ...via, sessionId: record.id } };
    await uow.run(async (stores) => {
      await stores.consoleSessions.insertSession(record);
      await access.record(
        stores,
        { principal: onSession, ...origin },
        {
          type: 'identity.session.started',
          actor: principal.id,
          at,
          sessionId: record.id,
          via: record.via,
          principalId: record.principalId,
          teams: record.principal.teams,
          tokenId: record.tokenId,
          issuer: record.issuer,
          subject: record.subject,
          expiresAt: record.expiresAt,
        },
      );
    });
    return { session: viewOf(record, secret, onSession), cookie: sessionCookieValue(record.id, secret) };
  }

  /** Ends a token session whose token no longer works; the system, not the caller, ends it. */
  async function endWithToken(record: ConsoleSessionRecord, reason: SessionEndReason): Promise<void> {
    const at = clock.now().toISOString();
    try {
      await uow.run(async (stores) => {
        if (await stores.consoleSessions.endSession(record.id, at, reason))
          await access.record(stores, null, endedEvent(record, reason, 'system', at));
      });
    } catch (err) {
      // The request is refused either way; the session is refused again on its next use.
      logger.warn({ err, sessionId: record.id }, 'could not end a console session whose token is gone');
    }
  }

  /** Who a token session acts as now, or why not: its token is read on every request. */
  async function tokenSessionPrincipal(
    record: ConsoleSessionRecord,
    now: Date,
  ): Promise<Principal | AuthFailureReason> {
    const token = record.tokenId === null ? null : await read.identity.findToken(record.tokenId);
    const live = liveTokenPrincipal(token, now);
    if (!token || !live) {
      const revoked = !token || token.revokedAt !== null;
      await endWithToken(record, revoked ? 'revoked-token' : 'expired-token');
      return revoked ? 'token_revoked' : 'token_expired';
    }
    // A token used through the console is in use: its last-used time says so (at most once a minute).
    const staleAt = now.getTime() - lastUsedResolutionMs;
    if (token.lastUsedAt === null || Date.parse(token.lastUsedAt) <= staleAt)
      await read.identity
        .touchToken(token.id, now.toISOString(), new Date(staleAt).toISOString())
        .catch((err: unknown) => logger.warn({ err, tokenId: token.id }, 'could not record token use'));
    return { ...live, via: { kind: 'token', tokenId: token.id, sessionId: record.id } };
  }

  return {
    /** Begins a session with a pasted API token, checked exactly as a bearer token is. */
    async signInWithToken(
      token: string,
      origin: RequestOrigin,
    ): Promise<{ ok: true; started: StartedSession } | { ok: false; reason: AuthFailureReason }> {
      const result = await deps.tokens.authenticateToken(token);
      if (!result.ok) return result;
      const via = result.principal.via;
      const record = via.kind === 'token' ? await read.identity.findToken(via.tokenId) : null;
      if (!record) return { ok: false, reason: 'unknown_token' };
      return {
        ok: true,
        started: await start(result.principal, origin, { tokenExpiresAt: record.expiresAt }),
      };
    },

    /** Begins a session for a user the OIDC issuer just signed in; it acts as this principal until it ends. */
    startOidcSession: (principal: Principal, origin: RequestOrigin): Promise<StartedSession> =>
      start(principal, origin),

    /**
     * Checks a session cookie's value: the secret in constant time (also for an unknown id), then expiry,
     * then (for a token session) the token. Every failure has its precise reason for the audit log.
     */
    async authenticate(cookie: string): Promise<SessionAuthResult> {
      const parsed = parseSessionCookie(cookie);
      if (!parsed) return fail('session_malformed');
      const record = await read.consoleSessions.findSession(parsed.id);
      const matches = secretMatches(parsed.secret, record?.secretHash ?? null);
      if (!record) return fail('session_unknown');
      if (!matches) return fail('session_secret_mismatch');
      if (record.endedAt !== null) return fail('session_ended');
      const now = clock.now();
      if (now.getTime() >= Date.parse(record.expiresAt)) return fail('session_expired');
      if (now.getTime() >= Date.parse(record.lastSeenAt) + idleMs) return fail('session_idle_expired');

      const principal =
        record.via === 'token' ? await tokenSessionPrincipal(record, now) : oidcSessionPrincipal(record);
      if (typeof principal === 'string') return fail(principal);

      const staleAt = now.getTime() - lastUsedResolutionMs;
      let lastSeenAt = record.lastSeenAt;
      if (Date.parse(lastSeenAt) <= staleAt) {
        lastSeenAt = now.toISOString();
        // Bookkeeping only: a failed write must not turn a valid request away (the idle expiry then counts
        // from the last write that did happen).
        await read.consoleSessions
          .touchSession(record.id, lastSeenAt, new Date(staleAt).toISOString())
          .catch((err: unknown) => {
            lastSeenAt = record.lastSeenAt;
            logger.warn({ err, sessionId: record.id }, 'could not record console session use');
          });
      }
      return { ok: true, session: viewOf({ ...record, lastSeenAt }, parsed.secret, principal) };
    },

    /** Ends the caller's own session (signing out); ending one already ended changes nothing. */
    async signOut(session: SessionView, context: CallContext): Promise<void> {
      const record = await read.consoleSessions.findSession(session.id);
      if (!record) return;
      const at = clock.now().toISOString();
      await uow.run(async (stores) => {
        if (await stores.consoleSessions.endSession(record.id, at, 'logout'))
          await access.record(stores, context, endedEvent(record, 'logout', context.principal.id, at));
      });
    },

    /** Deletes ended, expired and idle sessions and expired sign-ins, at most `limit` of each. */
    sweep(limit = 1000) {
      const now = clock.now();
      return read.consoleSessions.sweep({
        now: now.toISOString(),
        idleBefore: new Date(now.getTime() - idleMs).toISOString(),
        limit,
      });
    },
  };
}

/** Whether an unsafe request carries its session's CSRF token (constant time). */
export function csrfTokenMatches(session: SessionView, presented: string | undefined): boolean {
  return typeof presented === 'string' && sameSecret(presented, session.csrfToken);
}

/** An OIDC session acts as the principal captured at sign-in (its absolute expiry bounds how long). */
function oidcSessionPrincipal(record: ConsoleSessionRecord): Principal {
  return {
    id: record.principalId,
    ...record.principal,
    roles: [...record.principal.roles],
    teams: [...record.principal.teams],
    via: {
      kind: 'oidc',
      issuer: record.issuer ?? '',
      subject: record.subject ?? '',
      jti: null,
      sessionId: record.id,
    },
  };
}
