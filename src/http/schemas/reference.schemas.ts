import Type from 'typebox';

const roles = ['feature', 'prediction', 'probability', 'target', 'ignored'] as const;

export const ReferenceSetQuery = Type.Object(
  {
    format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('jsonl'), Type.Literal('parquet')])),
    roles: Type.Optional(
      Type.String({
        maxLength: 8192,
        description: 'Column roles: `col=role,…` (feature, prediction, probability, target, ignored).',
      }),
    ),
    sources: Type.Optional(
      Type.String({
        maxLength: 8192,
        description:
          'Where a column is in a request: `col=tensor` or `col=tensor:index` (`output:` for an output).',
      }),
    ),
  },
  { additionalProperties: false },
);

export const ReferenceGetQuery = Type.Object(
  { samples: Type.Optional(Type.Boolean({ description: "Include each column's reference sample." })) },
  { additionalProperties: false },
);

const Source = Type.Union([
  Type.Object({
    side: Type.Union([Type.Literal('input'), Type.Literal('output')]),
    tensor: Type.String(),
    index: Type.Union([Type.Integer(), Type.Null()]),
  }),
  Type.Null(),
]);

export const ReferenceResponse = Type.Object({
  model: Type.String(),
  version: Type.Integer(),
  digest: Type.String({ description: 'sha256:<hex> of the dataset file as uploaded.' }),
  format: Type.Union([Type.Literal('csv'), Type.Literal('jsonl'), Type.Literal('parquet')]),
  size: Type.Integer({ description: 'Bytes of the dataset file.' }),
  rows: Type.Integer(),
  answersFrom: Type.Union([Type.Literal('dataset'), Type.Literal('model')], {
    description:
      "model: the dataset held no prediction or probability column, so the version's own model was run on a sample of its rows and its answers added (prediction drift's baseline)",
  }),
  setBy: Type.String(),
  setByName: Type.Union([Type.String(), Type.Null()]),
  setAt: Type.String(),
  columns: Type.Array(
    Type.Object({
      name: Type.String(),
      role: Type.Union(roles.map((r) => Type.Literal(r))),
      kind: Type.Union([Type.Literal('numeric'), Type.Literal('categorical')]),
      source: Source,
      count: Type.Union([Type.Integer(), Type.Null()]),
      missing: Type.Union([Type.Integer(), Type.Null()]),
      sample: Type.Optional(Type.Array(Type.Union([Type.Number(), Type.String()]))),
    }),
  ),
});
