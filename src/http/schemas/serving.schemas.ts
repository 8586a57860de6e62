import Type from 'typebox';

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
