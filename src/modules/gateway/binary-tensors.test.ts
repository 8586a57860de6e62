import { describe, expect, it } from 'vitest';
import { binaryOutputChoice, encodeBinaryResponse } from './binary-response.js';
import { attachBinaryTensors, splitBinaryBody } from './binary-tensors.js';
import { toHalf } from './datatypes.js';
import { encodeTensor, parseInferRequest } from './infer-request.js';
import type { ElementType, TensorMeta } from './runtime.port.js';

const limits = { maxRows: 100, maxElements: 1_000_000, maxStringLength: 8 };
const model = (type: string, shape: (number | null)[] | null = [null]) => ({
  inputs: [{ name: 'x', type, shape }] as TensorMeta[],
  outputs: [{ name: 'y', type: 'float32', shape: [null] }] as TensorMeta[],
});
const error = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return (err as Error).message;
  }
  return null;
};

/** A body built the way tritonclient builds one: the JSON header, then each binary input's bytes. */
function body(inputs: { name: string; datatype: string; shape: number[]; bytes: Uint8Array }[]) {
  const header = Buffer.from(
    JSON.stringify({
      inputs: inputs.map(({ name, datatype, shape, bytes }) => ({
        name,
        shape,
        datatype,
        parameters: { binary_data_size: bytes.length },
      })),
    }),
  );
  return { raw: Buffer.concat([header, ...inputs.map((i) => i.bytes)]), headerLength: String(header.length) };
}
const decode = (raw: Buffer, headerLength: string) => {
  const { header, binary } = splitBinaryBody(raw, headerLength);
  return attachBinaryTensors(JSON.parse(Buffer.from(header).toString('utf8')), binary);
};
/** BYTES elements as the spec lays them out: a 4-byte little-endian length, then the bytes. */
const strings = (...values: (string | Buffer)[]) =>
  Buffer.concat(
    values.flatMap((v) => {
      const b = typeof v === 'string' ? Buffer.from(v) : v;
      const n = Buffer.alloc(4);
      n.writeUInt32LE(b.length);
      return [n, b];
    }),
  );
const parse = (type: string, datatype: string, bytes: Uint8Array, shape: number[]) => {
  const { raw, headerLength } = body([{ name: 'x', datatype, shape, bytes }]);
  return parseInferRequest(
    decode(raw, headerLength),
    model(
      type,
      shape.map(() => null),
    ),
    limits,
  );
};

