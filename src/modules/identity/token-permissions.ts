import type { AccessGuard, PermissionDecider } from '../policy/index.js';
import type { IdentityStores } from './identity.ports.js';

/** Tokens as permission targets: issuing one (`global`), revoking a given one (`token`). */
export type TokenTarget = { type: 'global' } | { type: 'token'; id: string };

export interface TokenPermissionDeps {
  read: IdentityStores;
  access: Pick<AccessGuard, 'allows'>;
}

/**
 * "May the caller issue a token, or revoke this one?", decided on the token as the identity service
 * decides it. Issuing is asked of a token granting the caller's own teams (an unscoped caller: no teams,
 * which is unscoped), the widest a team-scoped administrator may issue; a token that does not exist is not
 * allowed to be revoked.
 */
export function createTokenPermissions(deps: TokenPermissionDeps): PermissionDecider<TokenTarget> {
  const { read, access } = deps;
  return {
    actions: { global: ['identity:token:create'], token: ['identity:token:revoke'] },
    async allows(ctx, action, target) {
      if (target.type === 'global') {
        const { unscoped, teams } = ctx.principal;
        return access.allows(ctx, action, {
          type: 'Token',
          principal: 'service:(new)',
          roles: ['viewer'],
          teams: unscoped ? [] : [...teams],
        });
      }
      const existing = await read.identity.findToken(target.id);
      if (!existing) return false;
      return access.allows(ctx, action, {
        type: 'Token',
        id: existing.id,
        principal: existing.principalId,
        roles: existing.roles,
        teams: existing.teams,
      });
    },
  };
}
