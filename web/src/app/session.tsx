import { type QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useMemo } from 'react';
import { ApiError, setCsrfToken, toApiError } from './api';

export interface SessionPrincipal {
  id: string;
  name: string;
  roles: string[];
  teams: string[];
  unscoped: boolean;
}

/** What `GET /api/v1/session` answers: who is signed in, the CSRF token, and when the session ends. */
export interface SessionInfo {
  principal: SessionPrincipal;
  csrfToken: string;
  idleExpiresAt: string;
  expiresAt: string;
  via: 'token' | 'oidc';
}

interface SessionContextValue {
  /** The signed-in session, null when signed out, undefined while the first answer is pending. */
  session: SessionInfo | null | undefined;
  signInWithToken(token: string): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);
export const sessionKey = ['session'] as const;

async function sessionCall(
  method: 'GET' | 'POST' | 'DELETE',
  body?: unknown,
  csrf?: string,
): Promise<SessionInfo | null> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (csrf) headers['x-warden-csrf'] = csrf;
  let response: Response;
  try {
    response = await fetch('/api/v1/session', {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiError({ status: 0, title: 'The server could not be reached', detail: String(err) });
  }
  if (method === 'GET' && response.status === 401) return null;
  if (response.status === 204) return null;
  const json: unknown = await response.json().catch(() => null);
  if (!response.ok) throw toApiError(response, json);
  return json as SessionInfo;
}

/**
 * Drops every cached answer but the session's own: nothing read as one principal is shown to the next.
 * The session query stays (`clear()` would remove it too, and the provider's observer would then never
 * see the new session set after it: signing in would stay on the sign-in page).
 */
function forgetOthers(queryClient: QueryClient): void {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionKey[0] });
  queryClient.getMutationCache().clear();
}

/** Holds the console's session: asked of the server at start, replaced on sign-in, cleared on sign-out. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: sessionKey,
    queryFn: async () => {
      const info = await sessionCall('GET');
      setCsrfToken(info?.csrfToken ?? null);
      return info;
    },
    staleTime: 60_000,
  });
  const signInWithToken = useCallback(
    async (token: string) => {
      const info = await sessionCall('POST', { token });
      setCsrfToken(info?.csrfToken ?? null);
      forgetOthers(queryClient);
      queryClient.setQueryData(sessionKey, info);
    },
    [queryClient],
  );
  const signOut = useCallback(async () => {
    const current = queryClient.getQueryData<SessionInfo | null>(sessionKey);
    try {
      await sessionCall('DELETE', undefined, current?.csrfToken);
    } finally {
      setCsrfToken(null);
      forgetOthers(queryClient);
      queryClient.setQueryData(sessionKey, null);
    }
  }, [queryClient]);
  const value = useMemo(
    () => ({ session: query.isPending ? undefined : (query.data ?? null), signInWithToken, signOut }),
    [query.isPending, query.data, signInWithToken, signOut],
  );
  if (query.isError) throw query.error;
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in principal; only for pages rendered behind the sign-in gate. */
export function usePrincipal(): SessionPrincipal {
  const { session } = useSession();
  if (!session) throw new Error('usePrincipal while signed out');
  return session.principal;
}
