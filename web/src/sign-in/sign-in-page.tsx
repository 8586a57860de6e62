import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useSearchParams } from 'react-router';
import { ProblemView } from '../app/problem-view';
import { useSession } from '../app/session';

/** The server's `/sign-in?error=` codes (docs/errors.md, "Console sign-in refusals"), in words. */
const oidcErrors: Record<string, string> = {
  idp_error: 'The identity provider did not let you sign in.',
  login_expired: 'The sign-in took too long. Try again.',
  state_invalid: 'The sign-in could not be matched to one this server began. Try again.',
  browser_mismatch: 'The sign-in could not be matched to this browser. Try again.',
  login_replayed: 'This sign-in was already used. Try again.',
  token_invalid: 'The identity provider’s answer could not be verified.',
  teams_required: 'Your account at the identity provider names no team: ask an administrator.',
  oidc_unavailable: 'The identity provider could not be reached. Try again later.',
  oidc_disabled: 'Single sign-on is not configured on this server.',
  rate_limited: 'Too many failed sign-ins from this address. Wait a minute and try again.',
  busy: 'Too many sign-ins are in progress. Try again in a few minutes.',
  server_error: 'The server failed while finishing the sign-in. Try again.',
};

/** In words; an unknown code (the query string is anyone's to write) is shown as text, as it is. */
function oidcErrorText(code: string): string {
  // Own keys only: `?error=__proto__` must not reach Object.prototype (an object is no React child).
  return Object.hasOwn(oidcErrors, code) ? (oidcErrors[code] as string) : `Sign-in failed (${code}).`;
}

/** Two ways in: paste an API token, or sign in with the configured OpenID provider. */
export function SignInPage() {
  const { signInWithToken } = useSession();
  const [params] = useSearchParams();
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const returnTo = params.get('returnTo') ?? '/';
  const oidc = useQuery({
    queryKey: ['oidc-enabled'],
    queryFn: async () => {
      const response = await fetch('/api/v1/session/oidc', { credentials: 'same-origin' });
      if (!response.ok) return { enabled: false };
      return (await response.json()) as { enabled: boolean };
    },
  });
  const oidcError = params.get('error');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signInWithToken(token.trim());
      setToken('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="sign-in">
      <h1>Sign in to Warden</h1>
      {oidcError && (
        <div role="alert" className="problem">
          <p>{oidcErrorText(oidcError)}</p>
        </div>
      )}
      {oidc.data?.enabled && (
        <section aria-labelledby="oidc-heading">
          <h2 id="oidc-heading">Single sign-on</h2>
          <a
            className="button primary"
            href={`/api/v1/session/oidc/login?returnTo=${encodeURIComponent(returnTo)}`}
          >
            Sign in with OIDC
          </a>
        </section>
      )}
      <section aria-labelledby="token-heading">
        <h2 id="token-heading">API token</h2>
        <form onSubmit={(e) => void submit(e)}>
          <label htmlFor="token">API token</label>
          <input
            id="token"
            name="token"
            type="password"
            autoComplete="off"
            spellCheck={false}
            required
            value={token}
            onChange={(e) => setToken(e.target.value)}
            placeholder="wdn_…"
          />
          <p className="muted">The token is exchanged for a session cookie; the page never stores it.</p>
          <button type="submit" className="primary" disabled={busy || token.trim() === ''}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        {error !== null && <ProblemView error={error} title="Sign-in refused" />}
      </section>
    </main>
  );
}
