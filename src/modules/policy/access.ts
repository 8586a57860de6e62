import { auditActor, type CallContext, systemActor } from '../../platform/call-context.js';
import { type Clock, systemClock } from '../../platform/clock.js';
import type { UnitOfWork } from '../../platform/unit-of-work.js';
import type { AuditDetails, AuditEvent, AuditLog, AuditOutcome, AuditStores } from '../audit/index.js';
import { type EventActor, type OutboxNotice, type OutboxStores, outboxEventOf } from '../outbox/index.js';
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
  /**
   * Set when the outside world is to hear of it: the outbox event (webhooks deliver it) written on the
   * same transaction as the audit entry. `Access` adds `data.actor`.
   */
  notify?: OutboxNotice | OutboxNotice[];
}

/** A module's mapping from its typed events to the audit log's entries: the one place their wording lives. */
export type DescribeEvent<E> = (event: E) => AuditedAction;

/** What `record` writes on: the audit chain and the outbox, both bound to the change's transaction. */
export type AccessStores = AuditStores & OutboxStores;

/** The unit of work `recordAlone` opens: the audit chain and the outbox, on a transaction of their own. */
export type AccessUnitOfWork = UnitOfWork<AccessStores>;

/**
 * "Is this allowed, and record that it happened": the one contract every module guards and records
 * through. A use case calls `require` against the real resource before it changes anything, then
 * `record` on the same unit of work as its change, so the change and its entry commit together or not at
 * all. `recordAlone` is for events that change nothing else (a download); a denial is recorded alone by
 * `require` itself. `ctx` null is the system acting on its own (the first start).
 */
export interface Access<E> extends AccessGuard {
  record(stores: AccessStores, ctx: CallContext | null, event: E): Promise<void>;
  recordAlone(ctx: CallContext | null, event: E): Promise<void>;
}

export interface AccessDeps<E> {
  guard: AccessGuard;
  log: Pick<AuditLog, 'append'>;
  /** Opens the transaction `recordAlone` writes on. */
  uow: AccessUnitOfWork;
  describe: DescribeEvent<E>;
  /** When outbox events happen (default: the system clock). */
  clock?: Clock;
}

/** The actor fields of an entry: the caller, or the system when no request made the change. */
export function actorFields(ctx: CallContext | null) {
  return ctx ? auditActor(ctx) : { principal: systemActor, requestId: null, clientAddress: null };
}

/** The caller as an outbox event names it: principal id and display name, or the system. */
export function eventActor(ctx: CallContext | null): EventActor {
  return ctx ? { id: ctx.principal.id, name: ctx.principal.name } : { id: systemActor, name: null };
}

/** A typed event with its caller, as the audit log stores it. */
export function auditEventOf<E>(describe: DescribeEvent<E>, ctx: CallContext | null, event: E): AuditEvent {
  return auditEntryOf(describe(event), ctx);
}

function auditEntryOf(action: AuditedAction, ctx: CallContext | null): AuditEvent {
  const { outcome, details, notify: _notify, ...what } = action;
  return {
    ...what,
    outcome: outcome ?? 'success',
    ...actorFields(ctx),
    ...(details ? { details } : {}),
  };
}

/**
 * Builds one module's access from the shared guard, the audit log and the module's event mapper. An event
 * whose mapping has `notify` also goes to the outbox, on the same transaction as its audit entry.
 */
export function createAccess<E>(deps: AccessDeps<E>): Access<E> {
  const { guard, log, uow, describe, clock = systemClock } = deps;
  const write = async (stores: AccessStores, ctx: CallContext | null, event: E) => {
    const action = describe(event);
    await log.append(stores.audit, auditEntryOf(action, ctx));
    for (const notice of action.notify ? [action.notify].flat() : [])
      await stores.outbox.append(outboxEventOf(notice, eventActor(ctx), clock));
  };
  return {
    require: (ctx, action, resource) => guard.require(ctx, action, resource),
    allows: (ctx, action, resource) => guard.allows(ctx, action, resource),
    record: write,
    async recordAlone(ctx, event) {
      await uow.run((stores) => write(stores, ctx, event));
    },
  };
}
