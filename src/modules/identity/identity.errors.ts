import { defineError } from '../../platform/errors.js';
import { roles } from '../../platform/principal.js';

/**
 * The one answer to every failed authentication, whatever the reason (missing, garbled, unknown, wrong
 * secret, revoked, expired, bad JWT): the precise reason goes to the audit log only.
 */
export const unauthenticated = defineError(
  'unauthenticated',
  'unauthenticated',
  () => 'Authentication required: send a valid bearer token.',
);

/** GET or DELETE of the console session by a caller that has none (no cookie, or a bearer credential). */
export const sessionRequired = defineError(
  'session_required',
  'unauthenticated',
  () =>
    'This needs a console session: sign in with POST /api/v1/session or OIDC. A bearer credential has no session (GET /api/v1/whoami says who it is).',
);

/**
 * A console request that changes something without its session's CSRF token (header x-warden-csrf), or
 * from another origin: a page elsewhere cannot make the browser act with its cookie.
 */
export const csrfFailed = defineError(
  'csrf_failed',
  'forbidden',
  () =>
    "The request's CSRF check failed: a console request that changes something must carry its session's x-warden-csrf header and come from the console's own origin.",
);

/** A genuine OIDC token refused because `oidc.requireTeams` is set and its teams claim names no team. */
export const oidcTeamsRequired = defineError(
  'oidc_teams_required',
  'unauthenticated',
  () =>
    'Your identity token names no team, and this server requires one: ask your identity provider administrator to add you to a team.',
);

/** An address that failed authentication too often is refused, for every request, until its block ends. */
export const authRateLimited = defineError(
  'auth_rate_limited',
  'rate_limited',
  (retryAfterSeconds: number) => ({
    message: `Too many failed authentications from this address; try again in ${retryAfterSeconds} s.`,
    details: { retryAfterSeconds },
  }),
);

export const invalidRole = defineError('invalid_role', 'invalid', (role: string) => ({
  message: `${JSON.stringify(role)} is not a Warden role; use one of ${roles.join(', ')}.`,
  details: { role, allowed: [...roles] },
}));

export const rolesRequired = defineError(
  'roles_required',
  'invalid',
  () => `A token needs at least one role (${roles.join(', ')}).`,
);

export const invalidTeam = defineError('invalid_team', 'invalid', (team: string) => ({
  message: `Team ${JSON.stringify(team)} is not a valid name: use 1-63 lowercase letters, digits and single dashes, starting with a letter.`,
  details: { team },
}));

export const invalidAccountName = defineError('invalid_account_name', 'invalid', (name: string) => ({
  message: `${JSON.stringify(name)} is not a valid service-account name: use 1-63 lowercase letters, digits and single dashes, starting with a letter.`,
  details: { name },
}));

export const invalidExpiry = defineError('invalid_expiry', 'invalid', (value: string, reason: string) => ({
  message: `Expiry ${JSON.stringify(value)} ${reason}.`,
  details: { expires: value },
}));

export const tokenNotFound = defineError('token_not_found', 'not_found', (id: string) => ({
  message: `There is no API token with id ${JSON.stringify(id)}.`,
  details: { id },
}));

export const adminTokenFileExists = defineError(
  'admin_token_file_exists',
  'precondition_failed',
  (file: string) => ({
    message: `The database has no principals yet, but ${file} already exists, so no first admin token was created. If it is left from an earlier installation, delete it and start again.`,
    details: { file },
  }),
);
