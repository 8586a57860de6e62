import type { Credential, Principal } from './principal.js';

/** Who is calling and from where: what a route hands a service for authorization and the audit log. */
export interface CallContext {
  principal: Principal;
  requestId: string | null;
  clientAddress: string | null;
}

/** How a call's caller reads in an audit entry: the exact principal id, its display name, the credential. */
export interface AuditActor {
  principal: string;
  actorName: string;
  credential: Credential;
  requestId: string | null;
  clientAddress: string | null;
}

export function auditActor(ctx: CallContext): AuditActor {
  return {
    principal: ctx.principal.id,
    actorName: ctx.principal.name,
    credential: ctx.principal.via,
    requestId: ctx.requestId,
    clientAddress: ctx.clientAddress,
  };
}

/**
 * The one team a set of teams belongs to in the audit log: the team itself when there is exactly one;
 * null (a global entry, seen by unscoped administrators only) for none or several.
 */
export const auditTeamOf = (teams: readonly string[]): string | null =>
  teams.length === 1 ? (teams[0] ?? null) : null;

/** The actor of changes no caller made (the first start's bootstrap). */
export const systemActor = 'system';
