import { deploymentResource } from '../deploy/index.js';
import type { AccessGuard, PermissionDecider } from '../policy/index.js';
import type { RegistryStore } from '../registry/index.js';

/** A deployment's guards: its policy (read, configure) and its extraction alerts. */
export type GuardsTarget = { type: 'guards'; environment: string; model: string };

export interface GuardPermissionDeps {
  read: { registry: Pick<RegistryStore, 'findModelByName'> };
  /** The configured environments' names. */
  environments: readonly string[];
  access: Pick<AccessGuard, 'allows'>;
}

/**
 * "May the caller read, change, or read the alerts of a deployment's guards?", decided on the deployment
 * as the guard policy service decides it; an unknown environment or model is not allowed.
 */
export function createGuardPermissions(deps: GuardPermissionDeps): PermissionDecider<GuardsTarget> {
  const { read, access } = deps;
  return {
    actions: { guards: ['gateway:policy:read', 'gateway:configure', 'gateway:alerts:read'] },
    async allows(ctx, action, target) {
      if (!deps.environments.includes(target.environment)) return false;
      const model = await read.registry.findModelByName(target.model);
      return model !== null && access.allows(ctx, action, deploymentResource(model, target.environment));
    },
  };
}
