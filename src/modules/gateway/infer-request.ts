import { BinaryTensorBytes, decodeBinaryTensor, tooLong } from './binary-tensors.js';
import {
  allocate,
  floatLimits,
  fromHalf as fromHalfBits,
  integerRanges,
  isElementType,
  toHalf as toHalfBits,
  v2DatatypeOf,
  v2Datatypes,
} from './datatypes.js';
import { invalidInferenceRequest } from './gateway.errors.js';
import type { ElementType, Tensor, TensorData, TensorMeta } from './runtime.port.js';

/** A V2 inference request, checked against the model's declared inputs and outputs and decoded. */
export interface InferRequest {
  id: string | null;
  parameters: Record<string, unknown> | null;
  inputs: Record<string, Tensor>;
  /** The outputs asked for, in order; null for all of them. */
  outputs: string[] | null;
  /** The largest first dimension among the inputs (1 for scalars). */
  rows: number;
}

export interface RequestLimits {
  maxRows: number;
  /** Most elements one input may declare: a body of this many bytes cannot hold more. */
  maxElements: number;
  /** Longest BYTES element, in characters (the deployment's `validation.maxStringLength`). */
  maxStringLength: number;
}

const fail = (reason: string) => invalidInferenceRequest(reason);
/** NUL, or half of a UTF-16 surrogate pair (built from a string: the linter refuses a control character in a literal). */
const illFormedText = new RegExp(
  `${String.fromCharCode(0)}|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]`,
);
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown): string => {
  const text = typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? 'an array' : String(v);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
};
const typeName = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : typeof v;
const shapeText = (shape: readonly (number | null)[]) =>
  `[${shape.map((d) => (d === null ? -1 : d)).join(',')}]`;

/**
 * Checks a parsed V2 request body against the model's inputs and outputs, in an order that keeps the cost
 * bounded: fields and names first, then datatype, shape and element count, and only then the data, which
 * is read once into the input's typed array. Every refusal names the input and what is wrong.
 */
export function parseInferRequest(
  body: unknown,
  model: { inputs: readonly TensorMeta[]; outputs: readonly TensorMeta[] },
  limits: RequestLimits,
): InferRequest {
  if (!isObject(body)) throw fail('the request body must be a JSON object');
  const id = body.id;
  if (id !== undefined && typeof id !== 'string') throw fail(`"id" must be a string, got ${typeName(id)}`);
  const parameters = body.parameters;
  if (parameters !== undefined && !isObject(parameters))
    throw fail(`"parameters" must be an object, got ${typeName(parameters)}`);
  if (isObject(parameters) && !isFlag(parameters.binary_data_output))
    throw fail('"parameters.binary_data_output" must be true or false');
  if (body.inputs === undefined) throw fail('missing field "inputs"');
  if (!Array.isArray(body.inputs) || body.inputs.length === 0)
    throw fail('"inputs" must be a non-empty array of tensors');

  const declared = declaredOf(model.inputs);
  const inputs: Record<string, Tensor> = {};
  const given = new Set<string>();
  let rows = 1;
  body.inputs.forEach((raw: unknown, i: number) => {
    if (!isObject(raw)) throw fail(`inputs[${i}] must be an object, got ${typeName(raw)}`);
    const declaresBinary = isObject(raw.parameters) && raw.parameters.binary_data_size !== undefined;
    for (const field of declaresBinary ? binaryFields : jsonFields)
      if (raw[field] === undefined) throw fail(`inputs[${i}]: missing field "${field}"`);
    const { name, shape, datatype, data } = raw;
    if (typeof name !== 'string') throw fail(`inputs[${i}]: "name" must be a string, got ${typeName(name)}`);
    const known = declared.get(name);
    if (!known)
      throw fail(
        `unknown input ${JSON.stringify(name)}; the model takes ${[...declared.keys()].map((n) => JSON.stringify(n)).join(', ')}`,
      );
    if (given.has(name)) throw fail(`input ${JSON.stringify(name)} is given more than once`);
    given.add(name);
    const { meta, label } = known;
    if (raw.parameters !== undefined && !isObject(raw.parameters))
      throw fail(`${label}: "parameters" must be an object`);
    if (declaresBinary && !(data instanceof BinaryTensorBytes))
      throw fail(
        `${label} declares "binary_data_size", but the request has no binary section (Inference-Header-Content-Length)`,
      );
    if (typeof datatype !== 'string') throw fail(`${label}: "datatype" must be a string`);
    const type = v2Datatypes[datatype];
    if (!Object.hasOwn(v2Datatypes, datatype) || type === undefined)
      throw fail(`${label}: unknown or unsupported datatype ${show(datatype)}`);
    if (type !== meta.type) throw fail(`${label} is ${v2DatatypeOf(meta.type)}, not ${datatype}`);
    const dims = checkShape(label, shape, meta);
    const count = elementCount(label, dims, limits.maxElements);
    const first = dims.length > 0 ? (dims[0] as number) : 1;
    if (first > limits.maxRows)
      throw fail(`${label} has ${first} rows; at most ${limits.maxRows} are allowed per request`);
    rows = Math.max(rows, first);
    if (data instanceof BinaryTensorBytes) {
      const decoded = decodeBinaryTensor(
        label,
        type,
        datatype,
        count,
        shapeText(dims),
        data.bytes,
        limits.maxStringLength,
      );
      checkFloats(label, type, decoded);
      inputs[name] = { type, dims, data: decoded };
      return;
    }
    if (!Array.isArray(data)) throw fail(`${label}: "data" must be an array, got ${typeName(data)}`);
    inputs[name] = { type, dims, data: decodeData(label, type, dims, count, data, limits.maxStringLength) };
  });
  for (const name of declared.keys())
    if (!given.has(name)) throw fail(`missing input ${JSON.stringify(name)}`);

  let outputs: string[] | null = null;
  if (body.outputs !== undefined) {
    if (!Array.isArray(body.outputs)) throw fail('"outputs" must be an array');
    const known = new Set(model.outputs.map((o) => o.name));
    outputs = [];
    for (const [i, raw] of body.outputs.entries()) {
      if (!isObject(raw) || typeof raw.name !== 'string')
        throw fail(`outputs[${i}] must be an object with a string "name"`);
      checkOutputParameters(raw.name, raw.parameters);
      if (!known.has(raw.name))
        throw fail(
          `unknown output ${JSON.stringify(raw.name)}; the model gives ${[...known].map((n) => JSON.stringify(n)).join(', ')}`,
        );
      if (outputs.includes(raw.name)) throw fail(`output ${JSON.stringify(raw.name)} is asked for twice`);
      outputs.push(raw.name);
    }
    if (outputs.length === 0) outputs = null;
  }
  return { id: id ?? null, parameters: parameters ?? null, inputs, outputs, rows };
}

