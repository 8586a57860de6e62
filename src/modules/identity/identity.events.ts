import type { Role } from '../../platform/principal.js';

/**
 * The audit events identity emits, each written in the transaction of its change. `actor` is the principal
 * id of the caller ("system" for the first start's bootstrap). No event ever carries a token secret.
 */
export type IdentityEvent =
  | {
      type: 'identity.principal.created';
      actor: string;
      at: string;
      principal: { id: string; kind: 'user' | 'service'; name: string; roles: Role[]; teams: string[] };
    }
  | {
      type: 'identity.principal.updated';
      actor: string;
      at: string;
      principalId: string;
      roles: Role[];
      teams: string[];
      previous: { roles: Role[]; teams: string[] };
    }
  | {
      type: 'identity.token.created';
      actor: string;
      at: string;
      tokenId: string;
      name: string;
      principalId: string;
      roles: Role[];
      teams: string[];
      expiresAt: string | null;
      bootstrap: boolean;
    }
  | {
      type: 'identity.token.revoked';
      actor: string;
      at: string;
      tokenId: string;
      principalId: string;
      /** The revoked token's teams: which team's administrators see the entry. */
      teams: string[];
    };

export type IdentityEventType = IdentityEvent['type'];
