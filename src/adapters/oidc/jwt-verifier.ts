import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import type { AuthFailureReason, AuthResult, JwtVerifier } from '../../modules/identity/auth-result.js';
import { type Clock, systemClock } from '../../platform/clock.js';
import { defineError } from '../../platform/errors.js';
import { oidcPrincipalId, type Role, roles as wardenRoles } from '../../platform/principal.js';
import { isSlug } from '../../platform/slug.js';
import { claimAt, stringsOf, teamsClaimOf } from './claims.js';

export const oidcConfigInvalid = defineError('oidc_config_invalid', 'invalid', (problem: string) => ({
  message: `The OIDC configuration is invalid: ${problem}.`,
  details: { problem },
}));

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

export interface JwtVerifierOptions {
  /** Must equal the token's `iss` exactly. */
  issuer: string;
  /** The token's `aud` must contain this (or one of these). */
  audience: string | string[];
  /** The issuer's JWKS; https, or http on a loopback address (development and tests). */
  jwksUrl: string;
  /** Explicit allow-list; default RS256, ES256, EdDSA. `none` and HS* are refused. */
  algorithms?: string[];
  /** Dotted path of the claim that carries roles (default "warden_roles", e.g. "realm_access.roles"). */
  rolesClaim?: string;
  /** Claim value → Warden role. Without it, claim values that are Warden role names are taken as they are. */
  roleMap?: Record<string, string>;
  /**
   * Dotted path of a claim carrying team names (an array of slugs, or one space-separated string). Unset,
   * no token carries teams. A missing or malformed claim gives no teams: team-scoped access to nothing.
   */
  teamsClaim?: string;
  /** Refuse (401 `oidc_teams_required`) a token whose teams claim is missing, malformed or empty, unless
   * it is unscoped by `unscopedRoles` or `unscopedTeam`. */
  requireTeams?: boolean;
  /** Roles-claim values (as the issuer writes them, before `roleMap`) that make a principal unscoped. */
  unscopedRoles?: string[];
  /** A teams-claim value that makes a principal unscoped (e.g. "all-teams"); it is not itself a team. */
  unscopedTeam?: string;
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
  rolesClaim: string;
  roleMap: Map<string, Role> | null;
  teamsClaim: string | null;
  requireTeams: boolean;
  unscopedRoles: Set<string>;
  unscopedTeam: string | null;
  clockToleranceSec: number;
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
      return toPrincipal(payload, settings);
    },
  };
}

function toPrincipal(payload: JWTPayload, s: Settings): AuthResult {
  const sub = payload.sub;
  if (typeof sub !== 'string' || sub === '' || sub.length > 255)
    return { ok: false, reason: 'jwt_missing_claim' };
  const values = stringsOf(claimAt(payload, s.rolesClaim));
  const granted = new Set<Role>();
  for (const v of values) {
    const role = s.roleMap
      ? s.roleMap.get(v)
      : (wardenRoles as readonly string[]).includes(v)
        ? (v as Role)
        : undefined;
    if (role) granted.add(role);
  }
  const scope = scopeOf(payload, values, s);
  if (!scope) return { ok: false, reason: 'jwt_teams_required' };
  const preferred = payload.preferred_username;
  const jti =
    typeof payload.jti === 'string' && payload.jti !== '' && payload.jti.length <= 255 ? payload.jti : null;
  return {
    ok: true,
    principal: {
      id: oidcPrincipalId(s.issuer, sub),
      kind: 'user',
      name: typeof preferred === 'string' && preferred !== '' && preferred.length <= 200 ? preferred : sub,
      roles: wardenRoles.filter((r) => granted.has(r)),
      ...scope,
      via: { kind: 'oidc', issuer: s.issuer, subject: sub, jti },
    },
  };
}

/**
 * The principal's scope, failing closed: unscoped only when a configured roles value or teams value says
 * so; otherwise the valid teams of the claim, or none when it is missing or malformed. Null when
 * `requireTeams` refuses the token.
 */
function scopeOf(
  payload: JWTPayload,
  roleValues: string[],
  s: Settings,
): { teams: string[]; unscoped: boolean } | null {
  const claim = s.teamsClaim ? teamsClaimOf(claimAt(payload, s.teamsClaim)) : null;
  const named = claim?.ok ? claim.teams : [];
  const unscoped =
    roleValues.some((v) => s.unscopedRoles.has(v)) ||
    (s.unscopedTeam !== null && named.includes(s.unscopedTeam));
  if (unscoped) return { teams: [], unscoped: true };
  const teams = named.filter((t) => t !== s.unscopedTeam);
  if (s.requireTeams && teams.length === 0) return null;
  return { teams, unscoped: false };
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
  let roleMap: Map<string, Role> | null = null;
  if (o.roleMap) {
    roleMap = new Map();
    for (const [value, role] of Object.entries(o.roleMap)) {
      if (!(wardenRoles as readonly string[]).includes(role))
        throw oidcConfigInvalid(
          `roleMap maps ${JSON.stringify(value)} to ${JSON.stringify(role)}, which is not a Warden role`,
        );
      roleMap.set(value, role as Role);
    }
  }
  const tolerance = o.clockToleranceSec ?? 30;
  if (!Number.isInteger(tolerance) || tolerance < 0 || tolerance > 300)
    throw oidcConfigInvalid('clockToleranceSec must be an integer from 0 to 300');
  return {
    issuer: o.issuer,
    audience: o.audience,
    jwksUrl,
    algorithms: [...algorithms],
    rolesClaim: claimPath(o.rolesClaim ?? 'warden_roles', 'rolesClaim'),
    roleMap,
    teamsClaim: o.teamsClaim === undefined ? null : claimPath(o.teamsClaim, 'teamsClaim'),
    requireTeams: requireTeams(o),
    unscopedRoles: new Set(o.unscopedRoles ?? []),
    unscopedTeam: unscopedTeam(o.unscopedTeam),
    clockToleranceSec: tolerance,
  };
}

function requireTeams(o: JwtVerifierOptions): boolean {
  if (o.requireTeams && o.teamsClaim === undefined)
    throw oidcConfigInvalid('requireTeams needs teamsClaim (the claim that names the teams)');
  return o.requireTeams === true;
}

function unscopedTeam(value: string | undefined): string | null {
  if (value === undefined) return null;
  if (!isSlug(value)) throw oidcConfigInvalid('unscopedTeam must be a team-name slug');
  return value;
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

function claimPath(path: string, key: string): string {
  if (!/^[A-Za-z0-9_:/.-]+$/.test(path) || path.split('.').some((p) => p === ''))
    throw oidcConfigInvalid(`${key} must be a claim name or a dotted path`);
  return path;
}
