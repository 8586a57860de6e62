import { auditActor, auditTeamOf, type CallContext } from '../../platform/call-context.js';
import type { AuditEvent } from '../audit/index.js';
import type { IdentityEvent } from './identity.events.js';

const list = (values: string[]) => values.join(',');

/** How an identity change reads in the audit log (never a token or its hash), with the request that caused it. */
export function identityAuditEvent(e: IdentityEvent, context: CallContext | null): AuditEvent {
  // The actor is the caller when a request made the change; start-up changes have no credential.
  const base = {
    outcome: 'success' as const,
    ...(context ? auditActor(context) : { requestId: null, clientAddress: null }),
    principal: e.actor,
  };
  switch (e.type) {
    case 'identity.token.created':
      return {
        ...base,
        action: 'identity:token:create',
        resource: `token:${e.tokenId}`,
        team: auditTeamOf(e.teams),
        details: {
          name: e.name,
          subject: e.principalId,
          roles: list(e.roles),
          teams: list(e.teams),
          expiresAt: e.expiresAt,
          bootstrap: e.bootstrap,
        },
      };
    case 'identity.token.revoked':
      return {
        ...base,
        action: 'identity:token:revoke',
        resource: `token:${e.tokenId}`,
        team: auditTeamOf(e.teams),
        details: { subject: e.principalId },
      };
    case 'identity.principal.created':
      return {
        ...base,
        action: 'identity:principal:create',
        resource: e.principal.id,
        team: auditTeamOf(e.principal.teams),
        details: { roles: list(e.principal.roles), teams: list(e.principal.teams) },
      };
    case 'identity.principal.updated':
      return {
        ...base,
        action: 'identity:principal:update',
        resource: e.principalId,
        team: auditTeamOf(e.teams),
        details: {
          roles: list(e.roles),
          teams: list(e.teams),
          previousRoles: list(e.previous.roles),
          previousTeams: list(e.previous.teams),
        },
      };
  }
}
