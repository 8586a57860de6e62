import type { CallContext } from '../../platform/call-context.js';
import type { AccessGuard } from './access-guard.js';
import { isPolicyAction, type PolicyAction, policyActions } from './actions.js';
import { permissionActionUnknown, permissionResourceMismatch } from './policy.errors.js';

/** What a permission check names: a small typed description (`{type: 'model', model}`…), not a ResourceRef. */
export interface PermissionTarget {
  type: string;
}

/**
 * One module's answers to "may the caller do this here?" for the targets it owns: each target type with the
 * actions that may be asked of it, and the decision against the real resource with its attributes, made as
 * the action itself makes it. A decider only decides (`AccessGuard.allows`): it records nothing, and a
 * target that does not exist is simply not allowed.
 */
export interface PermissionDecider<T extends PermissionTarget = PermissionTarget> {
  readonly actions: Readonly<Partial<Record<T['type'], readonly PolicyAction[]>>>;
  allows(ctx: CallContext, action: PolicyAction, target: T): Promise<boolean>;
}

export interface PermissionCheck {
  action: string;
  resource: PermissionTarget;
}

export interface PermissionResult {
  action: PolicyAction;
  allowed: boolean;
}

/**
 * Answers a batch of permission checks in order with the deciders of the modules owning each target type.
 * Every check is validated before any is decided: an unknown action, or an action that is not asked of
 * that type of target, refuses the whole batch.
 */
export function createPermissionChecker(deciders: readonly PermissionDecider[]) {
  const table = new Map<string, Map<PolicyAction, PermissionDecider>>();
  for (const decider of deciders)
    for (const [type, actions] of Object.entries<readonly PolicyAction[] | undefined>(decider.actions)) {
      const byAction = table.get(type) ?? new Map<PolicyAction, PermissionDecider>();
      table.set(type, byAction);
      for (const action of actions ?? []) {
        if (byAction.has(action)) throw new Error(`two deciders answer "${action}" on a ${type} target`);
        byAction.set(action, decider);
      }
    }
  const accepted = (action: PolicyAction) =>
    [...table].filter(([, byAction]) => byAction.has(action)).map(([type]) => type);

  return {
    /** The target types and, for each, the actions that may be asked of it. */
    catalogue: (): Record<string, PolicyAction[]> =>
      Object.fromEntries([...table].map(([type, byAction]) => [type, [...byAction.keys()]])),

    async check(ctx: CallContext, checks: readonly PermissionCheck[]): Promise<PermissionResult[]> {
      const plan = checks.map((check, i) => {
        const { action, resource } = check;
        if (!isPolicyAction(action)) throw permissionActionUnknown(i, action);
        const decider = table.get(resource.type)?.get(action);
        if (!decider) throw permissionResourceMismatch(i, action, resource.type, accepted(action));
        return { action, resource, decider };
      });
      const results: PermissionResult[] = [];
      for (const { action, resource, decider } of plan)
        results.push({ action, allowed: await decider.allows(ctx, action, resource) });
      return results;
    },
  };
}

export type PermissionChecker = ReturnType<typeof createPermissionChecker>;

/**
 * The `global` target: every action decided on the registry or the audit log as a whole (tokens listed,
 * signers, webhooks, the audit log, the metrics, the environments list), on the same resource the action
 * itself is decided on.
 */
export function globalPermissions(guard: Pick<AccessGuard, 'allows'>): PermissionDecider<{ type: 'global' }> {
  const global = (Object.keys(policyActions) as PolicyAction[]).filter((action) =>
    ['Registry', 'AuditLog'].includes(policyActions[action].resource),
  );
  return {
    actions: { global },
    allows: async (ctx, action) =>
      guard.allows(
        ctx,
        action,
        policyActions[action].resource === 'AuditLog' ? { type: 'AuditLog' } : { type: 'Registry' },
      ),
  };
}
