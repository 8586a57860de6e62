import { describe, expect, it } from 'vitest';
import type { Principal } from '../../platform/principal.js';
import { createAuthorizer, type DeniedInfo } from './authorizer.js';
import { forbidden } from './policy.errors.js';
import type { AuthzDecision, AuthzRequest, PolicyEngine } from './policy.ports.js';

const bob: Principal = {
  id: 'service:bob',
  kind: 'service',
  name: 'bob',
  roles: ['viewer'],
  teams: [],
  unscoped: true,
  via: { kind: 'token', tokenId: 't' },
};

/** An engine that allows reads only, and records what it was asked. */
function readOnlyEngine(): PolicyEngine & { asked: AuthzRequest[] } {
  const asked: AuthzRequest[] = [];
  return {
    asked,
    authorize(request): AuthzDecision {
      asked.push(request);
      return request.action.endsWith(':read')
        ? { allowed: true, policies: ['p-read'], errors: [] }
        : { allowed: false, policies: ['f-write'], errors: [] };
    },
  };
}

describe('createAuthorizer', () => {
  it('passes principal, action and resource to the engine and returns its decision', () => {
    const engine = readOnlyEngine();
    const authorizer = createAuthorizer({ engine });
    const resource = { type: 'Model', model: { name: 'iris', owner: 'vision', tags: [] } } as const;
    expect(authorizer.authorize(bob, 'registry:model:read', resource)).toEqual({
      allowed: true,
      policies: ['p-read'],
      errors: [],
    });
    expect(engine.asked).toEqual([{ principal: bob, action: 'registry:model:read', resource }]);
  });

  it('require resolves an allow and throws forbidden on a deny, after awaiting onDenied', async () => {
    const denied: DeniedInfo[] = [];
    const authorizer = createAuthorizer({
      engine: readOnlyEngine(),
      onDenied: async (info) => {
        await Promise.resolve();
        denied.push(info);
      },
    });
    expect(
      (await authorizer.require(bob, 'registry:model:read', { type: 'Registry' } as never)).allowed,
    ).toBe(true);
    expect(denied).toEqual([]);
    await expect(
      authorizer.require(bob, 'registry:model:update', { type: 'Registry' } as never),
    ).rejects.toThrow('You are not allowed to do this.');
    expect(denied).toEqual([
      {
        principal: bob,
        action: 'registry:model:update',
        resource: { type: 'Registry' },
        decision: { allowed: false, policies: ['f-write'], errors: [] },
      },
    ]);
  });

  it('a failing onDenied refuses the request with its own error', async () => {
    const authorizer = createAuthorizer({
      engine: readOnlyEngine(),
      onDenied: () => Promise.reject(new Error('audit log unavailable')),
    });
    await expect(
      authorizer.require(bob, 'registry:model:update', { type: 'Registry' } as never),
    ).rejects.toThrow('audit log unavailable');
  });

  it('forbidden is kind forbidden, code forbidden, and carries no details', () => {
    const err = forbidden();
    expect([err.code, err.kind, err.details]).toEqual(['forbidden', 'forbidden', undefined]);
  });
});
