/**
 * Every action Warden authorizes, the resource type it is decided on and what it guards. The Cedar schema
 * (policies/warden.cedarschema) declares the same list; a test keeps the two, the routes and docs/policy.md
 * in step.
 */
export const policyActions = {
  'registry:model:create': { resource: 'Model', guards: 'create a model (decided on the model to be)' },
  'registry:model:list': { resource: 'Registry', guards: 'list models' },
  'registry:model:read': { resource: 'Model', guards: 'show a model' },
  'registry:model:update': { resource: 'Model', guards: "change a model's description or tags" },
  'registry:version:push': { resource: 'Model', guards: 'push a new version to a model' },
  'registry:version:list': { resource: 'Model', guards: "list a model's versions" },
  'registry:version:read': { resource: 'Version', guards: 'show a version' },
  'registry:version:update': {
    resource: 'Version',
    guards: 'edit a version (always refused later: versions are immutable)',
  },
  'registry:version:delete': {
    resource: 'Version',
    guards: 'delete a version (a tombstone stays; its files are destroyed once no live version uses them)',
  },
  'registry:artifact:read': { resource: 'Version', guards: "download a version's files" },
  'registry:alias:list': { resource: 'Model', guards: "list a model's aliases" },
  'registry:alias:history': { resource: 'Alias', guards: "show an alias's moves" },
  'registry:alias:set': { resource: 'Alias', guards: 'point an alias at a version' },
  'registry:alias:delete': { resource: 'Alias', guards: 'remove an alias' },
  'registry:signature:attach': {
    resource: 'Version',
    guards: 'attach a model signature to a version (verified against a trusted signer)',
  },
  'signing:signer:create': {
    resource: 'Registry',
    guards: 'add a trusted signer (public key) to the keyring',
  },
  'signing:signer:list': { resource: 'Registry', guards: 'list trusted signers, revoked ones included' },
  'signing:signer:revoke': { resource: 'Registry', guards: 'revoke a trusted signer' },
  'identity:whoami': { resource: 'Registry', guards: 'show the calling principal' },
  'identity:token:create': {
    resource: 'Token',
    guards: 'issue an API token (decided on the token to be, with the roles and teams it grants)',
  },
  'identity:token:list': { resource: 'Registry', guards: 'list API tokens' },
  'identity:token:revoke': { resource: 'Token', guards: 'revoke an API token' },
  'audit:log:read': { resource: 'AuditLog', guards: 'read audit events' },
  'audit:log:verify': { resource: 'AuditLog', guards: 'verify the audit chain and its checkpoints' },
  'audit:log:export': { resource: 'AuditLog', guards: 'export the audit log' },
  'audit:key:read': { resource: 'AuditLog', guards: "read the audit log's public checkpoint key" },
  'policy:explain': { resource: 'Registry', guards: 'explain a policy decision' },
  'metrics:read': { resource: 'Registry', guards: 'read the Prometheus metrics (GET /metrics)' },
  'attestation:create': {
    resource: 'Version',
    guards: 'attach an attestation (a vulnerability report) to a version',
  },
  'attestation:list': { resource: 'Version', guards: "list a version's attestations" },
  'deploy:environment:list': { resource: 'Registry', guards: 'list and show deployment environments' },
  'deploy:read': {
    resource: 'Deployment',
    guards: "show a model's deployments in an environment: live state, requests, history",
  },
  'deploy:check': {
    resource: 'Deployment',
    guards: "evaluate a version's gates for an environment without changing anything (dry run)",
  },
  'deploy:request': { resource: 'Deployment', guards: 'request a deployment (stable, canary or shadow)' },
  'deploy:cancel': { resource: 'Deployment', guards: 'withdraw a pending deployment request' },
  'deploy:apply': { resource: 'Deployment', guards: 'apply an approved request: make its version live' },
  'deploy:promote': { resource: 'Deployment', guards: 'promote a canary to stable' },
  'deploy:abort': { resource: 'Deployment', guards: 'abort a canary or shadow deployment' },
  'deploy:rollback': {
    resource: 'Deployment',
    guards: 'return to the last known-good stable deployment',
  },
  'deploy:approve': {
    resource: 'Deployment',
    guards: "approve a deployment request (never one's own, once per request)",
  },
  'deploy:reject': { resource: 'Deployment', guards: 'reject a deployment request (ends it)' },
  'inference:invoke': {
    resource: 'Deployment',
    guards:
      "call a model live in the gateway's environment (the /v2 inference API: metadata, readiness, infer)",
  },
  'gateway:policy:read': {
    resource: 'Deployment',
    guards: "show a deployment's guard policy: what is in force, what overrides the defaults, who set it",
  },
  'gateway:configure': {
    resource: 'Deployment',
    guards: "replace or reset a deployment's guard policy (turning a guard off needs a reason)",
  },
  'gateway:alerts:read': {
    resource: 'Deployment',
    guards: "list a deployment's model-extraction alerts: the principals watched or throttled",
  },
  'monitor:reference:set': {
    resource: 'Version',
    guards: "attach or replace a version's reference dataset (the baseline drift is measured against)",
  },
  'monitor:reference:read': {
    resource: 'Version',
    guards: "show a version's reference profile (columns, roles, counts) and download its dataset",
  },
  'monitor:read': {
    resource: 'Deployment',
    guards: "show a deployment's monitoring: windows, drift, detectors, alerts, drift reports",
  },
  'monitor:label': {
    resource: 'Deployment',
    guards: "post delayed ground-truth labels for a deployment's requests, by request id",
  },
  'monitor:configure': {
    resource: 'Deployment',
    guards: "replace or reset a deployment's monitor policy: detector thresholds and alert rules",
  },
  'webhook:create': { resource: 'Registry', guards: 'register a webhook endpoint' },
  'webhook:list': { resource: 'Registry', guards: 'list webhook endpoints' },
  'webhook:delete': { resource: 'Registry', guards: 'remove a webhook endpoint' },
  'webhook:deliveries': { resource: 'Registry', guards: "read webhooks' delivery log" },
} as const satisfies Record<string, { resource: ResourceType; guards: string }>;

export type PolicyAction = keyof typeof policyActions;

export const resourceTypes = [
  'Registry',
  'Model',
  'Version',
  'Alias',
  'Token',
  'AuditLog',
  'Deployment',
] as const;
export type ResourceType = (typeof resourceTypes)[number];

/** The action groups the schema declares; policies grant them, requests never name them. */
export const actionGroups = [
  'read',
  'write',
  'move-alias',
  'administer',
  'deploy',
  'approve',
  'invoke',
] as const;

/**
 * The one action deployment gates are decided on, by the gate policies alone (policies/gates-*.cedar):
 * never requested of the role policies, so it is not in `policyActions`.
 */
export const gateAction = 'deploy:gate';

export function isPolicyAction(action: string): action is PolicyAction {
  return Object.hasOwn(policyActions, action);
}
