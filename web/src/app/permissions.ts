import { useQuery } from '@tanstack/react-query';
import { ApiError, toApiError } from './api';
import { useSession } from './session';

/** A resource as `POST /api/v1/permissions` names it. */
export type PermissionResource =
  | { type: 'global' }
  | { type: 'model'; model: string }
  | { type: 'version'; model: string; version: string }
  | { type: 'alias'; model: string; alias: string }
  | { type: 'environment'; environment: string }
  | { type: 'deployment'; environment: string; model: string }
  | { type: 'deploy-request'; id: string }
  | { type: 'guards'; environment: string; model: string }
  | { type: 'monitor'; environment: string; model: string }
  | { type: 'token'; id: string };

export interface PermissionCheck {
  action: string;
  resource: PermissionResource;
}

/**
 * Asks the server which of these actions the signed-in principal may take, to show only the buttons they
 * may use. The server still decides every action when it is taken; a pending or failed answer shows none.
 */
export function usePermissions(checks: PermissionCheck[]): {
  allowed(action: string): boolean;
  isPending: boolean;
} {
  const { session } = useSession();
  const query = useQuery({
    queryKey: ['permissions', session?.principal.id, checks],
    enabled: checks.length > 0 && !!session,
    queryFn: async () => {
      const response = await fetch('/api/v1/permissions', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', 'x-warden-csrf': session?.csrfToken ?? '' },
        body: JSON.stringify({ checks }),
      }).catch((err: unknown) => {
        throw new ApiError({ status: 0, title: 'The server could not be reached', detail: String(err) });
      });
      const body: unknown = await response.json().catch(() => null);
      if (!response.ok) throw toApiError(response, body);
      return (body as { results: { action: string; allowed: boolean }[] }).results;
    },
    staleTime: 30_000,
  });
  const results = query.data ?? [];
  return {
    allowed: (action) => results.some((r) => r.action === action && r.allowed),
    isPending: query.isPending,
  };
}
