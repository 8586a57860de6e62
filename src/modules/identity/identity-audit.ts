import { auditTeamOf } from '../../platform/call-context.js';
import type { AuditedAction } from '../policy/index.js';
import type { IdentityEvent } from './identity.events.js';

const list = (values: string[]) => values.join(',');

/**
 * How an identity change reads in the audit log (never a token or its hash). The actor fields come from the
 * call (the access contract adds them): the caller of the request, or the system at the first start.
 */
export function describeIdentityEvent(e: IdentityEvent): AuditedAction {
  switch (e.type) {
    case 'identity.token.created':
      return {
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
        action: 'identity:token:revoke',
        resource: `token:${e.tokenId}`,
        team: auditTeamOf(e.teams),
        details: { subject: e.principalId },
      };
    case 'identity.session.started':
      return {
        action: 'identity:session:start',
        resource: `session:${e.sessionId}`,
        team: auditTeamOf(e.teams),
        details: {
          via: e.via,
          subject: e.principalId,
          ...(e.tokenId !== null ? { tokenId: e.tokenId } : {}),
          ...(e.issuer !== null ? { issuer: e.issuer, oidcSubject: e.subject } : {}),
          expiresAt: e.expiresAt,
        },
      };
    case 'identity.session.ended':
      return {
        action: 'identity:session:end',
        resource: `session:${e.sessionId}`,
        team: auditTeamOf(e.teams),
        details: { via: e.via, subject: e.principalId, reason: e.reason },
      };
    case 'identity.principal.created':
      return {
        action: 'identity:principal:create',
        resource: e.principal.id,
        team: auditTeamOf(e.principal.teams),
        details: { roles: list(e.principal.roles), teams: list(e.principal.teams) },
      };
    case 'identity.principal.updated':
      return {
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
