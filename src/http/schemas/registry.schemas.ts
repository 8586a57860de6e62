import Type from 'typebox';
import { paramsLimits, paramsViolation } from '../../modules/registry/index.js';
import { Digest, Slug, Timestamp } from './common.schemas.js';

const Tags = Type.Array(Slug, { maxItems: 50 });

/** Who acted: the kind-qualified principal id, exact and stable. */
const ActorId = (what: string) =>
  Type.String({ description: `${what}: the principal id (\`token:<id>\`, \`oidc:<issuer>#<sub>\`, …).` });
/** Beside each id, for people: the display name it had then; null on records made before names were kept. */
const ActorName = (what: string) =>
  Type.Union([Type.String(), Type.Null()], {
    description: `The display name of ${what} when it acted (a token's name, an OIDC user's name); null on older records. Never unique: the id says who.`,
  });

export const ModelParams = Type.Object(
  { name: Type.String({ maxLength: 200 }) },
  { additionalProperties: false },
);
export const VersionParams = Type.Object(
  { name: Type.String({ maxLength: 200 }), ref: Type.String({ maxLength: 100 }) },
  { additionalProperties: false },
);
export const AliasParams = Type.Object(
  { name: Type.String({ maxLength: 200 }), alias: Type.String({ maxLength: 200 }) },
  { additionalProperties: false },
);
/** The file path is the route's wildcard (`*`), which the router caps at maxParamLength. */
export const FileParams = Type.Object({
  name: Type.String({ maxLength: 200 }),
  ref: Type.String({ maxLength: 100 }),
});

export const CreateModelBody = Type.Object(
  {
    name: Type.String({
      maxLength: 200,
      description: 'A slug: lowercase letters, digits and single dashes.',
    }),
    description: Type.Optional(Type.String({ maxLength: 10_000 })),
    owner: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    tags: Type.Optional(Type.Array(Type.String({ maxLength: 63 }), { maxItems: 50 })),
  },
  { additionalProperties: false },
);

export const UpdateModelBody = Type.Object(
  {
    description: Type.Optional(Type.String({ maxLength: 10_000 })),
    tags: Type.Optional(Type.Array(Type.String({ maxLength: 63 }), { maxItems: 50 })),
  },
  { additionalProperties: false, minProperties: 1 },
);

/** Versions page newest first; the cursor is the last version number seen (anything else is refused). */
export const ListVersionsQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    after: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,8}$' })),
    deleted: Type.Optional(
      Type.Union([Type.Literal('exclude'), Type.Literal('include')], {
        default: 'exclude',
        description: '"include" lists deleted versions (tombstones) too.',
      }),
    ),
  },
  { additionalProperties: false },
);

/** Deleting a version asks why: the reason stays on the tombstone and in the audit log. */
export const DeleteVersionQuery = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 500 }) },
  { additionalProperties: false },
);

