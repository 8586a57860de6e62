import {
  type AccessGuard,
  type PermissionDecider,
  type PolicyAction,
  policyActions,
} from '../policy/index.js';
import type { DeployStores } from './deploy.ports.js';
import { deploymentResource } from './deploy-target.js';
import { type DeployEnvironment, selfApprovalAllowed } from './environment.js';

/** Deploy's permission targets: a model's deployments in an environment, one request, an environment. */
export type DeployTarget =
  | { type: 'deployment'; environment: string; model: string }
  | { type: 'deploy-request'; id: string }
  | { type: 'environment'; environment: string };

export interface DeployPermissionDeps {
  read: Pick<DeployStores, 'deploy' | 'registry'>;
  environments: Readonly<Record<string, DeployEnvironment>>;
  access: Pick<AccessGuard, 'allows'>;
}

/** The deploy actions decided on a target (the model's deployments in one environment). */
const onTarget = (Object.keys(policyActions) as PolicyAction[]).filter(
  (a) => a.startsWith('deploy:') && policyActions[a].resource === 'Deployment',
);
/** What the routes under /deploy-requests/{id} do to a request. */
const onRequest: PolicyAction[] = [
  'deploy:read',
  'deploy:approve',
  'deploy:reject',
  'deploy:cancel',
  'deploy:apply',
];

/**
 * "May the caller do this?" on deployments, decided on the target with the model's owner and tags, as the
 * deploy module's use cases decide. Approving a request the caller made itself is not allowed where the
 * environment forbids self-approval (the two-person rule answers 403 too). An environment, model or
 * request that does not exist is not allowed.
 */
export function createDeployPermissions(deps: DeployPermissionDeps): PermissionDecider<DeployTarget> {
  const { read, access } = deps;
  const environmentNamed = (name: string) =>
    Object.hasOwn(deps.environments, name) ? deps.environments[name] : undefined;
  return {
    actions: { deployment: onTarget, 'deploy-request': onRequest, environment: ['deploy:environment:list'] },
    async allows(ctx, action, target) {
      switch (target.type) {
        case 'environment':
          return (
            environmentNamed(target.environment) !== undefined &&
            access.allows(ctx, action, { type: 'Registry' })
          );
        case 'deployment': {
          const env = environmentNamed(target.environment);
          const model = env ? await read.registry.findModelByName(target.model) : null;
          return (
            env !== undefined &&
            model !== null &&
            access.allows(ctx, action, deploymentResource(model, env.name))
          );
        }
        case 'deploy-request': {
          const request = await read.deploy.findRequest(target.id);
          const env = request ? environmentNamed(request.environment) : undefined;
          const model = request && env ? await read.registry.findModelById(request.modelId) : null;
          if (!request || !env || !model) return false;
          if (!access.allows(ctx, action, deploymentResource(model, env.name))) return false;
          return (
            action !== 'deploy:approve' ||
            request.requestedBy !== ctx.principal.id ||
            selfApprovalAllowed(env)
          );
        }
      }
    },
  };
}
