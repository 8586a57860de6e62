/** Warden's built-in roles, each a readable Cedar policy (policies/roles.cedar). */
export const roles = ['viewer', 'contributor', 'deployer', 'approver', 'admin'] as const;
export type Role = (typeof roles)[number];

/**
 * The credential a request proved itself with, as the audit log records it: an API token (its id, never
 * its secret) or an OIDC JWT (issuer, subject and `jti` when the token has one). A request on a console
 * session carries the session's id beside the credential the session was started with (the token, or the
 * OIDC subject of the sign-in).
 */
export type Credential =
  | { kind: 'token'; tokenId: string; sessionId?: string }
  | { kind: 'oidc'; issuer: string; subject: string; jti: string | null; sessionId?: string };

/**
 * Who is calling, once authenticated: a user (from OIDC) or a service account (API tokens, CI).
 * Scope fails closed: a principal reaches every team's resources only when `unscoped` is true, which only
 * an explicit grant sets (an API token issued with no teams by an unscoped admin, or an OIDC claim value
 * the configuration names). Otherwise it reaches only resources owned by one of `teams`; with no teams,
 * no owned resource at all.
 */
export interface Principal {
  /**
   * Kind-qualified and unique: "token:<token id>" for API tokens, "oidc:<issuer>#<subject>" for OIDC
   * users, "service:<id>" for service accounts acting without a token. Never a display name.
   */
  id: string;
  kind: 'user' | 'service';
  /** Display name only (token name, or the OIDC preferred name): never used to decide or to attribute. */
  name: string;
  roles: Role[];
  teams: string[];
  /** True only when a grant says so explicitly; `teams` is then empty. */
  unscoped: boolean;
  /** How this request proved it. */
  via: Credential;
}

/** The id of the principal an API token authenticates as. */
export const tokenPrincipalId = (tokenId: string): string => `token:${tokenId}`;

/** The id of an OIDC user: the issuer and subject together, since a subject is unique only per issuer. */
export const oidcPrincipalId = (issuer: string, subject: string): string => `oidc:${issuer}#${subject}`;
