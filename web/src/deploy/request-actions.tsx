import { ActionDialog } from '../app/action-dialog';
import { api, unwrap } from '../app/api';
import { useRefreshDeploy } from './deploy-queries';
import type { DeployRequest } from './deploy-types';

const open = new Set(['pending', 'approved']);

/**
 * Approve, reject, apply and cancel for one request, each shown only where the caller may use it and the
 * request is still open. The server decides the rest (the two-person rule, approvals counted) and its
 * refusal is shown as it gave it.
 */
export function RequestActions({
  request,
  allowed,
}: {
  request: DeployRequest;
  allowed(action: string): boolean;
}) {
  const refresh = useRefreshDeploy();
  if (!open.has(request.state)) return null;
  const path = { params: { path: { id: request.id } } };
  const what = `${request.model} v${request.version} for ${request.environment}`;
  const buttons = [
    allowed('deploy:approve') && (
      <ActionDialog
        key="approve"
        label="Approve"
        primary
        title={`Approve ${what}?`}
        description="Your approval is bound to this digest and these gate results."
        reason="required"
        run={(reason) =>
          unwrap(
            api.POST('/api/v1/deploy-requests/{id}/approve', { ...path, body: { reason: reason ?? '' } }),
          )
        }
        onDone={refresh}
      />
    ),
    allowed('deploy:reject') && (
      <ActionDialog
        key="reject"
        label="Reject"
        destructive
        title={`Reject ${what}?`}
        description="A rejection ends the request."
        reason="required"
        run={(reason) =>
          unwrap(api.POST('/api/v1/deploy-requests/{id}/reject', { ...path, body: { reason: reason ?? '' } }))
        }
        onDone={refresh}
      />
    ),
    allowed('deploy:apply') && (
      <ActionDialog
        key="apply"
        label="Apply"
        primary
        title={`Apply ${what}?`}
        reason="none"
        run={() => unwrap(api.POST('/api/v1/deploy-requests/{id}/apply', path))}
        onDone={refresh}
      />
    ),
    allowed('deploy:cancel') && (
      <ActionDialog
        key="cancel"
        label="Cancel request"
        destructive
        title={`Cancel the request for ${what}?`}
        description="The request is withdrawn; nothing changes in what is live."
        reason="optional"
        run={(reason) =>
          unwrap(api.POST('/api/v1/deploy-requests/{id}/cancel', { ...path, body: { reason } }))
        }
        onDone={refresh}
      />
    ),
  ].filter(Boolean);
  if (buttons.length === 0) return null;
  return <div className="actions">{buttons}</div>;
}
