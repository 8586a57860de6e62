export { type ChangeFeed, createChangeFeed } from './change-feed.js';
export * as deployErrors from './deploy.errors.js';
export type { DeployEvent, DeployEventType } from './deploy.events.js';
export type { DeployStore, DeployStores, DeployUnitOfWork, ReadVulnerabilities } from './deploy.ports.js';
export { createDeployService, type DeployService } from './deploy.service.js';
export type * from './deploy.types.js';
export type * from './deploy.views.js';
export { describeDeployEvent } from './deploy-audit.js';
export type { DeployServiceDeps } from './deploy-deps.js';
export {
  createDeployPermissions,
  type DeployPermissionDeps,
  type DeployTarget,
} from './deploy-permissions.js';
export type { RequestListQuery } from './deploy-request-list.js';
export type { RequestInput } from './deploy-requests.js';
export { deploymentAuthorizer, deploymentResource } from './deploy-target.js';
export { type DeploymentPolicyRecord, nextPolicyRevision } from './deployment-policy.js';
export { type AutoRollback, type DeployEnvironment, selfApprovalAllowed } from './environment.js';
export { candidateOf, evaluateGates, type GateInputs, signatureEvidence } from './gate-evaluation.js';
export { bucketOf, pickRoute, type Route, type Split } from './traffic-split.js';
