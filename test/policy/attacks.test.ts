import { describe, expect, it } from 'vitest';
import {
  createAuthorizer,
  forbidden,
  type PolicyAction,
  policyActions,
  type ResourceRef,
} from '../../src/modules/policy/index.js';
import type { Role } from '../../src/platform/principal.js';
import { engineWith, model, principal, resourceOfType } from './policy-fixtures.js';

// Security regressions: each names the attack it keeps out.
const engine = engineWith([], 1000);
const decide = (roles: Role[], teams: string[], action: string, resource: ResourceRef) =>
  engine.authorize({ principal: principal(roles, teams), action, resource });

const newToken = (roles: string[], teams: string[]): ResourceRef => ({
  type: 'Token',
  principal: 'service:new-bot',
  roles,
  teams,
});

const adminOnly: PolicyAction[] = [
  'identity:token:create',
  'identity:token:list',
  'identity:token:revoke',
  'signing:signer:create',
  'signing:signer:list',
  'signing:signer:revoke',
  'audit:log:read',
  'audit:log:verify',
  'audit:log:export',
  'audit:key:read',
  'policy:explain',
];

describe('attack: a contributor tries admin actions', () => {
  it.each(adminOnly)('contributor → %s is denied', (action) => {
    const decision = decide(['contributor'], [], action, resourceOfType(policyActions[action].resource));
    expect(decision).toEqual({ allowed: false, policies: [], errors: [] });
  });

  it('contributor + deployer + approver together still cannot issue a token', () => {
    expect(
      decide(['contributor', 'deployer', 'approver'], [], 'identity:token:create', newToken(['viewer'], []))
        .allowed,
    ).toBe(false);
  });

  it('the refusal is the generic forbidden error, and the detail goes only to onDenied', async () => {
    const denied: unknown[] = [];
    const authorizer = createAuthorizer({ engine, onDenied: (info) => void denied.push(info) });
    const who = principal(['contributor']);
    const thrown = await authorizer
      .require(who, 'identity:token:create', newToken(['admin'], []))
      .catch((e: unknown) => e);
    expect(forbidden.is(thrown)).toBe(true);
    expect((thrown as Error).message).toBe('You are not allowed to do this.');
    expect((thrown as { details?: unknown }).details).toBeUndefined();
    expect(denied).toEqual([
      {
        principal: who,
        action: 'identity:token:create',
        resource: newToken(['admin'], []),
        decision: { allowed: false, policies: [], errors: [] },
      },
    ]);
  });
});

describe('attack: a viewer tries to push', () => {
  it('viewer → registry:version:push is denied', () => {
    expect(decide(['viewer'], [], 'registry:version:push', resourceOfType('Model')).allowed).toBe(false);
  });

  it.each(['registry:model:create', 'registry:model:update', 'registry:alias:set', 'registry:alias:delete'])(
    'viewer → %s is denied',
    (action) => {
      const type = policyActions[action as PolicyAction].resource;
      expect(decide(['viewer'], [], action, resourceOfType(type)).allowed).toBe(false);
    },
  );

  it('an approver cannot push or move aliases either', () => {
    expect(decide(['approver'], [], 'registry:version:push', resourceOfType('Model')).allowed).toBe(false);
    expect(decide(['approver'], [], 'registry:alias:set', resourceOfType('Alias')).allowed).toBe(false);
  });
});

describe("attack: a token from one team reaches another team's model", () => {
  const nlp = (type: 'Model' | 'Version' | 'Alias') => resourceOfType(type, 'nlp');

  it.each([
    ['registry:model:read', 'Model'],
    ['registry:version:push', 'Model'],
    ['registry:artifact:read', 'Version'],
    ['registry:alias:set', 'Alias'],
  ] as const)('vision contributor → %s on an nlp model is denied by team-scope', (action, type) => {
    expect(decide(['contributor'], ['vision'], action, nlp(type))).toEqual({
      allowed: false,
      policies: ['team-scope'],
      errors: [],
    });
  });

  it('the owning team is compared exactly, not by prefix or case', () => {
    for (const owner of ['vision-2', 'Vision', 'visio', ' vision'])
      expect(
        decide(['viewer'], ['vision'], 'registry:model:read', resourceOfType('Model', owner)).allowed,
      ).toBe(false);
  });

  it('naming the request on the registry instead of the model does not dodge team scope', () => {
    // registry:version:push is decided on the Model; a Registry resource (which has no owner) is refused.
    const decision = decide(['contributor'], ['vision'], 'registry:version:push', { type: 'Registry' });
    expect(decision.allowed).toBe(false);
    expect(decision.errors).toEqual(['action "registry:version:push" is decided on Model, not Registry']);
  });
});

describe('attack: a team-scoped admin issues a token that reaches further than itself', () => {
  it.each([
    ['an unscoped token', []],
    ['a token for another team', ['nlp']],
    ['a token for its team and another', ['vision', 'nlp']],
  ])('vision admin → %s is denied by token-scope', (_what, teams) => {
    expect(decide(['admin'], ['vision'], 'identity:token:create', newToken(['contributor'], teams))).toEqual({
      allowed: false,
      policies: ['token-scope'],
      errors: [],
    });
  });

  it('a token without a teams attribute counts as unscoped', () => {
    const resource: ResourceRef = { type: 'Token', principal: 'service:new-bot', roles: ['viewer'] };
    expect(decide(['admin'], ['vision'], 'identity:token:create', resource).policies).toEqual([
      'token-scope',
    ]);
  });

  it('vision admin → a vision token is allowed; an unscoped admin may issue any token', () => {
    expect(
      decide(['admin'], ['vision'], 'identity:token:create', newToken(['contributor'], ['vision'])).allowed,
    ).toBe(true);
    expect(decide(['admin'], [], 'identity:token:create', newToken(['admin'], [])).allowed).toBe(true);
  });
});

describe('attack: requests outside the action catalogue', () => {
  it('an unknown action is denied, even for an admin', () => {
    const decision = decide(['admin'], [], 'registry:model:delete', resourceOfType('Model'));
    expect(decision).toEqual({
      allowed: false,
      policies: [],
      errors: ['unknown action "registry:model:delete"'],
    });
  });

  it.each(['read', 'write', 'move-alias', 'administer'])(
    'the action group "%s" cannot be requested as an action',
    (group) => {
      expect(decide(['admin'], [], group, { type: 'Registry' }).allowed).toBe(false);
    },
  );

  it('entity ids are data: quotes and separators in names cannot rewrite the request', () => {
    const evil = { ...model('vision', [], 'iris" || true'), owner: 'nlp", teams: ["vision' };
    const decision = decide(['viewer'], ['vision'], 'registry:model:read', { type: 'Model', model: evil });
    expect(decision).toEqual({ allowed: false, policies: ['team-scope'], errors: [] });
  });
});