describe('binary tensor data: requests', () => {
  it('decodes every fixed-size datatype from little-endian bytes to what JSON gives', () => {
    const cases: [ElementType, string, number[] | boolean[], (v: never[]) => Buffer][] = [
      ['bool', 'BOOL', [true, false, true], (v) => Buffer.from((v as boolean[]).map(Number))],
      ['uint8', 'UINT8', [0, 255], (v) => Buffer.from(v)],
      ['int8', 'INT8', [-128, 127], (v) => Buffer.from(Int8Array.from(v).buffer)],
      ['uint16', 'UINT16', [65535, 1], (v) => le(v, 2, (b, x, o) => b.writeUInt16LE(x, o))],
      ['int16', 'INT16', [-32768, 5], (v) => le(v, 2, (b, x, o) => b.writeInt16LE(x, o))],
      ['uint32', 'UINT32', [4294967295, 7], (v) => le(v, 4, (b, x, o) => b.writeUInt32LE(x, o))],
      ['int32', 'INT32', [-5, 2147483647], (v) => le(v, 4, (b, x, o) => b.writeInt32LE(x, o))],
      ['int64', 'INT64', [-3, 2 ** 53 - 1], (v) => le(v, 8, (b, x, o) => b.writeBigInt64LE(BigInt(x), o))],
      ['uint64', 'UINT64', [9, 2 ** 40], (v) => le(v, 8, (b, x, o) => b.writeBigUInt64LE(BigInt(x), o))],
      ['float32', 'FP32', [6.8, -2.5], (v) => le(v, 4, (b, x, o) => b.writeFloatLE(x, o))],
      ['float64', 'FP64', [1e308, -0.1], (v) => le(v, 8, (b, x, o) => b.writeDoubleLE(x, o))],
      ['float16', 'FP16', [1.5, -2], (v) => le(v, 2, (b, x, o) => b.writeUInt16LE(toHalf(x), o))],
    ];
    for (const [type, datatype, values, bytesOf] of cases) {
      const fromBinary = parse(type, datatype, bytesOf(values as never[]), [values.length]);
      const fromJson = parseInferRequest(
        { inputs: [{ name: 'x', datatype, shape: [values.length], data: values }] },
        model(type),
        limits,
      );
      expect(fromBinary, datatype).toEqual(fromJson);
    }
  });

  it('decodes BYTES elements and holds them to the deployment’s string bound', () => {
    const ok = parse('string', 'BYTES', strings('setosa', 'é', ''), [3]);
    expect(ok.inputs.x?.data).toEqual(['setosa', 'é', '']);
    expect(error(() => parse('string', 'BYTES', strings('123456789'), [1]))).toBe(
      'input "x": element 0 is longer than 8 characters',
    );
    expect(error(() => parse('string', 'BYTES', strings('a'), [2]))).toBe(
      'input "x": binary data ends at element 1; the shape needs 2 BYTES elements',
    );
    const cut = strings('abcdef').subarray(0, 6);
    expect(error(() => parse('string', 'BYTES', cut, [1]))).toBe(
      'input "x": element 0 declares 6 bytes, past the end of its binary data',
    );
    expect(error(() => parse('string', 'BYTES', Buffer.concat([strings('a'), Buffer.from([1])]), [1]))).toBe(
      'input "x": 1 bytes follow the last of its 1 BYTES elements',
    );
    expect(error(() => parse('string', 'BYTES', strings(Buffer.from([0xc3, 0x28])), [1]))).toBe(
      'input "x": element 0 is not valid UTF-8',
    );
    expect(error(() => parse('string', 'BYTES', strings('a\u0000b'), [1]))).toBe(
      'input "x": element 0 contains NUL',
    );
  });

  it('holds JSON BYTES elements to the same string bound', () => {
    const json = (data: string[]) =>
      parseInferRequest(
        { inputs: [{ name: 'x', datatype: 'BYTES', shape: [data.length], data }] },
        model('string'),
        limits,
      );
    expect(json(['12345678']).inputs.x?.data).toEqual(['12345678']);
    // Eight characters, sixteen UTF-16 units: the bound counts characters.
    expect(json(['😀😀😀😀😀😀😀😀']).inputs.x?.data).toHaveLength(1);
    expect(error(() => json(['123456789']))).toBe('input "x": element 0 is longer than 8 characters');
  });

  it('refuses sizes that do not match the shape, bad BOOL bytes and non-finite floats', () => {
    expect(error(() => parse('float32', 'FP32', Buffer.alloc(12), [1, 4]))).toBe(
      'input "x": binary_data_size is 12, but shape [1,4] of FP32 is 16 bytes',
    );
    expect(error(() => parse('bool', 'BOOL', Buffer.from([1, 2]), [2]))).toBe(
      'input "x": element 1 is byte 2; BOOL is 0 or 1',
    );
    const nan = le([1, Number.NaN], 4, (b, x, o) => b.writeFloatLE(x, o));
    expect(error(() => parse('float32', 'FP32', nan, [2]))).toBe(
      'input "x": element 1 (NaN) is out of range for FP32',
    );
    const inf = le([Number.POSITIVE_INFINITY], 8, (b, x, o) => b.writeDoubleLE(x, o));
    expect(error(() => parse('float64', 'FP64', inf, [1]))).toBe(
      'input "x": element 0 (Infinity) is out of range for FP64',
    );
    expect(error(() => parse('float16', 'FP16', Buffer.from([0x00, 0x7c]), [1]))).toBe(
      'input "x": element 0 is not a finite FP16 number',
    );
  });

  it('refuses a binary section that does not match the declared sizes, precisely', () => {
    const { raw, headerLength } = body([{ name: 'x', datatype: 'FP32', shape: [2], bytes: Buffer.alloc(8) }]);
    expect(error(() => decode(raw.subarray(0, raw.length - 3), headerLength))).toBe(
      'input "x": binary_data_size 8 reaches byte 8 of the binary section, which has 5 bytes',
    );
    expect(error(() => decode(Buffer.concat([raw, Buffer.alloc(2)]), headerLength))).toBe(
      'the binary section has 10 bytes, but the inputs declare 8; 2 bytes are unused',
    );
    expect(error(() => decode(raw, String(raw.length + 1)))).toBe(
      `Inference-Header-Content-Length is ${raw.length + 1}, but the body has only ${raw.length} bytes`,
    );
    expect(error(() => decode(raw, '-1'))).toBe(
      'Inference-Header-Content-Length must be a non-negative integer, got "-1"',
    );
    expect(error(() => decode(raw, '0'))).toBe(
      'Inference-Header-Content-Length is 0: the JSON header is missing',
    );
    const header = Buffer.from('{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1]}]}');
    expect(error(() => decode(Buffer.concat([header, Buffer.alloc(4)]), String(header.length)))).toBe(
      'the body has 4 bytes after the JSON header, but no input declares "binary_data_size"',
    );
    const both = Buffer.from(
      '{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1],"parameters":{"binary_data_size":4}}]}',
    );
    expect(error(() => decode(Buffer.concat([both, Buffer.alloc(4)]), String(both.length)))).toBe(
      'input "x" has both "data" and "binary_data_size"; send its values one way',
    );
    const negative = Buffer.from(
      '{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","parameters":{"binary_data_size":-4}}]}',
    );
    expect(error(() => decode(negative, String(negative.length)))).toBe(
      'input "x": "binary_data_size" must be a non-negative integer',
    );
  });

  it('refuses binary_data_size in a request without a binary section', () => {
    expect(
      error(() =>
        parseInferRequest(
          { inputs: [{ name: 'x', shape: [1], datatype: 'FP32', parameters: { binary_data_size: 4 } }] },
          model('float32'),
          limits,
        ),
      ),
    ).toBe(
      'input "x" declares "binary_data_size", but the request has no binary section (Inference-Header-Content-Length)',
    );
  });
});

