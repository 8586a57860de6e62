import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useSearchParams } from 'react-router';
import { ProblemView } from '../app/problem-view';
import { useSession } from '../app/session';

const oidcErrors: Record<string, string> = {
  access_denied: 'The identity provider did not let you sign in.',
  expired: 'The sign-in took too long. Try again.',
  state_mismatch: 'The sign-in could not be matched to this browser. Try again.',
};

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
          <p>{oidcErrors[oidcError] ?? `Sign-in failed (${oidcError}).`}</p>
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