const isFlag = (v: unknown) => v === undefined || typeof v === 'boolean';
const jsonFields = ['name', 'shape', 'datatype', 'data'] as const;
const binaryFields = ['name', 'shape', 'datatype'] as const;

/** A model's inputs by name, each with the label its errors use: made once per session's input list. */
const declaredInputs = new WeakMap<readonly TensorMeta[], Map<string, { meta: TensorMeta; label: string }>>();
function declaredOf(inputs: readonly TensorMeta[]) {
  let declared = declaredInputs.get(inputs);
  if (!declared) {
    declared = new Map(
      inputs.map((meta) => [meta.name, { meta, label: `input ${JSON.stringify(meta.name)}` }]),
    );
    declaredInputs.set(inputs, declared);
  }
  return declared;
}

/** An output's parameters: `binary_data` is a flag; Triton's classification extension is not offered. */
function checkOutputParameters(name: string, parameters: unknown): void {
  if (parameters === undefined) return;
  const label = `output ${JSON.stringify(name)}`;
  if (!isObject(parameters)) throw fail(`${label}: "parameters" must be an object`);
  if (!isFlag(parameters.binary_data)) throw fail(`${label}: "binary_data" must be true or false`);
  if (parameters.classification !== undefined)
    throw fail(`${label}: the classification extension is not supported`);
}

/** Binary floats are held to the same rule as JSON ones: finite (NaN and infinities are refused). */
function checkFloats(label: string, type: ElementType, data: TensorData): void {
  if (type === 'float16') {
    const bad = (data as Uint16Array).findIndex((bits) => (bits & 0x7c00) === 0x7c00);
    if (bad !== -1) throw fail(`${label}: element ${bad} is not a finite FP16 number`);
  } else if (type === 'float32' || type === 'float64') {
    const bad = (data as Float32Array).findIndex((v) => !Number.isFinite(v));
    if (bad !== -1)
      throw fail(
        `${label}: element ${bad} (${(data as Float32Array)[bad]}) is out of range for ${v2DatatypeOf(type)}`,
      );
  }
}

function checkShape(label: string, shape: unknown, meta: TensorMeta): number[] {
  if (!Array.isArray(shape)) throw fail(`${label}: "shape" must be an array of integers`);
  const dims: number[] = [];
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0)
      throw fail(`${label}: "shape" must hold non-negative integers, got ${show(d)}`);
    dims.push(d);
  }
  if (meta.shape !== null) {
    if (dims.length !== meta.shape.length)
      throw fail(
        `${label} has rank ${meta.shape.length} (shape ${shapeText(meta.shape)}), got shape ${shapeText(dims)}`,
      );
    meta.shape.forEach((want, i) => {
      if (want !== null && want !== dims[i])
        throw fail(
          `${label}: dimension ${i} must be ${want} (shape ${shapeText(meta.shape ?? [])}), got ${dims[i]}`,
        );
    });
  }
  return dims;
}

function elementCount(label: string, dims: readonly number[], max: number): number {
  let count = 1;
  for (const d of dims) {
    count *= d;
    if (count > max)
      throw fail(`${label}: shape ${shapeText(dims)} has more elements than a request can carry`);
  }
  return count;
}

