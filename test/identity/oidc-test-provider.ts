import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/**
 * A real OpenID provider (oidc-provider 9) on 127.0.0.1, for tests that sign in to the console the way a
 * browser does. Reused by the console's browser tests, so its API stays small:
 *
 * ```ts
 * const op = await startTestProvider({
 *   users: { alice: { warden_roles: ['admin'], warden_teams: ['vision'], preferred_username: 'alice' } },
 *   redirectUri: 'http://127.0.0.1:8080/api/v1/session/oidc/callback',
 * });
 * op.issuer;                       // http://127.0.0.1:<port>: Warden's `oidc.issuer`
 * op.clientId; op.clientSecret;    // Warden's `console.oidc.clientId`, and its secret (a file or variable)
 * const callback = await op.authorize(loginUrl, 'alice');   // the URL the issuer sends the browser back to
 * const denied = await op.authorize(loginUrl, 'alice', { deny: true }); // …with error=access_denied
 * await op.close();
 * ```
 *
 * Users are account ids with the claims they hold: `warden_roles` and `warden_teams` come with the `openid`
 * scope, `preferred_username`/`name` with `profile`, `email` with `email`. The roles and teams ride in the
 * ID token; `preferred_username`, as with many issuers, only in userinfo (Warden reads it there). The
 * login page is oidc-provider's development interaction (any password is accepted; a browser test fills
 * `login` and `password` and presses "Sign-in"); consent is granted automatically, as for a first-party
 * client. `authorize` drives the same pages with fetch, carrying the cookies itself.
 */
export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** Follows an authorization URL through the login page as `login`; returns the redirect to the client. */
  authorize(url: string | URL, login: string, options?: { deny?: boolean }): Promise<URL>;
  close(): Promise<void>;
}

export interface TestProviderOptions {
  /** Account id → its claims. */
  users: Record<string, Record<string, unknown>>;
  /** The client's registered callback (default: Warden's on 127.0.0.1:8080). */
  redirectUri?: string;
  clientId?: string;
  clientSecret?: string;
}

export async function startTestProvider(options: TestProviderOptions): Promise<TestProvider> {
  const clientId = options.clientId ?? 'warden-console';
  const clientSecret = options.clientSecret ?? 'test-client-secret-0123456789abcdef';
  const redirectUri = options.redirectUri ?? 'http://127.0.0.1:8080/api/v1/session/oidc/callback';
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    async findAccount(_ctx, sub) {
      const claims = Object.hasOwn(options.users, sub) ? options.users[sub] : undefined;
      if (!claims) return undefined;
      return { accountId: sub, claims: async () => ({ ...claims, sub }) };
    },
    claims: {
      openid: ['sub', 'warden_roles', 'warden_teams'],
      profile: ['preferred_username', 'name'],
      email: ['email'],
    },
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      Grant: 3600,
      IdToken: 600,
      Interaction: 600,
      Session: 3600,
    },
    cookies: { keys: ['warden-test-provider-cookie-key'] },
    // First-party client: consent is granted for the scopes asked, so the login page is the only page.
    async loadExistingGrant(ctx) {
      const { oidc } = ctx;
      const grantId = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(oidc.client?.clientId ?? '');
      if (grantId) return oidc.provider.Grant.find(grantId);
      if (!oidc.session?.accountId || !oidc.client) return undefined;
      const grant = new oidc.provider.Grant({
        clientId: oidc.client.clientId,
        accountId: oidc.session.accountId,
      });
      grant.addOIDCScope(String(oidc.params?.scope ?? 'openid'));
      await grant.save();
      return grant;
    },
  });
  // The development interactions and the default signing keys print warnings: expected here.
  provider.on('server_error', () => {});
  server.on('request', provider.callback());

  return {
    issuer,
    clientId,
    clientSecret,
    redirectUri,
    authorize: (url, login, authorizeOptions = {}) =>
      drive(new URL(url), login, redirectUri, authorizeOptions.deny === true),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** A browser's part of the flow: redirects followed by hand, cookies carried, the login form posted. */
async function drive(start: URL, login: string, redirectUri: string, deny: boolean): Promise<URL> {
  const jar = new Map<string, string>();
  let url = start;
  let form: URLSearchParams | null = null;
  for (let step = 0; step < 12; step++) {
    const res: Response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { body: form.toString() } : {}),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
    form = null;
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      const next = new URL(location, url);
      if (next.href.startsWith(redirectUri)) return next;
      url = next;
      continue;
    }
    const html = await res.text();
    if (res.status !== 200 || !url.pathname.startsWith('/interaction/'))
      throw new Error(`unexpected answer ${res.status} from ${url.pathname}: ${html.slice(0, 300)}`);
    if (deny) {
      url = new URL(`${url.pathname}/abort`, url);
      continue;
    }
    const prompt = html.includes('name="prompt" value="consent"') ? 'consent' : 'login';
    form = new URLSearchParams({ prompt, login, password: 'any' });
  }
  throw new Error('the sign-in did not come back to the client');
}
