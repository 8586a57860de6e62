import { auditActor, type CallContext } from '../../platform/call-context.js';
import type { AuditEvent, AuditLog, AuditTally, AuditUnitOfWork } from '../audit/index.js';
import type { PolicyAction } from './actions.js';
import type { Authorizer } from './authorizer.js';
import { forbidden } from './policy.errors.js';
import type { AuthzDecision, ResourceRef } from './policy.ports.js';

export interface AccessDenial {
  context: CallContext;
  action: PolicyAction;
  resource: ResourceRef;
  decision: AuthzDecision;
}

export interface AccessGuard {
  /** Allows, or records the denial (with the caller's request id and address) and throws `forbidden`. */
  require(context: CallContext, action: PolicyAction, resource: ResourceRef): Promise<void>;
  /** The decision alone, for filtering lists; records nothing. */
  allows(context: CallContext, action: PolicyAction, resource: ResourceRef): boolean;
}

export interface AccessGuardDeps {
  authorizer: Pick<Authorizer, 'authorize'>;
  log: Pick<AuditLog, 'append'>;
  /** Opens the transaction a denial is recorded on: it changes nothing else, so it stands alone. */
  uow: AuditUnitOfWork;
  /**
   * Actions whose repeated denials are counted rather than written one by one (the inference path, which
   * a valid token without the permission could call thousands of times a second): one entry per principal,
   * action and resource per interval of the tally, with a count. Every other denial is written before the
   * caller hears `forbidden`.
   */
  tallied?: { actions: readonly PolicyAction[]; tally: Pick<AuditTally, 'note'> };
}

/**
 * Authorization as services use it: a decision against the real resource, and every denial on the record
 * before the caller hears `forbidden` (a denial that cannot be recorded is still refused: the write fails).
 */
export function createAccessGuard(deps: AccessGuardDeps): AccessGuard {
  const { authorizer, log, uow } = deps;
  const tallied = new Set<string>(deps.tallied?.actions ?? []);
  const tally = deps.tallied?.tally;
  return {
    async require(context, action, resource) {
      const decision = authorizer.authorize(context.principal, action, resource);
      if (decision.allowed) return;
      const denial = { context, action, resource, decision };
      if (tally && tallied.has(action)) {
        const what = `${action}\u0000${describeResource(resource)}`;
        tally.note({
          key: `${context.principal.id}\u0000${what}`,
          event: () => denialEvent(denial),
          // Past the tally's bound, every other principal's denials of this resource share one entry.
          overflow: { key: `\u0000others\u0000${what}`, event: () => anonymousDenial(denial) },
        });
        throw forbidden();
      }
      await uow.run((stores) => log.append(stores.audit, denialEvent(denial)));
      throw forbidden();
    },
    allows: (context, action, resource) => authorizer.authorize(context.principal, action, resource).allowed,
  };
}

/** A denial as the audit log records it: who, what, on which resource, and the policies that decided. */
export function denialEvent({ context, action, resource, decision }: AccessDenial): AuditEvent {
  return {
    action,
    outcome: 'denied',
    ...auditActor(context),
    resource: describeResource(resource),
    team: resourceTeam(resource),
    details: {
      policies: decision.policies.join(',') || '(no permit)',
      errors: decision.errors.join('; ') || null,
    },
  };
}

/** A denial counted with other principals' (the tally's overflow): no actor, no address. */
function anonymousDenial(denial: AccessDenial): AuditEvent {
  return {
    ...denialEvent(denial),
    principal: null,
    actorName: null,
    credential: null,
    clientAddress: null,
  };
}

/** How a resource is named in the audit log. */
export function describeResource(resource: ResourceRef): string {
  switch (resource.type) {
    case 'Registry':
      return 'registry';
    case 'AuditLog':
      return 'audit';
    case 'Model':
      return `model:${resource.model.name}`;
    case 'Version':
      return `version:${resource.model.name}@${resource.version.number}`;
    case 'Alias':
      return `alias:${resource.model.name}@${resource.alias}`;
    case 'Token':
      return resource.id ? `token:${resource.id}` : `token:(new for ${resource.principal})`;
    case 'Deployment':
      return `deployment:${resource.environment}/${resource.model.name}`;
  }
}

/**
 * The team an entry about this resource belongs to in the audit log: a model's owner, a token's one team;
 * null for global objects (the registry, the log, a token of no team or of several).
 */
export function resourceTeam(resource: ResourceRef): string | null {
  switch (resource.type) {
    case 'Model':
    case 'Version':
    case 'Alias':
    case 'Deployment':
      return resource.model.owner;
    case 'Token':
      return resource.teams?.length === 1 ? (resource.teams[0] ?? null) : null;
    case 'Registry':
    case 'AuditLog':
      return null;
  }
}
