import { decodeUtf8, readFields, toInt64, WireFormatError } from './protobuf-wire.js';

/** One input or output of an ONNX graph, as the registry shows it. */
export interface TensorSpec {
  name: string;
  dtype: string;
  shape: (number | string | null)[] | null;
}

/**
 * Decoders for the small ONNX messages the signature reader holds whole (ValueInfoProto,
 * OperatorSetIdProto). Field numbers follow onnx/onnx.proto; unknown fields are ignored, as protobuf
 * readers do, so newer ONNX versions still read.
 */

// Index = TensorProto.DataType value.
const dtypes = [
  undefined,
  'float32',
  'uint8',
  'int8',
  'uint16',
  'int16',
  'int32',
  'int64',
  'string',
  'bool',
  'float16',
  'float64',
  'uint32',
  'uint64',
  'complex64',
  'complex128',
  'bfloat16',
  'float8e4m3fn',
  'float8e4m3fnuz',
  'float8e5m2',
  'float8e5m2fnuz',
  'uint4',
  'int4',
  'float4e2m1',
] as const;

export function dtypeName(elemType: number | string): string {
  const name = typeof elemType === 'number' ? dtypes[elemType] : undefined;
  return name ?? `type:${elemType}`;
}

type Dim = number | string | null;

/** Field numbers of TypeProto's `value` oneof that are not tensors, named as the signature reports them. */
const otherTypes = new Map<number, string>([
  [4, 'sequence'],
  [5, 'map'],
  [8, 'sparse_tensor'],
  [9, 'optional'],
]);

export function decodeValueInfo(bytes: Uint8Array): TensorSpec {
  let spec: TensorSpec = { name: '', dtype: 'unknown', shape: null };
  for (const f of readFields(bytes)) {
    if (f.wireType !== 2) continue;
    if (f.field === 1) spec = { ...spec, name: decodeUtf8(f.bytes) };
    else if (f.field === 2) spec = { ...spec, ...decodeType(f.bytes) };
  }
  return spec;
}

function decodeType(bytes: Uint8Array): Pick<TensorSpec, 'dtype' | 'shape'> {
  // `value` is a oneof, so the last member present wins.
  let type: Pick<TensorSpec, 'dtype' | 'shape'> = { dtype: 'unknown', shape: null };
  for (const f of readFields(bytes)) {
    if (f.wireType !== 2) continue;
    if (f.field === 1) type = decodeTensorType(f.bytes);
    else {
      const other = otherTypes.get(f.field);
      if (other) type = { dtype: other, shape: null };
    }
  }
  return type;
}

function decodeTensorType(bytes: Uint8Array): Pick<TensorSpec, 'dtype' | 'shape'> {
  let elemType: number | string = 0;
  let shape: Dim[] | null = null;
  for (const f of readFields(bytes)) {
    if (f.field === 1 && f.wireType === 0) elemType = toInt64(f.value);
    else if (f.field === 2 && f.wireType === 2) shape = decodeShape(f.bytes);
  }
  return { dtype: dtypeName(elemType), shape };
}

function decodeShape(bytes: Uint8Array): Dim[] {
  const dims: Dim[] = [];
  for (const f of readFields(bytes)) {
    if (f.field === 1 && f.wireType === 2) dims.push(decodeDimension(f.bytes));
  }
  return dims;
}

function decodeDimension(bytes: Uint8Array): Dim {
  let dim: Dim = null;
  for (const f of readFields(bytes)) {
    if (f.field === 1 && f.wireType === 0) dim = toInt64(f.value);
    else if (f.field === 2 && f.wireType === 2) dim = decodeUtf8(f.bytes);
  }
  return dim;
}

export function decodeOperatorSetId(bytes: Uint8Array): { domain: string; version: number } {
  let domain = '';
  let version = 0;
  for (const f of readFields(bytes)) {
    if (f.field === 1 && f.wireType === 2) domain = decodeUtf8(f.bytes);
    else if (f.field === 2 && f.wireType === 0) version = toSafeInt(f.value, 'an opset version');
  }
  return { domain, version };
}

export function toSafeInt(value: bigint, what: string): number {
  const n = toInt64(value);
  if (typeof n === 'string') throw new WireFormatError(`${what} is out of range`);
  return n;
}
