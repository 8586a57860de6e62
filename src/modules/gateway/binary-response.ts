import { elementBytes } from './binary-tensors.js';
import { toHalf, v2Datatypes } from './datatypes.js';
import type { ResponseTensor } from './infer-request.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Which outputs the caller asked for as binary data: an output's `parameters.binary_data` decides for it;
 * otherwise the request's `parameters.binary_data_output` (false when absent). Reads a request that
 * parseInferRequest has already accepted.
 */
export function binaryOutputChoice(body: unknown): (output: string) => boolean {
  if (!isObject(body)) return () => false;
  const all = isObject(body.parameters) && body.parameters.binary_data_output === true;
  const perOutput = new Map<string, boolean>();
  if (Array.isArray(body.outputs))
    for (const o of body.outputs)
      if (isObject(o) && typeof o.name === 'string' && isObject(o.parameters))
        if (typeof o.parameters.binary_data === 'boolean') perOutput.set(o.name, o.parameters.binary_data);
  return (output) => perOutput.get(output) ?? all;
}

type Value = ResponseTensor['data'][number];
const encoder = new TextEncoder();

/** One output's values as the extension's bytes, or null when a value does not fit its datatype. */
function tensorBytes(tensor: ResponseTensor): Uint8Array | null {
  const { datatype, data } = tensor;
  if (datatype === 'BYTES') {
    if (!data.every((v) => typeof v === 'string')) return null;
    const parts = (data as string[]).map((s) => encoder.encode(s));
    const out = new Uint8Array(parts.reduce((n, p) => n + 4 + p.length, 0));
    const view = new DataView(out.buffer);
    let at = 0;
    for (const p of parts) {
      view.setUint32(at, p.length, true);
      out.set(p, at + 4);
      at += 4 + p.length;
    }
    return out;
  }
  const type = v2Datatypes[datatype];
  if (type === undefined || type === 'string' || !Object.hasOwn(v2Datatypes, datatype)) return null;
  const width = elementBytes[type];
  const out = new Uint8Array(data.length * width);
  const view = new DataView(out.buffer);
  const float = (v: Value) => (v === null ? Number.NaN : typeof v === 'number' ? v : null);
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as Value;
    const at = i * width;
    if (type === 'bool') {
      if (typeof v !== 'boolean') return null;
      view.setUint8(at, v ? 1 : 0);
    } else if (type === 'float16' || type === 'float32' || type === 'float64') {
      const f = float(v);
      if (f === null) return null;
      if (type === 'float16') view.setUint16(at, toHalf(f), true);
      else if (type === 'float32') view.setFloat32(at, f, true);
      else view.setFloat64(at, f, true);
    } else if (type === 'int64' || type === 'uint64') {
      // Beyond 2^53 the JSON form is a decimal string; both forms are exact integers.
      if (typeof v !== 'number' && typeof v !== 'string') return null;
      let big: bigint;
      try {
        big = BigInt(v);
      } catch {
        return null;
      }
      if (type === 'int64') view.setBigInt64(at, big, true);
      else view.setBigUint64(at, big, true);
    } else {
      if (typeof v !== 'number' || !Number.isInteger(v)) return null;
      if (type === 'uint8') view.setUint8(at, v);
      else if (type === 'int8') view.setInt8(at, v);
      else if (type === 'uint16') view.setUint16(at, v, true);
      else if (type === 'int16') view.setInt16(at, v, true);
      else if (type === 'uint32') view.setUint32(at, v, true);
      else view.setInt32(at, v, true);
    }
  }
  return out;
}

/**
 * A V2 response with the chosen outputs as binary data: the JSON header (those outputs carry
 * `parameters.binary_data_size` and no `data`), then their bytes in output order. Null when no output is
 * binary, so the answer stays plain JSON. The header length goes in `Inference-Header-Content-Length`.
 */
export function encodeBinaryResponse<B extends { outputs: ResponseTensor[] }>(
  body: B,
  isBinary: (output: string) => boolean,
): { body: Uint8Array; headerLength: number } | null {
  const chunks: Uint8Array[] = [];
  const outputs = body.outputs.map((o) => {
    if (!isBinary(o.name)) return o;
    const bytes = tensorBytes(o);
    if (bytes === null) return o;
    chunks.push(bytes);
    const { data: _data, ...rest } = o;
    return { ...rest, parameters: { binary_data_size: bytes.length } };
  });
  if (chunks.length === 0) return null;
  const header = encoder.encode(JSON.stringify({ ...body, outputs }));
  const out = new Uint8Array(header.length + chunks.reduce((n, c) => n + c.length, 0));
  out.set(header, 0);
  let at = header.length;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return { body: out, headerLength: header.length };
}
