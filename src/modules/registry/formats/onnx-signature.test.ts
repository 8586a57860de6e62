import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { onnxUnreadable } from './onnx-errors.js';
import { type OnnxSignature, OnnxSignatureReader, readOnnxSignature } from './onnx-signature.js';

const { onnx } = onnxProto;
type Dim = number | string | null;
type Model = Parameters<typeof onnx.ModelProto.encode>[0];
type Graph = NonNullable<Model['graph']>;

const FLOAT = 1;
const INT64 = 7;

function tensor(name: string, elemType: number, dims: Dim[] | null) {
  const dim = dims?.map((d) => (d === null ? {} : typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType, ...(dim ? { shape: { dim } } : {}) } } };
}

function encode(graph: Graph | null, extra: Partial<Model> = {}): Uint8Array {
  const model: Model = {
    irVersion: 8,
    producerName: 'unit-test',
    opsetImport: [{ domain: '', version: 17 }],
    ...extra,
  };
  return onnx.ModelProto.encode(graph ? { ...model, graph } : model).finish();
}

/** Length-delimited field written by hand, for layouts protobufjs would not produce. */
function field(num: number, payload: Uint8Array): Uint8Array {
  const head: number[] = [];
  for (let v = (num << 3) | 2, more = true; more; ) {
    head.push(v & 0x7f);
    v >>>= 7;
    more = v > 0;
    if (more) head[head.length - 1]! |= 0x80;
  }
  for (let v = payload.length, more = true; more; ) {
    head.push(v & 0x7f);
    v = Math.floor(v / 128);
    more = v > 0;
    if (more) head[head.length - 1]! |= 0x80;
  }
  return Buffer.concat([Uint8Array.from(head), payload]);
}

function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function read(bytes: Uint8Array, nextSize: () => number = () => bytes.length): OnnxSignature {
  const reader = new OnnxSignatureReader();
  for (let at = 0; at < bytes.length; ) {
    const size = Math.max(1, nextSize());
    reader.push(bytes.subarray(at, at + size));
    at += size;
  }
  return reader.end();
}

function expectUnreadable(run: () => unknown): void {
  expect(run).toThrow(expect.objectContaining({ code: onnxUnreadable.code }));
}

const imageGraph: Graph = {
  name: 'classifier',
  node: [{ opType: 'Identity', input: ['image'], output: ['scores'] }],
  input: [tensor('image', FLOAT, ['batch', 3, 224, 224])],
  output: [tensor('scores', FLOAT, ['batch', 1000]), tensor('top', INT64, ['batch'])],
};
const imageModel = encode(imageGraph, {
  opsetImport: [
    { domain: '', version: 17 },
    { domain: 'ai.onnx.ml', version: 3 },
  ],
});

// 8 MiB of weights, with the initializer's name written after its payload to show field order is free.
const weights = new Uint8Array(8 * 1024 * 1024).map((_, i) => (i * 31) & 0xff);
const bigModel = Buffer.concat([
  encode(null, { irVersion: 3 }),
  field(
    7,
    Buffer.concat([
      onnx.GraphProto.encode({ input: [tensor('x', FLOAT, [1, 4]), tensor('w', FLOAT, [2097152])] }).finish(),
      field(
        5,
        Buffer.concat([
          onnx.TensorProto.encode({ dims: [2097152], dataType: FLOAT, rawData: weights }).finish(),
          onnx.TensorProto.encode({ name: 'w' }).finish(),
        ]),
      ),
      onnx.GraphProto.encode({ output: [tensor('y', FLOAT, [1, 2])] }).finish(),
    ]),
  ),
]);

