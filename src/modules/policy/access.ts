import { auditActor, type CallContext, systemActor } from '../../platform/call-context.js';
import type {
  AuditDetails,
  AuditEvent,
  AuditLog,
  AuditOutcome,
  AuditStores,
  AuditUnitOfWork,
} from '../audit/index.js';
import type { AccessGuard } from './access-guard.js';

/** How one typed event reads in the audit log: what was done to which resource, and whose team sees it. */
export interface AuditedAction {
  /** The policy action the event reports, e.g. "registry:version:push". */
  action: string;
  /** What was acted on, e.g. "version:iris@3"; null when the action has no single resource. */
  resource: string | null;
  /** The team owning the resource (its administrators see the entry); null for global objects. */
  team: string | null;
  details?: AuditDetails;
  /** "success" unless the module records a refusal of its own. */
  outcome?: AuditOutcome;
}

/** A module's mapping from its typed events to the audit log's entries: the one place their wording lives. */
export type DescribeEvent<E> = (event: E) => AuditedAction;

/**
 * "Is this allowed, and record that it happened": the one contract every module guards and records
 * through. A use case calls `require` against the real resource before it changes anything, then
 * `record` on the same unit of work as its change, so the change and its entry commit together or not at
 * all. `recordAlone` is for events that change nothing else (a download); a denial is recorded alone by
 * `require` itself. `ctx` null is the system acting on its own (the first start).
 */
export interface Access<E> extends AccessGuard {
  record(stores: AuditStores, ctx: CallContext | null, event: E): Promise<void>;
  recordAlone(ctx: CallContext | null, event: E): Promise<void>;
}

export interface AccessDeps<E> {
  guard: AccessGuard;
  log: Pick<AuditLog, 'append'>;
  /** Opens the transaction `recordAlone` writes on. */
  uow: AuditUnitOfWork;
  describe: DescribeEvent<E>;
}

/** The actor fields of an entry: the caller, or the system when no request made the change. */
export function actorFields(ctx: CallContext | null) {
  return ctx ? auditActor(ctx) : { principal: systemActor, requestId: null, clientAddress: null };
}

/** A typed event with its caller, as the audit log stores it. */
export function auditEventOf<E>(describe: DescribeEvent<E>, ctx: CallContext | null, event: E): AuditEvent {
  const { outcome, details, ...what } = describe(event);
  return {
    ...what,
    outcome: outcome ?? 'success',
    ...actorFields(ctx),
    ...(details ? { details } : {}),
  };
}

/** Builds one module's access from the shared guard, the audit log and the module's event mapper. */
export function createAccess<E>(deps: AccessDeps<E>): Access<E> {
  const { guard, log, uow, describe } = deps;
  return {
    require: (ctx, action, resource) => guard.require(ctx, action, resource),
    allows: (ctx, action, resource) => guard.allows(ctx, action, resource),
    async record(stores, ctx, event) {
      await log.append(stores.audit, auditEventOf(describe, ctx, event));
    },
    async recordAlone(ctx, event) {
      const entry = auditEventOf(describe, ctx, event);
      await uow.run((stores) => log.append(stores.audit, entry));
    },
  };
}
