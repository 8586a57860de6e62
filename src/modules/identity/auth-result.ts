import type { Principal } from '../../platform/principal.js';

/**
 * Why an authentication failed. The reason is for the audit log and operators only: every failure answers
 * the caller with the same `unauthenticated` error, except `jwt_teams_required`: that token is genuine, so
 * the caller is told precisely what its issuer must add (`oidc_teams_required`).
 */
export type AuthFailureReason =
  | 'missing_credentials'
  | 'unsupported_scheme'
  | 'malformed_credentials'
  | 'unknown_token'
  | 'secret_mismatch'
  | 'token_revoked'
  | 'token_expired'
  | 'oidc_not_configured'
  | 'jwt_malformed'
  | 'jwt_algorithm_not_allowed'
  | 'jwt_unknown_key'
  | 'jwt_bad_signature'
  | 'jwt_expired'
  | 'jwt_not_yet_valid'
  | 'jwt_wrong_issuer'
  | 'jwt_wrong_audience'
  | 'jwt_missing_claim'
  /** A valid token refused because `oidc.requireTeams` is set and its teams claim names no team. */
  | 'jwt_teams_required'
  | 'jwt_invalid'
  | 'jwks_unavailable'
  /** A console session cookie: not `<id>.<secret>`, no such session, or the wrong secret. */
  | 'session_malformed'
  | 'session_unknown'
  | 'session_secret_mismatch'
  /** A console session that was signed out (or ended with its token), or past its idle or absolute expiry. */
  | 'session_ended'
  | 'session_idle_expired'
  | 'session_expired'
  /** An OIDC sign-in's callback: unknown state, another browser, used twice, too late, refused by the issuer. */
  | 'oidc_state_invalid'
  | 'oidc_browser_mismatch'
  | 'oidc_login_replayed'
  | 'oidc_login_expired'
  | 'oidc_provider_error'
  /** The code exchange, or the ID token's validation, failed. */
  | 'oidc_exchange_failed';

export type AuthResult = { ok: true; principal: Principal } | { ok: false; reason: AuthFailureReason };

/** Verifies a bearer JWT from the configured OIDC issuer (adapters/oidc implements it). */
export interface JwtVerifier {
  verify(jwt: string): Promise<AuthResult>;
}