export const ListModelsQuery = Type.Object(
  {
    tag: Type.Optional(Slug),
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description:
          'Models whose name contains this text, case-insensitively (no wildcards: `%` and `_` match themselves).',
      }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    after: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

const modelFields = {
  name: Type.String(),
  description: Type.String(),
  owner: Type.String(),
  tags: Tags,
  createdBy: ActorId('Who created the model'),
  createdByName: ActorName('the creator'),
  createdAt: Timestamp,
  updatedAt: Timestamp,
};

export const Model = Type.Object(modelFields, { $id: 'Model' });

export const Alias = Type.Object(
  {
    name: Type.String(),
    version: Type.Integer(),
    digest: Digest,
    updatedBy: ActorId('Who last moved the alias'),
    updatedByName: ActorName('whoever last moved the alias'),
    updatedAt: Timestamp,
  },
  { $id: 'Alias' },
);

/** A model in a list: beside its record, its newest live version and where its aliases point. */
export const ModelListItem = Type.Object(
  {
    ...modelFields,
    latestVersion: Type.Union([Type.Integer(), Type.Null()], {
      description: 'The newest version that is not deleted; null when there is none.',
    }),
    aliases: Type.Array(Type.Object({ name: Type.String(), version: Type.Integer() }), {
      description: "The model's aliases by name, each with the version number it points at.",
    }),
  },
  { $id: 'ModelListItem' },
);

export const ModelDetail = Type.Object({
  ...modelFields,
  aliases: Type.Array(Type.Ref('Alias')),
  latestVersion: Type.Union([Type.Integer(), Type.Null()]),
});

const TensorSpec = Type.Object({
  name: Type.String(),
  dtype: Type.String(),
  shape: Type.Union([Type.Array(Type.Union([Type.Number(), Type.String(), Type.Null()])), Type.Null()]),
});

const IoSignature = Type.Union([
  Type.Object({
    inputs: Type.Array(TensorSpec),
    outputs: Type.Array(TensorSpec),
    irVersion: Type.Union([Type.Integer(), Type.Null()]),
    opsets: Type.Array(Type.Object({ domain: Type.String(), version: Type.Integer() })),
    producer: Type.Union([Type.String(), Type.Null()]),
  }),
  Type.Null(),
]);

const ScanFinding = Type.Object({
  kind: Type.String(),
  global: Type.Union([Type.String(), Type.Null()]),
  opcode: Type.Union([Type.String(), Type.Null()]),
  offset: Type.Integer(),
  member: Type.Optional(Type.String()),
  severity: Type.String(),
  reason: Type.String(),
});

/** The pickle-scan attestation recorded at push time (null when no file could hold a pickle). */
const ScanAttestation = Type.Union([
  Type.Object({
    scanner: Type.String(),
    version: Type.Integer(),
    scannedAt: Timestamp,
    severity: Type.String({
      description: 'The highest severity of any finding: none, low, medium, high or critical.',
    }),
    files: Type.Array(
      Type.Object({
        path: Type.String(),
        format: Type.String(),
        severity: Type.String(),
        findings: Type.Array(ScanFinding),
      }),
    ),
  }),
  Type.Null(),
]);

/** A signature on a version, re-checked whenever it is shown. */
export const SignatureView = Type.Object({
  signer: Type.String(),
  environments: Type.Array(Type.String(), { description: 'The environments its signer may sign for.' }),
  status: Type.Union([Type.Literal('verified'), Type.Literal('failed'), Type.Literal('revoked')], {
    description: 'verified; failed (does not, or no longer, verify); revoked (its signer was revoked since).',
  }),
  detail: Type.String(),
  attachedAt: Timestamp,
  attachedBy: Type.String(),
});

const VersionSummary = Type.Object({ model: Type.String(), number: Type.Integer(), digest: Digest });

const versionFields = {
  model: Type.String(),
  number: Type.Integer(),
  digest: Digest,
  kind: Type.Union([Type.Literal('file'), Type.Literal('directory')]),
  format: Type.String(),
  size: Type.Integer(),
  fileCount: Type.Integer(),
  ioSignature: IoSignature,
  scan: ScanAttestation,
  metrics: Type.Record(Type.String(), Type.Number()),
  params: Type.Record(Type.String(), Type.Unknown()),
  metadata: Type.Record(Type.String(), Type.String()),
  lineage: Type.Object({
    datasetDigests: Type.Array(Type.String()),
    trainingRun: Type.Union([Type.String(), Type.Null()]),
    parent: Type.Union([VersionSummary, Type.Null()]),
    sourceCommit: Type.Union([Type.String(), Type.Null()]),
  }),
  aliases: Type.Array(Type.String()),
  signatures: Type.Array(SignatureView),
  signedFor: Type.Array(Type.String(), {
    description: 'Environments vouched for by at least one verified signature (its signer’s environments).',
  }),
  createdBy: ActorId('Who pushed the version'),
  createdByName: ActorName('the pusher'),
  createdAt: Timestamp,
  deleted: Type.Union([
    Type.Object({
      at: Timestamp,
      by: ActorId('Who deleted the version'),
      byName: ActorName('the deleter'),
      reason: Type.String(),
    }),
    Type.Null(),
  ]),
};

export const Version = Type.Object(versionFields, { $id: 'Version' });

export const VersionDetail = Type.Object({
  ...versionFields,
  files: Type.Array(Type.Object({ path: Type.String(), digest: Digest, size: Type.Integer() })),
  manifest: Type.Object({
    serialization: Type.Object({
      method: Type.Literal('files'),
      hash_type: Type.Literal('sha256'),
      allow_symlinks: Type.Literal(false),
    }),
    resources: Type.Array(
      Type.Object({ name: Type.String(), algorithm: Type.Literal('sha256'), digest: Type.String() }),
    ),
  }),
});

export const VersionDeletion = Type.Object({
  version: Type.Ref('Version'),
  blobs: Type.Object(
    {
      destroyed: Type.Integer({
        description: 'Stored blobs (distinct file contents) destroyed: data key erased, file removed.',
      }),
      retained: Type.Integer({
        description: 'Stored blobs kept because another live version holds the same bytes.',
      }),
      pending: Type.Integer({
        description: 'Stored blobs whose destruction failed; retried at the next start.',
      }),
    },
    { additionalProperties: false },
  ),
});

/** Free-form training parameters, bounded in depth and size (see the registry's paramsLimits). */
const PushParams = Type.Refine(
  Type.Record(Type.String({ maxLength: 100 }), Type.Unknown(), {
    maxProperties: 500,
    description: `Any JSON, nested at most ${paramsLimits.maxDepth} levels and at most ${paramsLimits.maxBytes} bytes serialized.`,
  }),
  (params) => paramsViolation(params) === null,
  (params) => paramsViolation(params) ?? 'is invalid',
);

/** The first multipart part of a push: everything about the version except its bytes. */
export const PushMetadata = Type.Object(
  {
    kind: Type.Union([Type.Literal('file'), Type.Literal('directory')], {
      description: '"file": a single-file model (manifest resource "."); "directory": a folder of files.',
    }),
    format: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,31}$' })),
    metrics: Type.Optional(
      Type.Record(Type.String({ maxLength: 100 }), Type.Number(), { maxProperties: 200 }),
    ),
    params: Type.Optional(PushParams),
    metadata: Type.Optional(
      Type.Record(Type.String({ maxLength: 100 }), Type.String({ maxLength: 4096 }), { maxProperties: 200 }),
    ),
    lineage: Type.Optional(
      Type.Object(
        {
          datasetDigests: Type.Optional(Type.Array(Digest, { maxItems: 100 })),
          trainingRun: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          parent: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
          sourceCommit: Type.Optional(Type.String({ pattern: '^[0-9a-f]{7,64}$' })),
        },
        { additionalProperties: false },
      ),
    ),
    aliases: Type.Optional(Type.Array(Type.String({ maxLength: 63 }), { maxItems: 20 })),
    signature: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 65_536,
        description:
          'A model-signing bundle (the JSON text of model.sig) to verify and attach with the version.',
      }),
    ),
  },
  { additionalProperties: false },
);

