import type { PermissionCheck } from '../app/permissions';
import { usePermissions } from '../app/permissions';

/** The administrative actions whose buttons the admin pages show; all on the server as a whole. */
const adminActions = [
  'identity:token:create',
  'identity:token:revoke',
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
