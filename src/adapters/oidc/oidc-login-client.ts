import * as client from 'openid-client';
import type { AuthResult } from '../../modules/identity/auth-result.js';
import type { LoginChecks, OidcLoginClient } from '../../modules/identity/index.js';
import type { Logger } from '../../platform/logger.js';
import type { Secret } from '../../platform/secret.js';
import { type ClaimMapping, oidcConfigInvalid, principalFromClaims } from './claims-principal.js';

export interface OidcLoginClientOptions {
  /** The `oidc` issuer: discovered at `<issuer>/.well-known/openid-configuration` on the first sign-in. */
  issuer: string;
  clientId: string;
  /** Null for a public client (PKCE alone, no client authentication). */
  clientSecret: Secret | null;
  /** The callback's full URL, as registered at the issuer. */
  redirectUri: string;
  scopes: string[];
  /** The same claim mapping bearer JWTs use. */
  mapping: ClaimMapping;
  /** Seconds each request to the issuer may take (default 10). */
  timeoutSeconds?: number;
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The console's OIDC relying party on openid-client: authorization code flow with PKCE (S256), state and
 * nonce; the code is exchanged here (client_secret_basic, or none for a public client), the ID token
 * validated by openid-client (signature, issuer, audience, expiry, nonce), and its claims mapped exactly
 * as a bearer JWT's are. When the ID token lacks the roles claim, the teams claim or `preferred_username`,
 * as many issuers leave them to userinfo in the code flow, they are read from the userinfo endpoint (its `sub` checked against the ID
 * token's); the ID token's own claims win where both have one.
 *
 * An http issuer is accepted only on a loopback address (development and tests): that alone turns on
 * openid-client's `allowInsecureRequests`, for this issuer. Any other http issuer stops the start.
 */
export function createOidcLoginClient(
  options: OidcLoginClientOptions,
  deps: { logger: Pick<Logger, 'warn' | 'error'> },
): OidcLoginClient {
  const issuer = parseIssuer(options.issuer);
  const insecure = issuer.protocol === 'http:';
  const auth = options.clientSecret ? client.ClientSecretBasic(options.clientSecret.reveal()) : client.None();
  let configuration: Promise<client.Configuration> | null = null;

  // Discovered once and kept; a failed discovery is tried again on the next sign-in.
  const configure = (): Promise<client.Configuration> => {
    configuration ??= client
      .discovery(issuer, options.clientId, undefined, auth, {
        execute: insecure ? [client.allowInsecureRequests] : [],
        timeout: options.timeoutSeconds ?? 10,
      })
      .catch((err: unknown) => {
        configuration = null;
        throw err;
      });
    return configuration;
  };

  return {
    async begin() {
      const config = await configure();
      const checks: LoginChecks = {
        state: client.randomState(),
        nonce: client.randomNonce(),
        codeVerifier: client.randomPKCECodeVerifier(),
      };
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: options.redirectUri,
        scope: options.scopes.join(' '),
        code_challenge: await client.calculatePKCECodeChallenge(checks.codeVerifier),
        code_challenge_method: 'S256',
        state: checks.state,
        nonce: checks.nonce,
      });
      return { url, checks };
    },

    async finish(callback, checks): Promise<AuthResult> {
      try {
        const config = await configure();
        // The URL the issuer redirected to: the registered redirect URI with the callback's parameters.
        const current = new URL(options.redirectUri);
        current.search = callback.toString();
        const tokens = await client.authorizationCodeGrant(config, current, {
          pkceCodeVerifier: checks.codeVerifier,
          expectedState: checks.state,
          expectedNonce: checks.nonce,
          idTokenExpected: true,
        });
        const claims = tokens.claims();
        if (!claims) return { ok: false, reason: 'oidc_exchange_failed' };
        const merged: Record<string, unknown> = { ...claims };
        const wanted = [options.mapping.rolesClaim, options.mapping.teamsClaim, 'preferred_username']
          .filter((path): path is string => path !== null)
          .map((path) => path.split('.')[0] as string);
        const missing = wanted.filter((key) => !Object.hasOwn(claims, key));
        // The display name too: many issuers put roles in the ID token but the username only in userinfo.
        if (missing.length > 0 && config.serverMetadata().userinfo_endpoint) {
          const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
          for (const key of missing) if (Object.hasOwn(info, key)) merged[key] = info[key];
        }
        return principalFromClaims(merged, options.mapping);
      } catch (err) {
        // The caller is told only that the sign-in failed; the operator sees why (never a code or token).
        const e = err as { code?: unknown; error?: unknown; status?: unknown; message?: unknown };
        deps.logger.warn(
          { code: e.code, error: e.error, status: e.status, reason: String(e.message ?? err) },
          'OIDC sign-in: the code exchange or the ID token was refused',
        );
        return { ok: false, reason: 'oidc_exchange_failed' };
      }
    },
  };
}

function parseIssuer(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw oidcConfigInvalid('issuer is not a URL, so the console cannot sign in with it');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopbackHosts.has(url.hostname)))
    throw oidcConfigInvalid(
      'the console signs in only with an https issuer (plain http only on a loopback address)',
    );
  return url;
}
