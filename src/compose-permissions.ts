import type { Stores } from './adapters/sql/stores.js';
import type { Config } from './config/index.js';
import { createDeployPermissions } from './modules/deploy/index.js';
import { createGuardPermissions, type Gateway } from './modules/gateway/index.js';
import { createTokenPermissions } from './modules/identity/index.js';
import { createMonitorPermissions } from './modules/monitor/index.js';
import { type AccessGuard, createPermissionChecker, globalPermissions } from './modules/policy/index.js';
import { createRegistryPermissions } from './modules/registry/index.js';

export interface PermissionComposition {
  config: Readonly<Config>;
  read: Stores;
  guard: Pick<AccessGuard, 'allows'>;
  gateway: Pick<Gateway, 'permissions'>;
}

/**
 * POST /api/v1/permissions: each target type answered by the module that owns it, on the shared guard's
 * `allows` (decisions only: nothing is recorded).
 */
export function composePermissions(deps: PermissionComposition) {
  const { config, read, guard: access } = deps;
  return createPermissionChecker([
    globalPermissions(access),
    createTokenPermissions({ read, access }),
    createRegistryPermissions({ read, access }),
    createDeployPermissions({ read, environments: config.environments, access }),
    createGuardPermissions({ read, environments: Object.keys(config.environments), access }),
    deps.gateway.permissions,
    createMonitorPermissions({ read, environments: Object.keys(config.environments), access }),
  ]);
}
