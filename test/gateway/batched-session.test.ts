import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOnnxRuntime } from '../../src/adapters/onnx/onnx-runtime.js';
import { batchable, batchedSession, type Session, type Tensor } from '../../src/modules/gateway/index.js';

// Dynamic batching on the real iris model under ONNX Runtime: every answer of a batched run is the answer
// the same request gets alone, bit for bit; runs of one turn are coalesced; a request that fails never
// fails the others.
const irisBytes = readFileSync(
  fileURLToPath(new URL('../../examples/iris/model/iris.onnx', import.meta.url)),
);
const runtime = createOnnxRuntime({ intraOpThreads: 1 });

let plain: Session;
/** The real session, counting the runs it is asked for (what the batched wrapper sends it). */
let counted: Session & { runs: number[] };

beforeAll(async () => {
  plain = await runtime.load([{ path: 'iris.onnx', bytes: irisBytes }]);
  const inner = await runtime.load([{ path: 'iris.onnx', bytes: irisBytes }]);
  const runs: number[] = [];
  counted = {
    inputs: inner.inputs,
    outputs: inner.outputs,
    runs,
    run(inputs, outputs) {
      runs.push(Object.values(inputs)[0]?.dims[0] ?? -1);
      return inner.run(inputs, outputs);
    },
    release: () => inner.release(),
  };
});
afterAll(async () => {
  await plain.release();
  await counted.release();
});

/** `rows` iris rows, varied by `seed` (values in the flowers' ranges, some far outside). */
function rowsOf(rows: number, seed: number): Tensor {
  const data = new Float32Array(rows * 4);
  for (let i = 0; i < data.length; i++) data[i] = ((seed * 7919 + i * 104729) % 1000) / 100 - 1;
  return { type: 'float32', dims: [rows, 4], data };
}

const plainOf = (t: Record<string, Tensor>) =>
  Object.fromEntries(
    Object.entries(t).map(([k, v]) => [
      k,
      { type: v.type, dims: v.dims, data: Array.from(v.data as ArrayLike<unknown>) },
    ]),
  );

describe('batched ONNX sessions', () => {
  it('iris is batchable; a session with a fixed first dimension, a non-tensor or unknown rank is not', () => {
    expect(batchable(plain)).toBe(true);
    const fixed: Session = { ...plain, inputs: [{ name: 'x', type: 'float32', shape: [1, 4] }] };
    expect(batchable(fixed)).toBe(false);
    expect(batchedSession(fixed, { maxRows: 64 })).toBe(fixed);
    const unknownRank: Session = { ...plain, outputs: [{ name: 'y', type: 'float32', shape: null }] };
    expect(batchedSession(unknownRank, { maxRows: 64 })).toBe(unknownRank);
    const nonTensor: Session = { ...plain, outputs: [{ name: 'y', type: 'non-tensor', shape: null }] };
    expect(batchable(nonTensor)).toBe(false);
  });

  it('answers every request of a coalesced turn exactly as it is answered alone', async () => {
    counted.runs.length = 0;
    const batched = batchedSession(counted, { maxRows: 256 });
    const requests = Array.from({ length: 40 }, (_, i) => ({ float_input: rowsOf(1 + (i % 5), i) }));
    const together = await Promise.all(requests.map((r) => batched.run(r)));
    // One turn: 40 requests, 120 rows, in one run of the real session.
    expect(counted.runs).toEqual([120]);
    for (const [i, r] of requests.entries()) {
      const alone = await plain.run(r);
      const got = together[i] as Record<string, Tensor>;
      expect(got.label?.dims).toEqual([1 + (i % 5)]);
      expect(got.probabilities?.dims).toEqual([1 + (i % 5), 3]);
      expect(plainOf(got)).toEqual(plainOf(alone));
    }
  });

  it('groups by the outputs asked for, keeps batches under maxRows, runs a large request alone', async () => {
    counted.runs.length = 0;
    const batched = batchedSession(counted, { maxRows: 8 });
    const asks: { inputs: Record<string, Tensor>; outputs?: string[] }[] = [
      { inputs: { float_input: rowsOf(3, 1) } },
      { inputs: { float_input: rowsOf(3, 2) }, outputs: ['label'] },
      { inputs: { float_input: rowsOf(3, 3) } },
      { inputs: { float_input: rowsOf(3, 4) } },
      { inputs: { float_input: rowsOf(9, 5) } },
      { inputs: { float_input: rowsOf(3, 6) }, outputs: ['label'] },
    ];
    const got = await Promise.all(asks.map((a) => batched.run(a.inputs, a.outputs)));
    expect([...counted.runs].sort((a, b) => a - b)).toEqual([3, 6, 6, 9]);
    for (const [i, a] of asks.entries())
      expect(plainOf(got[i] as Record<string, Tensor>)).toEqual(
        plainOf(await plain.run(a.inputs, a.outputs)),
      );
    expect(Object.keys(got[1] as object)).toEqual(['label']);
  });

  it('a request the model refuses fails alone; the others of its turn are answered', async () => {
    counted.runs.length = 0;
    const batched = batchedSession(counted, { maxRows: 256 });
    // Two requests whose rows are 5 wide: they share a batch, the batched run fails, each then runs alone.
    const wide = (seed: number): Tensor => ({
      type: 'float32',
      dims: [1, 5],
      data: new Float32Array(5).fill(seed),
    });
    const settled = await Promise.allSettled([
      batched.run({ float_input: rowsOf(2, 1) }),
      batched.run({ float_input: wide(1) }),
      batched.run({ float_input: rowsOf(1, 2) }),
      batched.run({ float_input: wide(2) }),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    expect(plainOf((settled[0] as PromiseFulfilledResult<Record<string, Tensor>>).value)).toEqual(
      plainOf(await plain.run({ float_input: rowsOf(2, 1) })),
    );
    // The good rows in one run, the bad pair in one failed run, then each bad one alone.
    expect([...counted.runs].sort((a, b) => a - b)).toEqual([1, 1, 2, 3]);
  });
});
