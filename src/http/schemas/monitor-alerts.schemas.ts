import Type from 'typebox';
import { Slug, Timestamp } from './common.schemas.js';
import { Test } from './monitor.schemas.js';

const Reason = Type.String({ minLength: 1, maxLength: 500 });
const Severity = Type.Union([Type.Literal('info'), Type.Literal('warning'), Type.Literal('critical')]);
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const MonitorPolicyParams = Type.Object({ env: Slug, model: Slug }, { additionalProperties: false });
export const EnvironmentParams = Type.Object({ env: Slug }, { additionalProperties: false });

export const AlertListQuery = Type.Object(
  {
    model: Type.Optional(Slug),
    state: Type.Optional(Type.Union([Type.Literal('firing'), Type.Literal('resolved')])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    after: Type.Optional(Type.String({ maxLength: 64, pattern: '^[0-9a-f-]{1,64}$' })),
  },
  { additionalProperties: false },
);

export const Alert = Type.Object({
  id: Type.String(),
  environment: Type.String(),
  model: Type.String(),
  rule: Type.String({
    description: 'The detector: dataset_drift, column_drift:<column>, confidence, error_rate…',
  }),
  severity: Severity,
  state: Type.Union([Type.Literal('firing'), Type.Literal('resolved')]),
  value: Type.Number({ description: 'The latest reading (the one that resolved it, once resolved).' }),
  threshold: Type.Number(),
  firedAt: Timestamp,
  resolvedAt: Nullable(Timestamp),
  updatedAt: Timestamp,
  windowId: Nullable(Type.String()),
  digest: Type.String(),
  version: Type.Integer(),
  rollback: Nullable(
    Type.Object({
      action: Type.Union([
        Type.Literal('rolled_back'),
        Type.Literal('aborted'),
        Type.Literal('cooldown'),
        Type.Literal('failed'),
      ]),
      at: Timestamp,
      deployment: Nullable(Type.String()),
      detail: Nullable(Type.String()),
    }),
  ),
});

export const AlertPage = Type.Object({ items: Type.Array(Alert), next: Nullable(Type.String()) });

export const MonitorPolicyBody = Type.Object(
  {
    policy: Type.Unknown({
      description:
        'The fields to set (only these; the rest default): thresholds, rules, drift. See docs/monitoring.md.',
    }),
    reason: Type.Optional(Reason),
  },
  { additionalProperties: false },
);

export const MonitorPolicyResetBody = Type.Union([
  Type.Object({ reason: Type.Optional(Reason) }, { additionalProperties: false }),
  Type.Null(),
]);

const Rule = Type.Object({
  enabled: Type.Boolean(),
  severity: Severity,
  forWindows: Type.Integer(),
  resolveAfter: Type.Integer(),
});

const DriftTestOptions = Type.Object({ test: Type.Optional(Test), threshold: Type.Optional(Type.Number()) });
const DriftPolicy = Type.Object(
  {
    test: Type.Optional(Test),
    threshold: Type.Optional(Type.Number()),
    numeric: Type.Optional(DriftTestOptions),
    categorical: Type.Optional(DriftTestOptions),
    columns: Type.Optional(Type.Record(Type.String(), DriftTestOptions)),
  },
  { description: "Drift tests and thresholds chosen instead of Evidently's defaults ({}: all defaults)" },
);

export const MonitorPolicyResponse = Type.Object({
  environment: Type.String(),
  model: Type.String(),
  policy: Type.Object({
    thresholds: Type.Record(Type.String(), Type.Number()),
    rules: Type.Record(Type.String(), Rule),
    drift: DriftPolicy,
  }),
  document: Type.Record(Type.String(), Type.Unknown()),
  revision: Type.Integer({ description: '0 when no policy was ever set' }),
  setBy: Nullable(Type.String()),
  setByName: Nullable(Type.String()),
  setAt: Nullable(Timestamp),
  reason: Nullable(Type.String()),
  warnings: Type.Array(Type.Object({ path: Type.String(), message: Type.String() }), {
    description:
      "After a PUT: drift settings for columns the live versions' references lack or do not test (accepted)",
  }),
});
