import Type from 'typebox';
import { slugPattern } from '../../platform/slug.js';

export const Slug = Type.String({ pattern: slugPattern, maxLength: 63 });
export const Digest = Type.String({ pattern: '^sha256:[0-9a-f]{64}$' });
export const Timestamp = Type.String({ format: 'date-time' });

/** RFC 9457 problem details, as every error response carries them. */
export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String(),
    detail: Type.String(),
    requestId: Type.String(),
    instance: Type.Optional(Type.String()),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    errors: Type.Optional(
      Type.Array(
        Type.Object({ path: Type.String(), message: Type.String() }, { additionalProperties: false }),
      ),
    ),
  },
  { $id: 'Problem' },
);

export const problemResponses = {
  '4xx': Type.Ref('Problem'),
  '5xx': Type.Ref('Problem'),
} as const;

export const PageQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    after: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const pageOf = <T extends Parameters<typeof Type.Array>[0]>(item: T) =>
  Type.Object({ items: Type.Array(item), next: Type.Union([Type.String(), Type.Null()]) });

const SessionId = Type.Optional(
  Type.String({ description: 'Set when the request came on a console session: its id.' }),
);

/**
 * The credential a principal authenticated with: an API token's id, or an OIDC token's issuer, subject,
 * jti; with the console session's id when it came on one.
 */
export const Credential = Type.Union([
  Type.Object(
    { kind: Type.Literal('token'), tokenId: Type.String(), sessionId: SessionId },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('oidc'),
      issuer: Type.String(),
      subject: Type.String(),
      jti: Type.Union([Type.String(), Type.Null()]),
      sessionId: SessionId,
    },
    { additionalProperties: false },
  ),
]);
