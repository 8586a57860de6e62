import { describe, expect, it } from 'vitest';
import { fromHalf, toHalf } from './datatypes.js';
import { encodeTensor, parseInferRequest } from './infer-request.js';
import type { TensorMeta } from './runtime.port.js';

const limits = { maxRows: 100, maxElements: 1_000_000, maxStringLength: 8 };
const model = (type: string, shape: (number | null)[] | null = [null]) => ({
  inputs: [{ name: 'x', type, shape }] as TensorMeta[],
  outputs: [{ name: 'y', type: 'float32', shape: [null] }] as TensorMeta[],
});
const parse = (type: string, datatype: string, data: unknown[], shape = [data.length]) =>
  parseInferRequest({ inputs: [{ name: 'x', datatype, shape, data }] }, model(type), limits);
const error = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return (err as Error).message;
  }
  return null;
};

describe('V2 datatypes', () => {
  it('decodes every integer type within its range and refuses what is outside', () => {
    expect(parse('int8', 'INT8', [-128, 127]).inputs.x?.data).toEqual(Int8Array.from([-128, 127]));
    expect(error(() => parse('int8', 'INT8', [128]))).toBe(
      'input "x": element 0 (128) is out of range for INT8',
    );
    expect(error(() => parse('uint8', 'UINT8', [-1]))).toBe(
      'input "x": element 0 (-1) is out of range for UINT8',
    );
    expect(error(() => parse('int32', 'INT32', [1.5]))).toBe(
      'input "x": element 0 must be an integer, got 1.5',
    );
    expect(parse('uint32', 'UINT32', [4_294_967_295]).inputs.x?.data).toEqual(
      Uint32Array.from([4_294_967_295]),
    );
    expect(parse('int64', 'INT64', [-3, 2 ** 53 - 1]).inputs.x?.data).toEqual(
      BigInt64Array.from([-3n, 2n ** 53n - 1n]),
    );
    expect(error(() => parse('int64', 'INT64', [2 ** 60]))).toMatch(/out of range for INT64/);
    expect(parse('uint64', 'UINT64', [7]).inputs.x?.data).toEqual(BigUint64Array.from([7n]));
    expect(parse('int16', 'INT16', [-32768]).inputs.x?.data).toEqual(Int16Array.from([-32768]));
    expect(parse('uint16', 'UINT16', [65535]).inputs.x?.data).toEqual(Uint16Array.from([65535]));
  });

  it('takes booleans for BOOL and strings for BYTES, nothing else', () => {
    expect(parse('bool', 'BOOL', [true, false]).inputs.x?.data).toEqual(Uint8Array.from([1, 0]));
    expect(error(() => parse('bool', 'BOOL', [1]))).toBe('input "x": element 0 must be true or false, got 1');
    expect(parse('string', 'BYTES', ['a', 'é']).inputs.x?.data).toEqual(['a', 'é']);
    expect(error(() => parse('string', 'BYTES', [3]))).toBe('input "x": element 0 must be a string, got 3');
    // The gateway checks its own text (the API's generic walk is skipped on /v2): no NUL, no lone surrogate.
    for (const bad of ['a\u0000b', 'lone \ud800', '\udc00 trail'])
      expect(error(() => parse('string', 'BYTES', ['ok', bad]))).toBe(
        'input "x": element 1 contains NUL or an unpaired surrogate (not UTF-8 text)',
      );
    expect(parse('string', 'BYTES', ['pair 😀']).inputs.x?.data).toEqual(['pair 😀']);
  });

  it('checks float ranges per type: FP16, FP32, FP64', () => {
    expect(error(() => parse('float16', 'FP16', [70_000]))).toBe(
      'input "x": element 0 (70000) is out of range for FP16',
    );
    const half = parse('float16', 'FP16', [1, -2.5, 65504]).inputs.x?.data as Uint16Array;
    expect(Array.from(half, fromHalf)).toEqual([1, -2.5, 65504]);
    expect(error(() => parse('float32', 'FP32', [-1e39]))).toMatch(/out of range for FP32/);
    expect(parse('float64', 'FP64', [1e308]).inputs.x?.data).toEqual(Float64Array.from([1e308]));
    expect(error(() => parse('float32', 'BF16', [1]))).toBe(
      'input "x": unknown or unsupported datatype "BF16"',
    );
  });

  it('converts half precision both ways, rounding to nearest even', () => {
    for (const v of [0, 1, -1, 0.5, 65504, 2 ** -24, 0.333251953125]) expect(fromHalf(toHalf(v))).toBe(v);
    expect(fromHalf(toHalf(1e6))).toBe(Number.POSITIVE_INFINITY);
    expect(Number.isNaN(fromHalf(toHalf(Number.NaN)))).toBe(true);
    expect(fromHalf(toHalf(1 + 2 ** -11))).toBe(1);
  });

  it('reads nested data of any depth and a scalar', () => {
    const nested = parseInferRequest(
      {
        inputs: [
          {
            name: 'x',
            datatype: 'FP32',
            shape: [2, 2, 1],
            data: [
              [[1], [2]],
              [[3], [4]],
            ],
          },
        ],
      },
      model('float32', [null, 2, 1]),
      limits,
    );
    expect(nested.inputs.x?.data).toEqual(Float32Array.from([1, 2, 3, 4]));
    expect(nested.rows).toBe(2);
    const scalar = parseInferRequest(
      { inputs: [{ name: 'x', datatype: 'FP32', shape: [], data: [5] }] },
      model('float32', []),
      limits,
    );
    expect(scalar.inputs.x).toEqual({ type: 'float32', dims: [], data: Float32Array.from([5]) });
  });

  it('encodes outputs flat, 64-bit integers beyond 2^53 as strings, booleans as booleans', () => {
    expect(
      encodeTensor('y', { type: 'int64', dims: [2], data: BigInt64Array.from([1n, 2n ** 60n]) }),
    ).toEqual({
      name: 'y',
      datatype: 'INT64',
      shape: [2],
      data: [1, '1152921504606846976'],
    });
    expect(encodeTensor('b', { type: 'bool', dims: [2], data: Uint8Array.from([1, 0]) }).data).toEqual([
      true,
      false,
    ]);
    expect(
      encodeTensor('h', { type: 'float16', dims: [1], data: Uint16Array.from([toHalf(1.5)]) }).data,
    ).toEqual([1.5]);
  });
});
