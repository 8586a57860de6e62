import { describe, expect, it } from 'vitest';
import { type PolicyAction, policyActions } from '../../src/modules/policy/index.js';
import type { Role } from '../../src/platform/principal.js';
import { engineWith, principal, resourceOfType } from './policy-fixtures.js';

const engine = engineWith();
const allActions = Object.keys(policyActions) as PolicyAction[];

const read: PolicyAction[] = [
  'registry:model:list',
  'registry:model:read',
  'registry:version:list',
  'registry:version:read',
  'registry:artifact:read',
  'registry:alias:list',
  'registry:alias:history',
  'identity:whoami',
  'attestation:list',
  'deploy:environment:list',
  'deploy:read',
  'deploy:check',
  'gateway:policy:read',
  'monitor:reference:read',
  'monitor:read',
];
const write: PolicyAction[] = [
  'registry:model:create',
  'registry:model:update',
  'registry:version:push',
  'registry:version:update',
  'registry:alias:set',
  'registry:alias:delete',
  'registry:signature:attach',
  'attestation:create',
  'monitor:reference:set',
  'monitor:label',
];
const deploy: PolicyAction[] = [
  'deploy:request',
  'deploy:cancel',
  'deploy:apply',
  'deploy:promote',
  'deploy:abort',
  'deploy:rollback',
];

const invoke: PolicyAction[] = ['inference:invoke'];

/** What each built-in role may do, as docs/policy.md states it. */
const granted: Record<Role | 'none', PolicyAction[]> = {
  none: [],
  viewer: [...read, ...invoke],
  contributor: [...read, ...write, ...invoke],
  deployer: [...read, 'registry:alias:set', 'registry:alias:delete', ...deploy, ...invoke],
  approver: [...read, 'deploy:approve', 'deploy:reject'],
  admin: allActions,
};

const table = Object.entries(granted).flatMap(([role, allowed]) =>
  allActions.map((action) => ({ role, action, allowed: allowed.includes(action) })),
);

describe('built-in roles (policies/roles.cedar)', () => {
  it.each(table)('$role → $action: allowed=$allowed', ({ role, action, allowed }) => {
    const who = principal(role === 'none' ? [] : [role as Role]);
    const decision = engine.authorize({
      principal: who,
      action,
      resource: resourceOfType(policyActions[action].resource),
    });
    expect(decision.errors).toEqual([]);
    expect(decision.allowed).toBe(allowed);
    // An allow names the role's permit; a refusal with no forbid involved is Cedar's default deny.
    expect(decision.policies).toEqual(allowed ? [`role-${role}`] : []);
  });

  it('names every permit that allowed a request when a principal holds several roles', () => {
    const decision = engine.authorize({
      principal: principal(['viewer', 'contributor']),
      action: 'registry:model:read',
      resource: resourceOfType('Model'),
    });
    expect(decision.allowed).toBe(true);
    expect([...decision.policies].sort()).toEqual(['role-contributor', 'role-viewer']);
  });

  it('treats role names exactly: "Admin" is not admin', () => {
    const decision = engine.authorize({
      principal: { ...principal([]), roles: ['Admin' as Role] },
      action: 'identity:token:create',
      resource: { type: 'Registry' },
    });
    expect(decision.allowed).toBe(false);
  });
});

describe('team scope (team-scope forbid)', () => {
  const vision = principal(['contributor'], ['vision']);
  const teamActions: PolicyAction[] = [
    'registry:model:read',
    'registry:model:update',
    'registry:version:push',
    'registry:version:list',
    'registry:version:read',
    'registry:artifact:read',
    'registry:alias:list',
    'registry:alias:set',
    'registry:alias:delete',
    'registry:alias:history',
  ];

  it.each(teamActions)("a vision token is refused %s on nlp's model", (action) => {
    const decision = engine.authorize({
      principal: vision,
      action,
      resource: resourceOfType(policyActions[action].resource, 'nlp'),
    });
    expect(decision).toEqual({ allowed: false, policies: ['team-scope'], errors: [] });
  });

  it.each(teamActions)("a vision token may %s on vision's model", (action) => {
    const decision = engine.authorize({
      principal: vision,
      action,
      resource: resourceOfType(policyActions[action].resource, 'vision'),
    });
    expect(decision.allowed).toBe(true);
  });

  it('cannot create a model owned by another team', () => {
    const create = (owner: string) =>
      engine.authorize({
        principal: vision,
        action: 'registry:model:create',
        resource: resourceOfType('Model', owner),
      });
    expect(create('nlp').allowed).toBe(false);
    expect(create('vision').allowed).toBe(true);
  });

  it('a principal in several teams reaches each of them', () => {
    const both = principal(['viewer'], ['vision', 'nlp']);
    for (const owner of ['vision', 'nlp'])
      expect(
        engine.authorize({
          principal: both,
          action: 'registry:model:read',
          resource: resourceOfType('Model', owner),
        }).allowed,
      ).toBe(true);
    expect(
      engine.authorize({
        principal: both,
        action: 'registry:model:read',
        resource: resourceOfType('Model', 'speech'),
      }).allowed,
    ).toBe(false);
  });

  it('an unscoped admin reaches every team; a team-scoped admin only its own', () => {
    const push = (teams: string[]) =>
      engine.authorize({
        principal: principal(['admin'], teams),
        action: 'registry:version:push',
        resource: resourceOfType('Model', 'nlp'),
      });
    expect(push([])).toEqual({ allowed: true, policies: ['role-admin'], errors: [] });
    expect(push(['vision'])).toEqual({ allowed: false, policies: ['team-scope'], errors: [] });
  });

  it('does not limit registry-wide actions (listing is filtered per model by the service)', () => {
    const decision = engine.authorize({
      principal: vision,
      action: 'registry:model:list',
      resource: { type: 'Registry' },
    });
    expect(decision.allowed).toBe(true);
  });
});
