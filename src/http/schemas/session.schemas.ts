import Type from 'typebox';
import { roles } from '../../platform/principal.js';
import { Timestamp } from './common.schemas.js';

export const SignInBody = Type.Object(
  {
    token: Type.String({
      minLength: 1,
      maxLength: 8192,
      description: 'An API token (wdn_…), checked exactly as a bearer token is.',
    }),
  },
  { additionalProperties: false },
);

/** A console session as its holder sees it: who it acts as, its CSRF token and when it ends. */
export const ConsoleSession = Type.Object(
  {
    sessionId: Type.String(),
    principal: Type.Object(
      {
        id: Type.String(),
        kind: Type.Union([Type.Literal('user'), Type.Literal('service')]),
        name: Type.String(),
        roles: Type.Array(Type.Union(roles.map((r) => Type.Literal(r)))),
        teams: Type.Array(Type.String()),
        unscoped: Type.Boolean(),
      },
      { additionalProperties: false },
    ),
    csrfToken: Type.String({
      description: 'Send it as the x-warden-csrf header on every request that is not GET, HEAD or OPTIONS.',
    }),
    idleExpiresAt: Timestamp,
    expiresAt: Timestamp,
    via: Type.Union([Type.Literal('token'), Type.Literal('oidc')]),
  },
  { additionalProperties: false },
);

export const OidcStatus = Type.Object(
  { enabled: Type.Boolean({ description: 'Whether the console may sign in with the OIDC issuer.' }) },
  { additionalProperties: false },
);

export const OidcLoginQuery = Type.Object(
  {
    returnTo: Type.Optional(
      Type.String({
        maxLength: 2048,
        description:
          'A path on this origin to return to afterwards (`/models`); anything else returns to `/`.',
      }),
    ),
  },
  { additionalProperties: false },
);

// Issuers add parameters of their own (`iss`, `session_state`): the callback takes them and hands the whole
// query to the code exchange, which checks what it knows.
export const OidcCallbackQuery = Type.Object(
  {
    code: Type.Optional(Type.String({ maxLength: 4096 })),
    state: Type.Optional(Type.String({ maxLength: 512 })),
    error: Type.Optional(Type.String({ maxLength: 256 })),
    error_description: Type.Optional(Type.String({ maxLength: 4096 })),
    iss: Type.Optional(Type.String({ maxLength: 2048 })),
  },
  { additionalProperties: Type.String({ maxLength: 4096 }) },
);

export const Redirect = Type.Null({ description: 'A redirect: see the Location header.' });
