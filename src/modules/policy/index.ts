export {
  type Access,
  type AccessDeps,
  type AccessStores,
  type AccessUnitOfWork,
  type AuditedAction,
  actorFields,
  auditEventOf,
  createAccess,
  type DescribeEvent,
  eventActor,
} from './access.js';
export {
  type AccessDenial,
  type AccessGuard,
  type AccessGuardDeps,
  createAccessGuard,
  denialEvent,
  describeResource,
  resourceTeam,
} from './access-guard.js';
export {
  actionGroups,
  gateAction,
  isPolicyAction,
  type PolicyAction,
  policyActions,
  type ResourceType,
  resourceTypes,
} from './actions.js';
export {
  type Authorizer,
  type AuthorizerDeps,
  createAuthorizer,
  type DeniedInfo,
} from './authorizer.js';
export {
  actionUid,
  type CedarEntity,
  type CedarRequest,
  type CedarUid,
  type CedarValue,
  cedarNamespace,
  cedarRequest,
  principalEntity,
  resourceEntities,
} from './entities.js';
export {
  type CandidateFacts,
  candidateEntity,
  cedarDecimal,
  type GateContext,
  type GateDecision,
  type GateEngine,
} from './gates.js';
export {
  createPermissionChecker,
  globalPermissions,
  type PermissionCheck,
  type PermissionChecker,
  type PermissionDecider,
  type PermissionResult,
  type PermissionTarget,
} from './permission-checks.js';
export {
  describeProblem,
  forbidden,
  type PolicyProblem,
  policyFileUnreadable,
  policyInvalid,
} from './policy.errors.js';
export type {
  AuthzDecision,
  AuthzRequest,
  ModelAttributes,
  PolicyEngine,
  ResourceRef,
  VersionAttributes,
} from './policy.ports.js';
