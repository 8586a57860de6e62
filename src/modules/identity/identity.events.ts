import type { Role } from '../../platform/principal.js';
import type { SessionEndReason, SessionOrigin } from './console-session.ports.js';

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
    }
  | {
      /** A console session began: never its secret, only its id and what it was started with. */
      type: 'identity.session.started';
      actor: string;
      at: string;
      sessionId: string;
      via: SessionOrigin;
      principalId: string;
      teams: string[];
      /** The token of a token session; the issuer and subject of an OIDC one. */
      tokenId: string | null;
      issuer: string | null;
      subject: string | null;
      expiresAt: string;
    }
  | {
      /** A console session ended before its expiry: signed out, or its token revoked or expired. */
      type: 'identity.session.ended';
      actor: string;
      at: string;
      sessionId: string;
      via: SessionOrigin;
      principalId: string;
      teams: string[];
      reason: SessionEndReason;
    };

export type IdentityEventType = IdentityEvent['type'];