describe('OnnxSignatureReader', () => {
  it('reads inputs, outputs, opsets and producer, keeping dynamic dims by name', () => {
    expect(read(imageModel)).toEqual({
      inputs: [{ name: 'image', dtype: 'float32', shape: ['batch', 3, 224, 224] }],
      outputs: [
        { name: 'scores', dtype: 'float32', shape: ['batch', 1000] },
        { name: 'top', dtype: 'int64', shape: ['batch'] },
      ],
      irVersion: 8,
      opsets: [
        { domain: '', version: 17 },
        { domain: 'ai.onnx.ml', version: 3 },
      ],
      producer: 'unit-test',
    });
  });

  it('leaves out graph inputs that are initializers, as old IR versions list weights as inputs', () => {
    const graph = {
      initializer: [{ name: 'bias', dims: [2], dataType: FLOAT, floatData: [1, 2] }],
      input: [tensor('x', FLOAT, [1, 2]), tensor('bias', FLOAT, [2])],
      output: [tensor('y', FLOAT, [1, 2])],
    };
    const signature = read(encode(graph, { irVersion: 3 }));
    expect(signature.inputs.map((i) => i.name)).toEqual(['x']);
    expect(signature.irVersion).toBe(3);
  });

  it('describes unknown dims, missing shapes, scalars, huge dims and non-tensor types', () => {
    const huge = { dimValue: '9007199254740993' as unknown as number };
    const graph = {
      input: [
        tensor('unknown_dim', FLOAT, [null, 4]),
        tensor('no_shape', 16, null),
        tensor('scalar', 9, []),
        { name: 'huge', type: { tensorType: { elemType: 999, shape: { dim: [huge] } } } },
        { name: 'seq', type: { sequenceType: { elemType: { tensorType: { elemType: FLOAT } } } } },
        { name: 'map', type: { mapType: { keyType: 8, valueType: { tensorType: { elemType: FLOAT } } } } },
        { name: 'opt', type: { optionalType: { elemType: { tensorType: { elemType: FLOAT } } } } },
      ],
    };
    expect(read(encode(graph)).inputs).toEqual([
      { name: 'unknown_dim', dtype: 'float32', shape: [null, 4] },
      { name: 'no_shape', dtype: 'bfloat16', shape: null },
      { name: 'scalar', dtype: 'bool', shape: [] },
      { name: 'huge', dtype: 'type:999', shape: ['9007199254740993'] },
      { name: 'seq', dtype: 'sequence', shape: null },
      { name: 'map', dtype: 'map', shape: null },
      { name: 'opt', dtype: 'optional', shape: null },
    ]);
  });

  it('gives the same answer for a large model however it is chunked', () => {
    const expected: OnnxSignature = {
      inputs: [{ name: 'x', dtype: 'float32', shape: [1, 4] }],
      outputs: [{ name: 'y', dtype: 'float32', shape: [1, 2] }],
      irVersion: 3,
      opsets: [{ domain: '', version: 17 }],
      producer: 'unit-test',
    };
    const random = seeded(7);
    for (const nextSize of [
      () => bigModel.length,
      () => 1,
      () => 7,
      () => 65536,
      () => Math.floor(random() * 3000),
    ]) {
      expect(read(bigModel, nextSize)).toEqual(expected);
    }
  });

  it('rejects a file cut off at any point', () => {
    // One opset only: a cut between two opset_import entries leaves a well-formed model, which no reader can tell.
    const model = encode(imageGraph);
    for (let cut = 0; cut < model.length; cut++) expectUnreadable(() => read(model.subarray(0, cut)));
    for (const cut of [1, 40, 200, 1024 * 1024, bigModel.length - 300, bigModel.length - 1]) {
      expectUnreadable(() => read(bigModel.subarray(0, cut), () => 4096));
    }
  });

  it('rejects random bytes', () => {
    const random = seeded(42);
    for (let n = 0; n < 500; n++) {
      const bytes = Uint8Array.from({ length: Math.floor(random() * 2048) }, () =>
        Math.floor(random() * 256),
      );
      expectUnreadable(() => read(bytes));
    }
  });

  it.each([
    ['group wire type 3', [0x0b]],
    ['group wire type 4', [0x0c]],
    ['wire type 6', [0x0e]],
    ['wire type 7', [0x0f]],
    ['field number 0', [0x02, 0x00]],
    ['varint over 64 bits', [0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]],
    ['length over 2^53', [0x3a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]],
    ['graph sent as a varint', [0x38, 0x01]],
    ['no graph at all', [0x08, 0x08]],
    ['an empty file', []],
    ['an inner field overrunning the graph', [0x3a, 0x02, 0x5a, 0x05, 0, 0, 0, 0, 0]],
  ])('rejects %s', (_, bytes) => {
    expectUnreadable(() => read(Uint8Array.from(bytes)));
  });

  it('refuses to buffer an oversized input description', () => {
    const bytes = encode({ input: [tensor('x'.repeat(5 * 1024 * 1024), FLOAT, [1])] });
    expectUnreadable(() => read(bytes, () => 65536));
  });

  it('stays failed once it has seen bad bytes', () => {
    const reader = new OnnxSignatureReader();
    expectUnreadable(() => reader.push(Uint8Array.of(0x0f)));
    expectUnreadable(() => reader.push(imageModel));
    expectUnreadable(() => reader.end());
  });
});

describe('readOnnxSignature', () => {
  it('reads a model file from disk', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'warden-onnx-'));
    try {
      await writeFile(join(dir, 'big.onnx'), bigModel);
      expect((await readOnnxSignature(join(dir, 'big.onnx'))).inputs).toEqual([
        { name: 'x', dtype: 'float32', shape: [1, 4] },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