export const SetAliasBody = Type.Object(
  {
    version: Type.Union([Type.Integer({ minimum: 1 }), Type.String({ minLength: 1, maxLength: 100 })], {
      description: 'A version number, a digest (sha256:…) or another alias.',
    }),
    reason: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);

export const SetAliasResponse = Type.Object({
  changed: Type.Boolean(),
  alias: Type.Ref('Alias'),
  previous: Type.Union([Type.Integer(), Type.Null()]),
});

export const RemoveAliasQuery = Type.Object(
  { reason: Type.Optional(Type.String({ maxLength: 1000 })) },
  { additionalProperties: false },
);

export const AliasEvent = Type.Object({
  alias: Type.String(),
  from: Type.Union([Type.Integer(), Type.Null()]),
  to: Type.Union([Type.Integer(), Type.Null()]),
  actor: ActorId('Who moved or removed the alias'),
  actorName: ActorName('the actor'),
  reason: Type.Union([Type.String(), Type.Null()]),
  at: Timestamp,
});

export const AttachSignatureBody = Type.Object(
  {
    bundle: Type.String({
      minLength: 1,
      maxLength: 65_536,
      description: 'The model-signing bundle JSON text.',
    }),
  },
  { additionalProperties: false },
);

export const SignerParams = Type.Object(
  { name: Type.String({ maxLength: 200 }) },
  { additionalProperties: false },
);

export const CreateSignerBody = Type.Object(
  {
    name: Type.String({ maxLength: 200, description: 'A slug naming the signer (a team, a CI pipeline).' }),
    publicKey: Type.String({
      minLength: 1,
      maxLength: 16_384,
      description: 'The ECDSA P-256/P-384/P-521 public key, PEM (-----BEGIN PUBLIC KEY-----).',
    }),
    environments: Type.Optional(Type.Array(Type.String({ maxLength: 63 }), { maxItems: 50 })),
  },
  { additionalProperties: false },
);

export const Signer = Type.Object({
  name: Type.String(),
  keyHint: Type.String({
    description: 'Hex SHA-256 of the public key PEM, as model-signing bundles name it.',
  }),
  publicKeyPem: Type.String(),
  environments: Type.Array(Type.String()),
  createdBy: Type.String(),
  createdAt: Timestamp,
  revokedAt: Type.Union([Timestamp, Type.Null()]),
  revokedBy: Type.Union([Type.String(), Type.Null()]),
});
