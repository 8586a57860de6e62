import { allocate } from './datatypes.js';
import { invalidInferenceRequest } from './gateway.errors.js';
import type { ElementType, TensorData } from './runtime.port.js';

/**
 * The binary tensor data extension (Triton's `binary_tensor_data`, KServe's Binary Tensor Data Extension):
 * a body is a JSON header of `Inference-Header-Content-Length` bytes, then each binary input's raw bytes in
 * the order the inputs are listed, little-endian, row-major, without padding. A BYTES element is a 4-byte
 * little-endian length and then that many bytes.
 */

const fail = (reason: string) => invalidInferenceRequest(reason);

/** Bytes of one element of each fixed-size type. */
export const elementBytes: Readonly<Record<Exclude<ElementType, 'string'>, number>> = {
  bool: 1,
  uint8: 1,
  int8: 1,
  uint16: 2,
  int16: 2,
  float16: 2,
  uint32: 4,
  int32: 4,
  float32: 4,
  uint64: 8,
  int64: 8,
  float64: 8,
};

/**
 * One input's raw bytes, cut from the binary section. A JSON body cannot make one (it is a class instance),
 * and its bytes are not enumerable, so walkers of the parsed body (the text guard) do not visit them.
 */
export class BinaryTensorBytes {
  readonly #bytes: Uint8Array;
  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }
  get bytes(): Uint8Array {
    return this.#bytes;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Splits a body at the JSON header's declared length. The header value must be a plain decimal no larger
 * than the body; the binary section is what follows.
 */
export function splitBinaryBody(
  raw: Uint8Array,
  headerLength: string,
): { header: Uint8Array; binary: Uint8Array } {
  if (!/^[0-9]{1,15}$/.test(headerLength.trim()))
    throw fail(
      `Inference-Header-Content-Length must be a non-negative integer, got ${JSON.stringify(headerLength.slice(0, 20))}`,
    );
  const length = Number(headerLength.trim());
  if (length > raw.length)
    throw fail(`Inference-Header-Content-Length is ${length}, but the body has only ${raw.length} bytes`);
  if (length === 0) throw fail('Inference-Header-Content-Length is 0: the JSON header is missing');
  return { header: raw.subarray(0, length), binary: raw.subarray(length) };
}

/**
 * Gives each input that declares `parameters.binary_data_size` its bytes from the binary section, in order,
 * as its `data`. The declared sizes must account for the section exactly: a section shorter than declared,
 * or bytes left over after the last declared tensor, are refused. Sizes are checked against each input's
 * shape and datatype later, with the model's signature (parseInferRequest).
 */
export function attachBinaryTensors(header: unknown, binary: Uint8Array): unknown {
  const inputs = isObject(header) && Array.isArray(header.inputs) ? header.inputs : [];
  let offset = 0;
  inputs.forEach((input: unknown, i: number) => {
    if (!isObject(input) || !isObject(input.parameters)) return;
    const size = input.parameters.binary_data_size;
    if (size === undefined) return;
    const label = typeof input.name === 'string' ? `input ${JSON.stringify(input.name)}` : `inputs[${i}]`;
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)
      throw fail(`${label}: "binary_data_size" must be a non-negative integer`);
    if (input.data !== undefined)
      throw fail(`${label} has both "data" and "binary_data_size"; send its values one way`);
    if (offset + size > binary.length)
      throw fail(
        `${label}: binary_data_size ${size} reaches byte ${offset + size} of the binary section, which has ${binary.length} bytes`,
      );
    input.data = new BinaryTensorBytes(binary.subarray(offset, offset + size));
    offset += size;
  });
  if (offset !== binary.length)
    throw fail(
      offset === 0
        ? `the body has ${binary.length} bytes after the JSON header, but no input declares "binary_data_size"`
        : `the binary section has ${binary.length} bytes, but the inputs declare ${offset}; ${binary.length - offset} bytes are unused`,
    );
  return header;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Reverses each element's bytes in place (only on a big-endian host: the wire is little-endian). */
function swapToHost(bytes: Uint8Array, width: number): void {
  if (littleEndian || width === 1) return;
  for (let i = 0; i < bytes.length; i += width) bytes.subarray(i, i + width).reverse();
}

/**
 * Decodes one binary input into its element type's array, after checking that `binary_data_size` is what
 * the shape and datatype make. BOOL bytes must be 0 or 1; BYTES elements must be well-formed UTF-8 (ONNX
 * string tensors hold text), without NUL, each at most `maxStringLength` characters; floats are checked by
 * the caller, like JSON ones.
 */
export function decodeBinaryTensor(
  label: string,
  type: ElementType,
  datatype: string,
  count: number,
  shapeText: string,
  raw: Uint8Array,
  maxStringLength: number,
): TensorData {
  if (type === 'string') return decodeStrings(label, count, raw, maxStringLength);
  const width = elementBytes[type];
  const want = count * width;
  if (raw.length !== want)
    throw fail(
      `${label}: binary_data_size is ${raw.length}, but shape ${shapeText} of ${datatype} is ${want} bytes`,
    );
  const out = allocate(type, count) as Exclude<TensorData, string[]>;
  const view = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  view.set(raw);
  swapToHost(view, width);
  if (type === 'bool') {
    const bad = view.findIndex((b) => b > 1);
    if (bad !== -1) throw fail(`${label}: element ${bad} is byte ${view[bad]}; BOOL is 0 or 1`);
  }
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Counts characters (code points) only when the UTF-16 length could exceed the limit. */
export function tooLong(value: string, max: number): boolean {
  if (value.length <= max) return false;
  let n = 0;
  for (const _ of value) if (++n > max) return true;
  return false;
}

function decodeStrings(label: string, count: number, raw: Uint8Array, maxStringLength: number): string[] {
  const out = new Array<string>(count);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 4 > raw.length)
      throw fail(`${label}: binary data ends at element ${i}; the shape needs ${count} BYTES elements`);
    const length = view.getUint32(at, true);
    at += 4;
    if (at + length > raw.length)
      throw fail(`${label}: element ${i} declares ${length} bytes, past the end of its binary data`);
    let text: string;
    try {
      text = utf8.decode(raw.subarray(at, at + length));
    } catch {
      throw fail(`${label}: element ${i} is not valid UTF-8`);
    }
    if (text.includes('\u0000')) throw fail(`${label}: element ${i} contains NUL`);
    if (tooLong(text, maxStringLength))
      throw fail(`${label}: element ${i} is longer than ${maxStringLength} characters`);
    out[i] = text;
    at += length;
  }
  if (at !== raw.length)
    throw fail(`${label}: ${raw.length - at} bytes follow the last of its ${count} BYTES elements`);
  return out;
}
