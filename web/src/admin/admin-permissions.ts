import type { PermissionCheck } from '../app/permissions';
import { usePermissions } from '../app/permissions';

/**
 * The administrative actions whose buttons the admin pages show, asked of the server as a whole. Revoking
 * a token is asked of that token (`useTokenRevokePermission`): a team-scoped administrator may revoke some.
 */
const adminActions = [
  'identity:token:create',
  'signing:signer:create',
  'signing:signer:revoke',
  'webhook:create',
  'webhook:delete',
] as const;

const checks: PermissionCheck[] = adminActions.map((action) => ({ action, resource: { type: 'global' } }));

/** Which admin actions the signed-in principal may take (none while the answer is pending or failed). */
export function useAdminPermissions() {
  return usePermissions(checks);
}

/** Whether the signed-in principal may revoke this token. */
export function useTokenRevokePermission(id: string): boolean {
  return usePermissions([{ action: 'identity:token:revoke', resource: { type: 'token', id } }]).allowed(
    'identity:token:revoke',
  );
}
