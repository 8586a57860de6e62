import { describe, expect, it } from 'vitest';
import { type PolicyAction, policyActions } from '../../src/modules/policy/index.js';
import { engineWith, principal, resourceOfType } from './policy-fixtures.js';

describe('the Cedar policy engine', () => {
  it('decides the same with and without its decision cache, and hands out frozen decisions', () => {
    const cold = engineWith([], 0);
    const warm = engineWith([], 100);
    const people = [
      principal(['viewer']),
      principal(['contributor'], ['vision']),
      principal(['admin'], ['nlp']),
    ];
    for (let round = 0; round < 2; round++) {
      for (const who of people) {
        for (const action of Object.keys(policyActions) as PolicyAction[]) {
          for (const owner of ['vision', 'nlp']) {
            const request = {
              principal: who,
              action,
              resource: resourceOfType(policyActions[action].resource, owner),
            };
            const decision = warm.authorize(request);
            expect(decision).toEqual(cold.authorize(request));
            expect(Object.isFrozen(decision) && Object.isFrozen(decision.policies)).toBe(true);
          }
        }
      }
    }
  });

  it('keys the cache on every attribute: a changed owner or role is decided afresh', () => {
    const engine = engineWith([], 100);
    const read = (teams: string[], owner: string) =>
      engine.authorize({
        principal: principal(['viewer'], teams),
        action: 'registry:model:read',
        resource: resourceOfType('Model', owner),
      }).allowed;
    expect(read(['vision'], 'vision')).toBe(true);
    expect(read(['vision'], 'nlp')).toBe(false);
    expect(read([], 'nlp')).toBe(true);
    expect(read(['vision'], 'vision')).toBe(true);
  });

  it('denies when a policy fails to evaluate, rather than skipping a forbid', () => {
    // The token's principal is not among the request's entities, so reading its roles fails at evaluation.
    const engine = engineWith([
      {
        id: 'ops/protect-admin-tokens.cedar',
        text: `@id("protect-admin-tokens")
forbid (principal, action == Warden::Action::"identity:token:revoke", resource)
when { resource.principal.roles.contains("admin") };`,
      },
    ]);
    const decision = engine.authorize({
      principal: principal(['admin']),
      action: 'identity:token:revoke',
      resource: { type: 'Token', id: 'tok_2', principal: 'service:other' },
    });
    expect(decision.allowed).toBe(false);
    expect(decision.policies).toEqual(['protect-admin-tokens']);
    expect(decision.errors[0]).toMatch(/^protect-admin-tokens: /);
  });

  it('lets a token be compared with the caller: revoke your own tokens', () => {
    const engine = engineWith([
      {
        id: 'ops/own-tokens.cedar',
        text: `@id("revoke-own-tokens")
permit (principal, action == Warden::Action::"identity:token:revoke", resource)
when { resource.principal == principal };`,
      },
    ]);
    const revoke = (owner: string) =>
      engine.authorize({
        principal: principal(['viewer'], [], 'service:ci-bot'),
        action: 'identity:token:revoke',
        resource: { type: 'Token', id: 'tok_1', principal: owner },
      });
    expect(revoke('service:ci-bot')).toEqual({ allowed: true, policies: ['revoke-own-tokens'], errors: [] });
    expect(revoke('service:other').allowed).toBe(false);
  });

  it('reports the shipped policies with their effect and location', () => {
    expect(engineWith().policies.map((p) => `${p.id} ${p.effect} ${p.file}`)).toEqual([
      'role-viewer permit builtin:roles.cedar',
      'role-contributor permit builtin:roles.cedar',
      'role-deployer permit builtin:roles.cedar',
      'role-approver permit builtin:roles.cedar',
      'role-admin permit builtin:roles.cedar',
      'token-scope forbid builtin:roles.cedar',
      'global-objects forbid builtin:roles.cedar',
      'team-scope forbid builtin:roles.cedar',
    ]);
    expect(engineWith().warnings).toEqual([]);
  });
});
