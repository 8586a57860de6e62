import Type from 'typebox';
import { Slug } from './common.schemas.js';

const LoadCheck = Type.String({ description: 'signature, integrity, unavailable, runtime or format' });
const SlotStatus = Type.Object({
  version: Type.Integer(),
  digest: Type.String(),
  loaded: Type.Boolean(),
  failure: Type.Union([Type.Object({ check: LoadCheck, reason: Type.String() }), Type.Null()]),
});

export const ServingStatus = Type.Object({
  environment: Type.String(),
  ready: Type.Boolean({ description: "Whether this gateway has read the environment's live state" }),
  revision: Type.Integer({ description: 'The live-state revision its table was built from' }),
  models: Type.Array(
    Type.Object({
      name: Type.String(),
      environment: Type.String(),
      ready: Type.Boolean(),
      stable: Type.Union([SlotStatus, Type.Null()]),
      candidate: Type.Union([
        Type.Intersect([
          SlotStatus,
          Type.Object({
            mode: Type.Union([Type.Literal('canary'), Type.Literal('shadow')]),
            percent: Type.Integer(),
          }),
        ]),
        Type.Null(),
      ]),
      refused: Type.Union([SlotStatus, Type.Null()]),
      revision: Type.Integer(),
    }),
  ),
});

export const ServingStatsQuery = Type.Object(
  {
    model: Type.Optional(
      Type.Union([Slug, Type.Literal('_unknown')], {
        description: 'One model (`_unknown`: requests naming no model the gateway serves)',
      }),
    ),
    minutes: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 60, default: 60, description: 'The window, newest minutes' }),
    ),
  },
  { additionalProperties: false },
);

const Figures = Type.Object({
  requests: Type.Integer(),
  status: Type.Object({ '2xx': Type.Integer(), '4xx': Type.Integer(), '5xx': Type.Integer() }),
  refusals: Type.Record(Type.String(), Type.Integer(), {
    description: 'Answers of 400 and above by error code (`_other` beyond 31 distinct codes)',
  }),
  latencyMs: Type.Union(
    [Type.Object({ p50: Type.Number(), p90: Type.Number(), p99: Type.Number() }), Type.Null()],
    {
      description:
        'Percentiles over the answers that were not 4xx refusals, each the upper bound of a bucket 2^(1/4) wide: the true value lies in (value / 1.19, value]. Null when there were none',
    },
  ),
});

export const ServingStatsResponse = Type.Object({
  environment: Type.String(),
  from: Type.String({ format: 'date-time', description: 'The start of the oldest minute' }),
  to: Type.String({ format: 'date-time', description: 'When the figures were read' }),
  minutes: Type.Integer(),
  models: Type.Array(
    Type.Object({
      model: Type.String(),
      digests: Type.Array(
        Type.Object({
          digest: Type.Union([Type.String(), Type.Null()], {
            description: 'sha256:<hex>; null for requests refused before a version was chosen',
          }),
          totals: Figures,
        }),
      ),
      minutes: Type.Array(
        Type.Intersect([Type.Object({ at: Type.String({ format: 'date-time' }) }), Figures]),
        {
          description: 'One entry per minute, oldest first, zeros included; the last minute is still running',
        },
      ),
      totals: Figures,
    }),
  ),
});
