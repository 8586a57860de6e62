import Type from 'typebox';
import { Timestamp } from './common.schemas.js';

const Reason = Type.String({ minLength: 1, maxLength: 500 });
const Json = Type.Record(Type.String(), Type.Unknown());

export const GuardPolicyBody = Type.Object(
  {
    policy: Type.Unknown({
      description:
        'The fields to set (only these; the rest default): validation, rateLimit, screening, redaction, coarsening, extraction. See docs/guards.md.',
    }),
    reason: Type.Optional(Reason),
  },
  { additionalProperties: false },
);

export const GuardResetBody = Type.Union([
  Type.Object({ reason: Type.Optional(Reason) }, { additionalProperties: false }),
  Type.Null(),
]);

export const GuardPolicyResponse = Type.Object({
  environment: Type.String(),
  model: Type.String(),
  policy: Type.Object({
    validation: Json,
    rateLimit: Json,
    screening: Json,
    redaction: Json,
    coarsening: Json,
    extraction: Json,
  }),
  document: Json,
  overridden: Type.Array(Type.String()),
  revision: Type.Integer({ description: '0 when no policy was ever set' }),
  setBy: Type.Union([Type.String(), Type.Null()]),
  setByName: Type.Union([Type.String(), Type.Null()]),
  setAt: Type.Union([Timestamp, Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
});

export const ExtractionAlertsResponse = Type.Object({
  environment: Type.String(),
  model: Type.String(),
  items: Type.Array(
    Type.Object({
      principal: Type.String(),
      state: Type.Union([Type.Literal('suspect'), Type.Literal('throttled')]),
      stage: Type.Integer(),
      rateFactor: Type.Number(),
      signals: Type.Array(Type.String()),
      reason: Type.String(),
      since: Timestamp,
      lastAlertAt: Timestamp,
    }),
  ),
});
