import type { AuthResult } from '../../modules/identity/auth-result.js';
import { defineError } from '../../platform/errors.js';
import { oidcPrincipalId, type Role, roles as wardenRoles } from '../../platform/principal.js';
import { isSlug } from '../../platform/slug.js';
import { claimAt, stringsOf, teamsClaimOf } from './claims.js';

export const oidcConfigInvalid = defineError('oidc_config_invalid', 'invalid', (problem: string) => ({
  message: `The OIDC configuration is invalid: ${problem}.`,
  details: { problem },
}));

/** How an issuer's claims become a Warden principal: the `oidc` settings bearer JWTs and console sign-ins share. */
export interface ClaimMappingOptions {
  /** The issuer: the principal id is `oidc:<issuer>#<sub>`. */
  issuer: string;
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
}

/** The mapping, checked once at start-up. */
export interface ClaimMapping {
  issuer: string;
  rolesClaim: string;
  roleMap: Map<string, Role> | null;
  teamsClaim: string | null;
  requireTeams: boolean;
  unscopedRoles: Set<string>;
  unscopedTeam: string | null;
}

/** Checks the mapping settings; a problem stops the start (`oidc_config_invalid`). */
export function claimMappingOf(o: ClaimMappingOptions): ClaimMapping {
  if (typeof o.issuer !== 'string' || o.issuer === '') throw oidcConfigInvalid('issuer is required');
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
  if (o.requireTeams && o.teamsClaim === undefined)
    throw oidcConfigInvalid('requireTeams needs teamsClaim (the claim that names the teams)');
  if (o.unscopedTeam !== undefined && !isSlug(o.unscopedTeam))
    throw oidcConfigInvalid('unscopedTeam must be a team-name slug');
  return {
    issuer: o.issuer,
    rolesClaim: claimPath(o.rolesClaim ?? 'warden_roles', 'rolesClaim'),
    roleMap,
    teamsClaim: o.teamsClaim === undefined ? null : claimPath(o.teamsClaim, 'teamsClaim'),
    requireTeams: o.requireTeams === true,
    unscopedRoles: new Set(o.unscopedRoles ?? []),
    unscopedTeam: o.unscopedTeam ?? null,
  };
}

/**
 * Maps verified claims (a JWT's payload, an ID token's claims with userinfo's) to a principal. Claims that
 * name no Warden role give no roles (policy then denies everything); scope fails closed.
 */
export function principalFromClaims(payload: Record<string, unknown>, m: ClaimMapping): AuthResult {
  const sub = payload.sub;
  if (typeof sub !== 'string' || sub === '' || sub.length > 255)
    return { ok: false, reason: 'jwt_missing_claim' };
  const values = stringsOf(claimAt(payload, m.rolesClaim));
  const granted = new Set<Role>();
  for (const v of values) {
    const role = m.roleMap
      ? m.roleMap.get(v)
      : (wardenRoles as readonly string[]).includes(v)
        ? (v as Role)
        : undefined;
    if (role) granted.add(role);
  }
  const scope = scopeOf(payload, values, m);
  if (!scope) return { ok: false, reason: 'jwt_teams_required' };
  const preferred = payload.preferred_username;
  const jti =
    typeof payload.jti === 'string' && payload.jti !== '' && payload.jti.length <= 255 ? payload.jti : null;
  return {
    ok: true,
    principal: {
      id: oidcPrincipalId(m.issuer, sub),
      kind: 'user',
      name: typeof preferred === 'string' && preferred !== '' && preferred.length <= 200 ? preferred : sub,
      roles: wardenRoles.filter((r) => granted.has(r)),
      ...scope,
      via: { kind: 'oidc', issuer: m.issuer, subject: sub, jti },
    },
  };
}

/**
 * The principal's scope, failing closed: unscoped only when a configured roles value or teams value says
 * so; otherwise the valid teams of the claim, or none when it is missing or malformed. Null when
 * `requireTeams` refuses the token.
 */
function scopeOf(
  payload: Record<string, unknown>,
  roleValues: string[],
  m: ClaimMapping,
): { teams: string[]; unscoped: boolean } | null {
  const claim = m.teamsClaim ? teamsClaimOf(claimAt(payload, m.teamsClaim)) : null;
  const named = claim?.ok ? claim.teams : [];
  const unscoped =
    roleValues.some((v) => m.unscopedRoles.has(v)) ||
    (m.unscopedTeam !== null && named.includes(m.unscopedTeam));
  if (unscoped) return { teams: [], unscoped: true };
  const teams = named.filter((t) => t !== m.unscopedTeam);
  if (m.requireTeams && teams.length === 0) return null;
  return { teams, unscoped: false };
}

function claimPath(path: string, key: string): string {
  if (!/^[A-Za-z0-9_:/.-]+$/.test(path) || path.split('.').some((p) => p === ''))
    throw oidcConfigInvalid(`${key} must be a claim name or a dotted path`);
  return path;
}
