import { looksLikeApiToken } from './api-token.js';
import type { AuthResult, JwtVerifier } from './auth-result.js';

export interface AuthenticatorDeps {
  tokens: { authenticateToken(token: string): Promise<AuthResult> };
  /** The OIDC verifier, or null when no issuer is configured (JWTs are then refused). */
  jwt: JwtVerifier | null;
}

/** Takes an Authorization header value and says who is calling, or precisely why not. */
export type Authenticate = (authorization: string | undefined) => Promise<AuthResult>;

// RFC 6750 b64token; a JWT is three base64url parts (the last is empty in an unsigned `alg: none` one).
const bearerPattern = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
const jwtPattern = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const maxCredentialLength = 8192;

/**
 * Routes a bearer credential: `wdn_…` to the API tokens, a three-part JWT to the OIDC verifier. Any other
 * scheme or shape is refused before anything is looked up.
 */
export function createAuthenticator(deps: AuthenticatorDeps): Authenticate {
  return async (authorization) => {
    if (authorization === undefined || authorization.trim() === '')
      return { ok: false, reason: 'missing_credentials' };
    if (authorization.length > maxCredentialLength) return { ok: false, reason: 'malformed_credentials' };
    const match = bearerPattern.exec(authorization);
    if (!match?.[1]) {
      return /^Bearer(\s|$)/i.test(authorization)
        ? { ok: false, reason: 'malformed_credentials' }
        : { ok: false, reason: 'unsupported_scheme' };
    }
    const credential = match[1];
    if (looksLikeApiToken(credential)) return deps.tokens.authenticateToken(credential);
    if (jwtPattern.test(credential)) {
      return deps.jwt ? deps.jwt.verify(credential) : { ok: false, reason: 'oidc_not_configured' };
    }
    return { ok: false, reason: 'malformed_credentials' };
  };
}
