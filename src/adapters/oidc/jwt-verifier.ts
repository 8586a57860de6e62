import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import type { AuthFailureReason, JwtVerifier } from '../../modules/identity/auth-result.js';
import { type Clock, systemClock } from '../../platform/clock.js';
import {
  type ClaimMapping,
  type ClaimMappingOptions,
  claimMappingOf,
  oidcConfigInvalid,
  principalFromClaims,
} from './claims-principal.js';

/** Asymmetric algorithms only: an HMAC "key" taken from a JWKS would be a public value. */
export const allowedJwtAlgorithms = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;
export const defaultJwtAlgorithms = ['RS256', 'ES256', 'EdDSA'];

export interface JwtVerifierOptions extends ClaimMappingOptions {
  /** The token's `aud` must contain this (or one of these). */
  audience: string | string[];
  /** The issuer's JWKS; https, or http on a loopback address (development and tests). */
  jwksUrl: string;
  /** Explicit allow-list; default RS256, ES256, EdDSA. `none` and HS* are refused. */
  algorithms?: string[];
  /** Leeway for exp and nbf, in seconds (default 30). */
  clockToleranceSec?: number;
  /** Minimum time between two JWKS fetches triggered by an unknown `kid` (default 30). */
  jwksCooldownSec?: number;
  /** How long a fetched JWKS is used before it is fetched again (default 600). */
  jwksCacheMaxAgeSec?: number;
}

interface Settings {
  issuer: string;
  audience: string | string[];
  jwksUrl: URL;
  algorithms: string[];
  clockToleranceSec: number;
  mapping: ClaimMapping;
}

/**
 * Verifies bearer JWTs from one OIDC issuer against its JWKS (fetched lazily, cached, refetched when a token
 * names an unknown `kid`, at most once per cooldown) and maps them to a Principal. A token whose claims name
 * no Warden role is authenticated with no roles: the policy then denies everything it asks for.
 */
export function createJwtVerifier(options: JwtVerifierOptions, deps: { clock?: Clock } = {}): JwtVerifier {
  const settings = validate(options);
  const clock = deps.clock ?? systemClock;
  const keys = createRemoteJWKSet(settings.jwksUrl, {
    cooldownDuration: (options.jwksCooldownSec ?? 30) * 1000,
    cacheMaxAge: (options.jwksCacheMaxAgeSec ?? 600) * 1000,
    timeoutDuration: 5000,
  });

  return {
    async verify(jwt) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(jwt, keys, {
          algorithms: settings.algorithms,
          issuer: settings.issuer,
          audience: settings.audience,
          requiredClaims: ['exp', 'sub'],
          clockTolerance: settings.clockToleranceSec,
          currentDate: clock.now(),
        }));
      } catch (err) {
        return { ok: false, reason: reasonOf(err) };
      }
      return principalFromClaims(payload as Record<string, unknown>, settings.mapping);
    },
  };
}

/** jose's error → the audit reason; the caller hears only "unauthenticated" whatever it is. */
function reasonOf(err: unknown): AuthFailureReason {
  const { code, claim } = (err ?? {}) as { code?: string; claim?: string };
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'jwt_expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (claim === 'iss') return 'jwt_wrong_issuer';
      if (claim === 'aud') return 'jwt_wrong_audience';
      if (claim === 'nbf') return 'jwt_not_yet_valid';
      if (claim === 'exp' || claim === 'sub') return 'jwt_missing_claim';
      return 'jwt_invalid';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return 'jwt_algorithm_not_allowed';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'jwt_bad_signature';
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return 'jwt_unknown_key';
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return 'jwt_malformed';
    case 'ERR_JWKS_TIMEOUT':
    case 'ERR_JWKS_INVALID':
    case 'ERR_JOSE_GENERIC':
      return 'jwks_unavailable';
  }
  // fetch() itself failing (connection refused, DNS) surfaces as a TypeError.
  return err instanceof TypeError ? 'jwks_unavailable' : 'jwt_invalid';
}

function validate(o: JwtVerifierOptions): Settings {
  if (typeof o.issuer !== 'string' || o.issuer === '') throw oidcConfigInvalid('issuer is required');
  const audiences = Array.isArray(o.audience) ? o.audience : [o.audience];
  if (audiences.length === 0 || audiences.some((a) => typeof a !== 'string' || a === ''))
    throw oidcConfigInvalid('audience is required');
  const jwksUrl = parseJwksUrl(o.jwksUrl);
  const algorithms = o.algorithms ?? defaultJwtAlgorithms;
  if (algorithms.length === 0) throw oidcConfigInvalid('algorithms must name at least one algorithm');
  for (const alg of algorithms) {
    if (!(allowedJwtAlgorithms as readonly string[]).includes(alg))
      throw oidcConfigInvalid(
        `algorithm ${JSON.stringify(alg)} is not allowed (use ${allowedJwtAlgorithms.join(', ')}; never none or HS*)`,
      );
  }
  const mapping = claimMappingOf(o);
  const tolerance = o.clockToleranceSec ?? 30;
  if (!Number.isInteger(tolerance) || tolerance < 0 || tolerance > 300)
    throw oidcConfigInvalid('clockToleranceSec must be an integer from 0 to 300');
  return {
    issuer: o.issuer,
    audience: o.audience,
    jwksUrl,
    algorithms: [...algorithms],
    clockToleranceSec: tolerance,
    mapping,
  };
}

function parseJwksUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw oidcConfigInvalid('jwksUrl is not a URL');
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    throw oidcConfigInvalid('jwksUrl must use https (plain http only on a loopback address)');
  if (url.username || url.password) throw oidcConfigInvalid('jwksUrl must not carry credentials');
  return url;
}
