import Type from 'typebox';
import { Credential, Timestamp } from './common.schemas.js';

const Hash = Type.String({ pattern: '^[0-9a-f]{64}$' });
const Filter = Type.String({ minLength: 1, maxLength: 500 });

export const AuditListQuery = Type.Object(
  {
    principal: Type.Optional(Filter),
    action: Type.Optional(Filter),
    resource: Type.Optional(Filter),
    outcome: Type.Optional(
      Type.Union([Type.Literal('success'), Type.Literal('denied'), Type.Literal('failed')]),
    ),
    since: Type.Optional(Type.String({ format: 'date-time', description: 'Inclusive.' })),
    until: Type.Optional(Type.String({ format: 'date-time', description: 'Exclusive.' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    after: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: Number.MAX_SAFE_INTEGER,
        description: 'The seq to continue after.',
      }),
    ),
    order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')], { default: 'desc' })),
  },
  { additionalProperties: false },
);

export const AuditEntry = Type.Object(
  {
    seq: Type.Integer(),
    id: Type.String(),
    at: Timestamp,
    action: Type.String(),
    outcome: Type.Union([Type.Literal('success'), Type.Literal('denied'), Type.Literal('failed')]),
    principal: Type.Union([Type.String(), Type.Null()]),
    resource: Type.Union([Type.String(), Type.Null()]),
    requestId: Type.Union([Type.String(), Type.Null()]),
    clientAddress: Type.Union([Type.String(), Type.Null()]),
    actorName: Type.Optional(
      Type.String({ description: 'Display name of the principal (not an identifier).' }),
    ),
    credential: Type.Optional(Credential),
    team: Type.Optional(Type.String({ description: 'The team owning what the entry is about.' })),
    details: Type.Optional(
      Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()])),
    ),
    prevHash: Hash,
    hash: Hash,
  },
  { $id: 'AuditEntry' },
);

export const Checkpoint = Type.Object(
  {
    size: Type.Integer(),
    hash: Hash,
    note: Type.String({
      description: 'The C2SP signed note (tlog-checkpoint body + Ed25519 signature line).',
    }),
    at: Timestamp,
  },
  { $id: 'AuditCheckpoint' },
);

export const AuditPubkey = Type.Object({
  vkey: Type.String({ description: 'The current audit key as a signed-note verifier key: NAME+KEYID+KEY.' }),
  retired: Type.Array(Type.String(), { description: 'Verifier keys of retired audit keys.' }),
});

export const VerifyReport = Type.Object({
  ok: Type.Boolean(),
  entries: Type.Integer(),
  checkpoints: Type.Integer(),
  head: Type.Object({ seq: Type.Integer(), hash: Hash }),
  firstBad: Type.Union([
    Type.Object({ seq: Type.Integer(), reason: Type.String(), message: Type.String() }),
    Type.Null(),
  ]),
  checkpointProblems: Type.Array(
    Type.Object({ size: Type.Integer(), reason: Type.String(), message: Type.String() }),
  ),
});
