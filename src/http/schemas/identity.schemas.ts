import Type from 'typebox';
import { tokenIdPattern } from '../../modules/identity/api-token.js';
import { roles } from '../../platform/principal.js';
import { Credential, Slug, Timestamp } from './common.schemas.js';

const Role = Type.Union(
  roles.map((r) => Type.Literal(r)),
  { description: `One of ${roles.join(', ')}.` },
);
const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);

export const CreateTokenBody = Type.Object(
  {
    name: Type.String({
      maxLength: 200,
      description: 'The service account ("service:<name>") the token is for; a slug.',
    }),
    roles: Type.Array(Type.String({ maxLength: 50 }), { minItems: 1, maxItems: 10 }),
    teams: Type.Optional(Type.Array(Type.String({ maxLength: 63 }), { maxItems: 50 })),
    expires: Type.Optional(
      Type.String({
        maxLength: 40,
        description:
          'A duration (90m, 12h, 30d), a date (valid through that day, UTC) or a date-time with a zone; default 90 days, at most 400.',
      }),
    ),
  },
  { additionalProperties: false },
);

export const TokenParams = Type.Object(
  { id: Type.String({ pattern: tokenIdPattern }) },
  { additionalProperties: false },
);

export const IssuedToken = Type.Object(
  {
    id: Type.String(),
    token: Type.String({ description: 'The bearer token; shown this once and never again.' }),
    name: Type.String(),
    principal: Type.String(),
    roles: Type.Array(Role),
    teams: Type.Array(Slug),
    expiresAt: NullableTimestamp,
    createdAt: Timestamp,
  },
  { additionalProperties: false },
);

export const TokenInfo = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    principal: Type.String(),
    roles: Type.Array(Role),
    teams: Type.Array(Slug),
    createdBy: Type.String(),
    createdAt: Timestamp,
    expiresAt: NullableTimestamp,
    lastUsedAt: NullableTimestamp,
    revokedAt: NullableTimestamp,
    revokedBy: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);

export const WhoAmI = Type.Object(
  {
    id: Type.String(),
    kind: Type.Union([Type.Literal('user'), Type.Literal('service')]),
    name: Type.String(),
    roles: Type.Array(Role),
    teams: Type.Array(Type.String()),
    unscoped: Type.Boolean({ description: "True when the principal reaches every team's resources." }),
    via: Credential,
  },
  { additionalProperties: false },
);
