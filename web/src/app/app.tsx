import { QueryClientProvider } from '@tanstack/react-query';
import { useMemo } from 'react';
import { BrowserRouter, Navigate, type RouteObject, useLocation, useRoutes } from 'react-router';
import { SignInPage } from '../sign-in/sign-in-page';
import { ApiError } from './api';
import type { ConsoleModule } from './console-module';
import { ErrorBoundary } from './error-boundary';
import { Layout } from './layout';
import { createQueryClient } from './query-client';
import { SessionProvider, sessionKey, useSession } from './session';

/** Pages for the signed-in only: anyone else goes to sign-in and comes back where they were. */
function RequireSession({ modules }: { modules: ConsoleModule[] }) {
  const { session } = useSession();
  const location = useLocation();
  if (session === undefined) return <p className="loading">Loading…</p>;
  if (session === null) {
    const returnTo = `${location.pathname}${location.search}`;
    return <Navigate to={`/sign-in?returnTo=${encodeURIComponent(returnTo)}`} replace />;
  }
  return <Layout modules={modules} />;
}

function SignInRoute() {
  const { session } = useSession();
  const location = useLocation();
  if (session === undefined) return <p className="loading">Loading…</p>;
  if (session) {
    const returnTo = new URLSearchParams(location.search).get('returnTo');
    // Only a path on this site: never a scheme, a host, or "//host".
    const safe = returnTo && /^\/(?![/\\])/.test(returnTo) ? returnTo : '/';
    return <Navigate to={safe} replace />;
  }
  return <SignInPage />;
}

function Routes({ modules }: { modules: ConsoleModule[] }) {
  const routes = useMemo<RouteObject[]>(
    () => [
      { path: '/sign-in', element: <SignInRoute /> },
      {
        path: '/',
        element: <RequireSession modules={modules} />,
        children: [
          { index: true, element: <Navigate to={modules[0]?.path ?? '/'} replace /> },
          ...modules.flatMap((m) => m.routes),
          { path: '*', element: <NotFound /> },
        ],
      },
    ],
    [modules],
  );
  return useRoutes(routes);
}

function NotFound() {
  return (
    <section>
      <h1>Not found</h1>
      <p>There is no console page at this address.</p>
    </section>
  );
}

/** The console: one query cache, the session, the router, the modules' pages. */
export function App({ modules }: { modules: ConsoleModule[] }) {
  const queryClient = useMemo(() => {
    const client = createQueryClient();
    // A 401 on any call means the session ended (idle, absolute, revoked): back to sign-in.
    client.getQueryCache().config.onError = (error) => {
      if (error instanceof ApiError && error.status === 401) client.setQueryData(sessionKey, null);
    };
    return client;
  }, []);
  return (
    <ErrorBoundary>
      <QueryClientProvider client={queryClient}>
        <SessionProvider>
          <BrowserRouter>
            <Routes modules={modules} />
          </BrowserRouter>
        </SessionProvider>
      </QueryClientProvider>
    </ErrorBoundary>
  );
}
