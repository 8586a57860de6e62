import type { Role } from '../../platform/principal.js';
import type { UnitOfWork } from '../../platform/unit-of-work.js';
import type { IdentityStore } from './identity.ports.js';

/** How a console session was started: with a pasted API token, or by signing in at the OIDC issuer. */
export type SessionOrigin = 'token' | 'oidc';

/** Why a console session ended before its expiry. */
export type SessionEndReason = 'logout' | 'revoked-token' | 'expired-token';

/** A console session as stored: the cookie's secret never is, only its SHA-256. */
export interface ConsoleSessionRecord {
  /** UUIDv7; the cookie's first half. */
  id: string;
  secretHash: string;
  via: SessionOrigin;
  principalId: string;
  /**
   * The principal as it was at sign-in. An OIDC session acts as this until it ends; a token session acts
   * as its token says on each request (this is then a record only).
   */
  principal: { kind: 'user' | 'service'; name: string; roles: Role[]; teams: string[]; unscoped: boolean };
  /** The token a token session was started with (it ends when the token is revoked or expires). */
  tokenId: string | null;
  /** The OIDC issuer and subject of an OIDC session. */
  issuer: string | null;
  subject: string | null;
  createdAt: string;
  /** Written at most once a minute; the idle expiry counts from it. */
  lastSeenAt: string;
  /** The absolute expiry (for a token session, never later than the token's own). */
  expiresAt: string;
  endedAt: string | null;
  endReason: SessionEndReason | null;
}

/**
 * An OIDC sign-in between the redirect to the issuer and its callback: what the callback is checked
 * against, kept in the database so that any server can finish it, and bound to the browser that began it.
 */
export interface PendingLoginRecord {
  id: string;
  /** SHA-256 (hex) of the `state` sent to the issuer: the callback's lookup key. */
  stateHash: string;
  /** SHA-256 (hex) of the random value in the browser's login cookie. */
  bindingHash: string;
  /** The PKCE verifier and the ID token nonce, needed by the code exchange. */
  codeVerifier: string;
  nonce: string;
  /** A same-origin path, checked before it was stored. */
  returnTo: string;
  createdAt: string;
  expiresAt: string;
  /** Set by the one callback that used it; a second is a replay. */
  consumedAt: string | null;
}

/** Persistence of console sessions and pending OIDC sign-ins, on the transaction the store was built on. */
export interface ConsoleSessionStore {
  insertSession(session: ConsoleSessionRecord): Promise<void>;
  findSession(id: string): Promise<ConsoleSessionRecord | null>;
  /** Sets last_seen_at = at where it is not later than `staleAt`, so concurrent requests write once. */
  touchSession(id: string, at: string, staleAt: string): Promise<void>;
  /** Ends a live session; false when it had already ended (the first end is kept). */
  endSession(id: string, at: string, reason: SessionEndReason): Promise<boolean>;
  insertPendingLogin(login: PendingLoginRecord): Promise<void>;
  findPendingLogin(stateHash: string): Promise<PendingLoginRecord | null>;
  /** Marks a pending sign-in used; false when it already was (a replayed callback). */
  consumePendingLogin(id: string, at: string): Promise<boolean>;
  /** Pending sign-ins not yet expired at `now`. */
  countPendingLogins(now: string): Promise<number>;
  /**
   * Deletes at most `limit` sessions that ended, expired (`expires_at <= now`) or went idle
   * (`last_seen_at <= idleBefore`), and at most `limit` expired pending sign-ins.
   */
  sweep(input: {
    now: string;
    idleBefore: string;
    limit: number;
  }): Promise<{ sessions: number; logins: number }>;
}

/** The stores console sessions need: their own, and identity's (the token a session was started with). */
export interface ConsoleSessionStores {
  identity: IdentityStore;
  consoleSessions: ConsoleSessionStore;
}

export type ConsoleSessionUnitOfWork<S extends ConsoleSessionStores = ConsoleSessionStores> = UnitOfWork<S>;
