import type { Clock } from '../../platform/clock.js';
import { newId } from '../../platform/ids.js';
import type { Principal } from '../../platform/principal.js';
import type { AuthFailureReason, AuthResult } from './auth-result.js';
import type { ConsoleSessionStores, PendingLoginRecord } from './console-session.ports.js';
import type { RequestOrigin, StartedSession } from './console-session.service.js';
import { safeReturnTo } from './return-to.js';
import { randomSecret, sameSecret, sha256Hex } from './session-secret.js';

/** What the callback is checked against: made when the sign-in begins, kept until it ends. */
export interface LoginChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/**
 * The OIDC relying party (adapters/oidc implements it with openid-client): the authorization request
 * (code flow, PKCE S256, state, nonce) and the code exchange, which validates the ID token and maps its
 * claims to a principal as bearer JWTs are mapped.
 */
export interface OidcLoginClient {
  /** The issuer's authorization URL and the checks made for it; throws when the issuer cannot be reached. */
  begin(): Promise<{ url: URL; checks: LoginChecks }>;
  /** Exchanges the callback's code; the ID token never leaves the server. */
  finish(callback: URLSearchParams, checks: LoginChecks): Promise<AuthResult>;
}

/** The `error` of `/sign-in?error=…` after a refused sign-in: short, stable, safe to show. */
export const signInErrorCodes = [
  'state_invalid',
  'browser_mismatch',
  'login_replayed',
  'login_expired',
  'idp_error',
  'token_invalid',
  'teams_required',
  'oidc_unavailable',
  'oidc_disabled',
  'rate_limited',
  'busy',
  'server_error',
] as const;
export type SignInErrorCode = (typeof signInErrorCodes)[number];

export type SignInResult =
  | { ok: true; started: StartedSession; returnTo: string }
  | { ok: false; code: SignInErrorCode; reason: AuthFailureReason };

export interface OidcSignInDeps {
  /** Root-connection stores: a pending sign-in is one row, written and consumed on its own. */
  read: Pick<ConsoleSessionStores, 'consoleSessions'>;
  clock: Clock;
  client: OidcLoginClient;
  sessions: { startOidcSession(principal: Principal, origin: RequestOrigin): Promise<StartedSession> };
  /** How long a sign-in may take at the issuer (default 10 minutes). */
  loginTtlMs?: number;
  /** Most sign-ins pending at once; more are refused (`busy`), so anonymous requests cannot fill the table. */
  maxPendingLogins?: number;
}

export type OidcSignIn = ReturnType<typeof createOidcSignIn>;

/**
 * Signing in to the console at the OIDC issuer. `begin` stores the sign-in (state and binding hashed,
 * verifier, nonce, where to return) and hands back the redirect and the browser binding for a short
 * cookie; `finish` accepts the callback only from that browser, once, in time, then starts the session.
 */
export function createOidcSignIn(deps: OidcSignInDeps) {
  const { read, clock, client } = deps;
  const ttlMs = deps.loginTtlMs ?? 10 * 60_000;
  const maxPending = deps.maxPendingLogins ?? 10_000;
  const refuse = (code: SignInErrorCode, reason: AuthFailureReason): SignInResult => ({
    ok: false,
    code,
    reason,
  });

  return {
    /** Begins a sign-in: where to send the browser, and the binding its login cookie holds. */
    async begin(
      returnTo: unknown,
    ): Promise<
      { ok: true; redirect: URL; binding: string; maxAgeSeconds: number } | { ok: false; code: 'busy' }
    > {
      const now = clock.now();
      if ((await read.consoleSessions.countPendingLogins(now.toISOString())) >= maxPending)
        return { ok: false, code: 'busy' };
      const { url, checks } = await client.begin();
      const binding = randomSecret();
      const login: PendingLoginRecord = {
        id: newId(),
        stateHash: sha256Hex(checks.state),
        bindingHash: sha256Hex(binding),
        codeVerifier: checks.codeVerifier,
        nonce: checks.nonce,
        returnTo: safeReturnTo(returnTo),
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + ttlMs).toISOString(),
        consumedAt: null,
      };
      await read.consoleSessions.insertPendingLogin(login);
      return { ok: true, redirect: url, binding, maxAgeSeconds: Math.ceil(ttlMs / 1000) };
    },

    /**
     * Finishes a sign-in from the issuer's callback. Refused: an unknown state, another browser (no or the
     * wrong binding), a second use, a late one, the issuer's own error, a failed exchange or ID token.
     */
    async finish(
      callback: URLSearchParams,
      binding: string | undefined,
      origin: RequestOrigin,
    ): Promise<SignInResult> {
      const state = callback.get('state');
      if (!state || state.length > 512) return refuse('state_invalid', 'oidc_state_invalid');
      const login = await read.consoleSessions.findPendingLogin(sha256Hex(state));
      if (!login) return refuse('state_invalid', 'oidc_state_invalid');
      // Left unused: the browser that began it may still finish it.
      if (binding === undefined || !sameSecret(sha256Hex(binding), login.bindingHash))
        return refuse('browser_mismatch', 'oidc_browser_mismatch');
      if (login.consumedAt !== null) return refuse('login_replayed', 'oidc_login_replayed');
      const now = clock.now();
      if (now.getTime() >= Date.parse(login.expiresAt)) return refuse('login_expired', 'oidc_login_expired');
      if (!(await read.consoleSessions.consumePendingLogin(login.id, now.toISOString())))
        return refuse('login_replayed', 'oidc_login_replayed');
      if (callback.has('error')) return refuse('idp_error', 'oidc_provider_error');

      const result = await client.finish(callback, {
        state,
        nonce: login.nonce,
        codeVerifier: login.codeVerifier,
      });
      if (!result.ok)
        return result.reason === 'jwt_teams_required'
          ? refuse('teams_required', result.reason)
          : refuse('token_invalid', result.reason);
      const started = await deps.sessions.startOidcSession(result.principal, origin);
      return { ok: true, started, returnTo: login.returnTo };
    },
  };
}
