/** Warden's built-in roles, each a readable Cedar policy (policies/roles.cedar). */
export const roles = ['viewer', 'contributor', 'deployer', 'approver', 'admin'] as const;
export type Role = (typeof roles)[number];

/**
 * Who is calling, once authenticated: a user (from OIDC) or a service account (API tokens, CI).
 * `teams` empty means unscoped; otherwise the principal may only reach resources owned by those teams.
 */
export interface Principal {
  /** Stable id: "user:<subject>" for OIDC users, "service:<name>" for service accounts. */
  id: string;
  kind: 'user' | 'service';
  /** Display name (token name, or the OIDC subject/preferred name). */
  name: string;
  roles: Role[];
  teams: string[];
  /** How this request proved it: an API token (its id) or an OIDC JWT (issuer). */
  via: { kind: 'token'; tokenId: string } | { kind: 'oidc'; issuer: string };
}
