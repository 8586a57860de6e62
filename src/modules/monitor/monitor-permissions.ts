import { deploymentResource } from '../deploy/index.js';
import type { AccessGuard, PermissionDecider } from '../policy/index.js';
import type { RegistryStore } from '../registry/index.js';

/** A deployment's monitoring: windows, drift, alerts (read), labels (post), its monitor policy (configure). */
export type MonitorTarget = { type: 'monitor'; environment: string; model: string };

export interface MonitorPermissionDeps {
  read: { registry: Pick<RegistryStore, 'findModelByName'> };
  /** The configured environments' names. */
  environments: readonly string[];
  access: Pick<AccessGuard, 'allows'>;
}

/**
 * "May the caller read a deployment's monitoring, post labels for it, or change its monitor policy?",
 * decided on the deployment as monitoring's use cases decide it; an unknown environment or model is not
 * allowed. (A version's reference dataset is decided on the version: the registry's `version` target.)
 */
export function createMonitorPermissions(deps: MonitorPermissionDeps): PermissionDecider<MonitorTarget> {
  const { read, access } = deps;
  return {
    actions: { monitor: ['monitor:read', 'monitor:label', 'monitor:configure'] },
    async allows(ctx, action, target) {
      if (!deps.environments.includes(target.environment)) return false;
      const model = await read.registry.findModelByName(target.model);
      return model !== null && access.allows(ctx, action, deploymentResource(model, target.environment));
    },
  };
}
