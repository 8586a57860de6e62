import { NavLink, Outlet, useLocation } from 'react-router';
import type { ConsoleModule } from './console-module';
import { ErrorBoundary } from './error-boundary';
import { useSession } from './session';

/** The frame of every signed-in page: skip link, menu, who is signed in, sign-out. */
export function Layout({ modules }: { modules: ConsoleModule[] }) {
  const { session, signOut } = useSession();
  const location = useLocation();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">Warden</span>
        <nav aria-label="Main">
          <ul>
            {modules
              .filter((m) => m.label)
              .map((m) => (
                <li key={m.id}>
                  <NavLink to={m.path}>{m.label}</NavLink>
                </li>
              ))}
          </ul>
        </nav>
        {session && (
          <div className="who">
            <bdi title={session.principal.id}>{session.principal.name}</bdi>
            <span className="muted"> ({session.principal.roles.join(', ') || 'no role'})</span>
            <button type="button" onClick={() => void signOut()}>
              Sign out
            </button>
          </div>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        <ErrorBoundary resetKey={location.pathname}>
          <Outlet />
        </ErrorBoundary>
      </main>
    </>
  );
}
