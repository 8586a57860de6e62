import type { Role } from '../../platform/principal.js';
import type { TokenRecord } from './identity.ports.js';

/** What listing shows of a token: metadata only, never the secret or its hash. */
export interface TokenView {
  id: string;
  name: string;
  principal: string;
  roles: Role[];
  teams: string[];
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
}

/** The answer to issuing a token: the only time its secret leaves the server. */
export interface IssuedToken {
  id: string;
  token: string;
  name: string;
  principal: string;
  roles: Role[];
  teams: string[];
  expiresAt: string | null;
  createdAt: string;
}

export function tokenView(t: TokenRecord): TokenView {
  return {
    id: t.id,
    name: t.name,
    principal: t.principalId,
    roles: t.roles,
    teams: t.teams,
    createdBy: t.createdBy,
    createdAt: t.createdAt,
    expiresAt: t.expiresAt,
    lastUsedAt: t.lastUsedAt,
    revokedAt: t.revokedAt,
    revokedBy: t.revokedBy,
  };
}
