import Type from 'typebox';
import { Slug, Timestamp } from './common.schemas.js';

const Severity = Type.Union(['none', 'low', 'medium', 'high', 'critical'].map((s) => Type.Literal(s)));
const DigestText = Type.String({ description: 'sha256:<hex>' });
const Reason = Type.String({ minLength: 1, maxLength: 500 });
export const RequestId = Type.String({
  pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
});
export const VersionRefText = Type.Union(
  [Type.Integer({ minimum: 1 }), Type.String({ minLength: 1, maxLength: 80 })],
  {
    description: 'A version number, an alias or a digest (sha256:<hex>, at least 12 hex characters).',
  },
);

export const EnvironmentParams = Type.Object({ env: Slug }, { additionalProperties: false });
export const TargetParams = Type.Object({ env: Slug, name: Slug }, { additionalProperties: false });
export const RequestParams = Type.Object({ id: RequestId }, { additionalProperties: false });

export const Environment = Type.Object({
  name: Type.String(),
  approvals: Type.Integer(),
  allowSelfApproval: Type.Boolean(),
  selfApproval: Type.Boolean({ description: 'Whether self-approval counts here, as applied.' }),
  approvalTtlSeconds: Type.Integer(),
  requestTtlSeconds: Type.Integer(),
  autoApply: Type.Boolean(),
  gates: Type.Array(Type.String()),
  maxScanSeverity: Severity,
  maxVulnSeverity: Severity,
  requireVulnReport: Type.Boolean(),
  metrics: Type.Record(
    Type.String(),
    Type.Object({ min: Type.Optional(Type.Number()), max: Type.Optional(Type.Number()) }),
  ),
  requireDatasets: Type.Boolean(),
  requireTrainingRun: Type.Boolean(),
  requireSourceCommit: Type.Boolean(),
});

const GateVerdict = Type.Object({
  gate: Type.String(),
  passed: Type.Boolean(),
  policies: Type.Array(Type.String()),
  evidence: Type.Record(Type.String(), Type.Unknown()),
  errors: Type.Array(Type.String()),
});
export const GateResult = Type.Object({
  environment: Type.String(),
  digest: DigestText,
  passed: Type.Boolean(),
  gates: Type.Array(GateVerdict),
  hash: Type.String({ description: 'What approvals are bound to.' }),
});

export const CheckBody = Type.Object(
  { model: Slug, version: VersionRefText },
  { additionalProperties: false },
);
export const CheckResponse = Type.Object({
  environment: Type.String(),
  model: Type.String(),
  version: Type.Integer(),
  digest: DigestText,
  gates: GateResult,
  approvalsNeeded: Type.Integer(),
  autoApply: Type.Boolean(),
});

export const RequestBody = Type.Object(
  {
    model: Slug,
    version: VersionRefText,
    slot: Type.Optional(Type.Union([Type.Literal('stable'), Type.Literal('canary'), Type.Literal('shadow')])),
    percent: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    reason: Type.Optional(Reason),
  },
  { additionalProperties: false },
);

const Approval = Type.Object({
  approver: Type.String(),
  approverName: Type.String(),
  decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
  reason: Type.String(),
  at: Timestamp,
  expiresAt: Timestamp,
  counts: Type.Boolean(),
  ignored: Type.Union([Type.String(), Type.Null()]),
});

export const DeployRequest = Type.Object({
  id: Type.String(),
  environment: Type.String(),
  model: Type.String(),
  version: Type.Integer(),
  digest: DigestText,
  slot: Type.String(),
  percent: Type.Union([Type.Integer(), Type.Null()]),
  state: Type.String(),
  gates: GateResult,
  approvalsNeeded: Type.Integer(),
  approvalsCounted: Type.Integer(),
  approvals: Type.Array(Approval),
  requestedBy: Type.String(),
  requestedByName: Type.String(),
  reason: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp,
  expiresAt: Timestamp,
  closedAt: Type.Union([Timestamp, Type.Null()]),
  closedBy: Type.Union([Type.String(), Type.Null()]),
  closedReason: Type.Union([Type.String(), Type.Null()]),
});

export const Deployment = Type.Object({
  id: Type.String(),
  environment: Type.String(),
  model: Type.String(),
  version: Type.Integer(),
  digest: DigestText,
  action: Type.String(),
  slot: Type.String(),
  percent: Type.Union([Type.Integer(), Type.Null()]),
  previousDigest: Type.Union([DigestText, Type.Null()]),
  rolledBack: Type.Boolean(),
  request: Type.Union([Type.String(), Type.Null()]),
  requestedBy: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()]),
  approvedBy: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), at: Timestamp })),
  gates: Type.Union([Type.Object({ passed: Type.Boolean(), hash: Type.String() }), Type.Null()]),
  actor: Type.String(),
  actorName: Type.String(),
  reason: Type.Union([Type.String(), Type.Null()]),
  revision: Type.Integer(),
  at: Timestamp,
});

export const RequestResponse = Type.Object({
  request: DeployRequest,
  deployment: Type.Union([Deployment, Type.Null()], {
    description: 'Set when the request applied itself (zero-touch environments).',
  }),
});

export const RequestListQuery = Type.Object(
  {
    model: Type.Optional(Slug),
    state: Type.Optional(
      Type.Union(
        ['pending', 'approved', 'applied', 'rejected', 'cancelled', 'expired', 'superseded'].map((s) =>
          Type.Literal(s),
        ),
      ),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    after: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const DecisionBody = Type.Object({ reason: Reason }, { additionalProperties: false });
export const OptionalReasonBody = Type.Object(
  { reason: Type.Optional(Reason) },
  { additionalProperties: false },
);

export const LiveQuery = Type.Object(
  {
    since: Type.Optional(Type.Integer({ minimum: 0, description: 'Wait for a revision above this one.' })),
    wait: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 60, default: 30, description: 'Seconds to wait for a change.' }),
    ),
  },
  { additionalProperties: false },
);

const LiveSlot = Type.Object({ digest: DigestText, version: Type.Integer(), deployment: Type.String() });
export const Live = Type.Object({
  environment: Type.String(),
  revision: Type.Integer(),
  changed: Type.Optional(Type.Boolean()),
  models: Type.Array(
    Type.Object({
      model: Type.String(),
      stable: Type.Union([LiveSlot, Type.Null()]),
      candidate: Type.Union([
        Type.Object({
          digest: DigestText,
          version: Type.Integer(),
          deployment: Type.String(),
          mode: Type.Union([Type.Literal('canary'), Type.Literal('shadow')]),
          percent: Type.Integer(),
        }),
        Type.Null(),
      ]),
      revision: Type.Integer(),
      updatedAt: Timestamp,
    }),
  ),
});