/** Reads `data` (flat, or nested to the shape's depth) into a typed array, checking every element. */
function decodeData(
  label: string,
  type: ElementType,
  dims: readonly number[],
  count: number,
  data: unknown[],
  maxStringLength: number,
): TensorData {
  const out = allocate(type, count);
  const put = elementWriter(label, type, out, maxStringLength);
  const nested = dims.length > 1 && data.length > 0 && Array.isArray(data[0]);
  if (!nested) {
    // Flat, row-major: the count is checked before any element is read.
    if (data.length !== count)
      throw fail(`${label}: "data" has ${data.length} elements; shape ${shapeText(dims)} needs ${count}`);
    for (let i = 0; i < count; i++) put(i, data[i]);
    return out;
  }
  // Nested: each level's length is checked against its dimension before it is descended into, so no more
  // than `count` elements are ever visited.
  let index = 0;
  const walk = (node: unknown[], depth: number, path: string) => {
    const want = dims[depth] as number;
    if (node.length !== want)
      throw fail(`${label}: "data"${path} has ${node.length} elements; dimension ${depth} is ${want}`);
    const leaf = depth === dims.length - 1;
    for (let i = 0; i < node.length; i++) {
      const child = node[i];
      if (leaf) put(index++, child);
      else if (!Array.isArray(child))
        throw fail(
          `${label}: "data"${path}[${i}] must be an array (shape ${shapeText(dims)}), got ${show(child)}`,
        );
      else walk(child, depth + 1, `${path}[${i}]`);
    }
  };
  walk(data, 0, '');
  return out;
}

function elementWriter(
  label: string,
  type: ElementType,
  out: TensorData,
  maxStringLength: number,
): (i: number, v: unknown) => void {
  const bad = (i: number, v: unknown, want: string) =>
    fail(`${label}: element ${i} must be ${want}, got ${show(v)}`);
  if (type === 'string') {
    const strings = out as string[];
    return (i, v) => {
      if (typeof v !== 'string') throw bad(i, v, 'a string');
      if (tooLong(v, maxStringLength))
        throw fail(`${label}: element ${i} is longer than ${maxStringLength} characters`);
      if (illFormedText.test(v))
        throw fail(`${label}: element ${i} contains NUL or an unpaired surrogate (not UTF-8 text)`);
      strings[i] = v;
    };
  }
  if (type === 'bool') {
    const bytes = out as Uint8Array;
    return (i, v) => {
      if (typeof v !== 'boolean') throw bad(i, v, 'true or false');
      bytes[i] = v ? 1 : 0;
    };
  }
  const limit = floatLimits[type];
  if (limit !== undefined) {
    const v2 = v2DatatypeOf(type);
    const target = out as Float32Array | Float64Array | Uint16Array;
    const half = type === 'float16';
    return (i, v) => {
      if (typeof v !== 'number') throw bad(i, v, 'a number');
      if (!Number.isFinite(v) || Math.abs(v) > limit)
        throw fail(`${label}: element ${i} (${v}) is out of range for ${v2}`);
      target[i] = half ? toHalfBits(v) : v;
    };
  }
  const range = integerRanges[type];
  if (!range) throw fail(`${label}: datatype ${v2DatatypeOf(type)} is not supported`);
  const [min, max] = range;
  const v2 = v2DatatypeOf(type);
  const big = type === 'int64' || type === 'uint64';
  const ints = out as Exclude<TensorData, string[]>;
  return (i, v) => {
    if (typeof v !== 'number' || !Number.isInteger(v)) throw bad(i, v, 'an integer');
    if (v < min || v > max) throw fail(`${label}: element ${i} (${v}) is out of range for ${v2}`);
    if (big) (ints as BigInt64Array)[i] = BigInt(v);
    else (ints as Int32Array)[i] = v;
  };
}

/** A model output as the V2 response carries it: flat, row-major JSON values. */
export interface ResponseTensor {
  name: string;
  datatype: string;
  shape: number[];
  /** Per-output parameters: `binary_data_size` when the output travels as binary data. */
  parameters?: Record<string, unknown>;
  data: (number | string | boolean | null)[];
}

/** Encodes an output tensor; 64-bit integers beyond 2^53 travel as decimal strings. */
export function encodeTensor(name: string, tensor: Tensor): ResponseTensor {
  const { type, dims, data } = tensor;
  let values: (number | string | boolean | null)[];
  if (type === 'string') values = [...(data as string[])];
  else if (type === 'bool') values = Array.from(data as Uint8Array, (b) => b !== 0);
  else if (type === 'float16') values = Array.from(data as Uint16Array, fromHalfBits);
  else if (type === 'int64' || type === 'uint64')
    values = Array.from(data as BigInt64Array, (b: bigint) => {
      const n = Number(b);
      return Number.isSafeInteger(n) ? n : b.toString();
    });
  else values = Array.from(data as Float32Array);
  return { name, datatype: isElementType(type) ? v2DatatypeOf(type) : type, shape: [...dims], data: values };
}