describe('binary tensor data: responses', () => {
  const outputs = [
    encodeTensor('p', { type: 'float32', dims: [1, 2], data: Float32Array.from([0.25, 0.75]) }),
    encodeTensor('l', { type: 'int64', dims: [1], data: BigInt64Array.from([2n ** 60n]) }),
    encodeTensor('s', { type: 'string', dims: [2], data: ['ab', 'é'] }),
    encodeTensor('b', { type: 'bool', dims: [2], data: Uint8Array.from([1, 0]) }),
  ];
  const response = { model_name: 'm', id: 'r', outputs };

  it('follows binary_data per output over binary_data_output', () => {
    const choice = binaryOutputChoice({
      parameters: { binary_data_output: true },
      outputs: [{ name: 'p', parameters: { binary_data: false } }, { name: 'l' }],
    });
    expect([choice('p'), choice('l'), choice('s')]).toEqual([false, true, true]);
    expect(binaryOutputChoice({ inputs: [] })('p')).toBe(false);
    expect(encodeBinaryResponse(response, () => false)).toBeNull();
  });

  it('lays out the chosen outputs after the JSON header, in order, little-endian', () => {
    const encoded = encodeBinaryResponse(response, (n) => n !== 'p');
    if (!encoded) throw new Error('expected a binary response');
    const bytes = Buffer.from(encoded.body);
    const header = JSON.parse(bytes.subarray(0, encoded.headerLength).toString('utf8'));
    expect(header.outputs).toEqual([
      { name: 'p', datatype: 'FP32', shape: [1, 2], data: [0.25, 0.75] },
      { name: 'l', datatype: 'INT64', shape: [1], parameters: { binary_data_size: 8 } },
      { name: 's', datatype: 'BYTES', shape: [2], parameters: { binary_data_size: 12 } },
      { name: 'b', datatype: 'BOOL', shape: [2], parameters: { binary_data_size: 2 } },
    ]);
    const rest = bytes.subarray(encoded.headerLength);
    expect(rest.readBigInt64LE(0)).toBe(2n ** 60n);
    expect(rest.subarray(8, 20)).toEqual(strings('ab', 'é'));
    expect([...rest.subarray(20)]).toEqual([1, 0]);
  });
});

function le(values: number[], width: number, write: (b: Buffer, v: number, at: number) => void): Buffer {
  const b = Buffer.alloc(values.length * width);
  values.forEach((v, i) => {
    write(b, v, i * width);
  });
  return b;
}
