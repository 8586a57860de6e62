import type { ElementType, TensorData } from './runtime.port.js';

/** The V2 protocol's datatype names and the element type each one is (BF16 has no ONNX Runtime input type here). */
export const v2Datatypes: Readonly<Record<string, ElementType>> = {
  BOOL: 'bool',
  UINT8: 'uint8',
  UINT16: 'uint16',
  UINT32: 'uint32',
  UINT64: 'uint64',
  INT8: 'int8',
  INT16: 'int16',
  INT32: 'int32',
  INT64: 'int64',
  FP16: 'float16',
  FP32: 'float32',
  FP64: 'float64',
  BYTES: 'string',
};

const v2Names = new Map<string, string>(Object.entries(v2Datatypes).map(([v2, type]) => [type, v2]));

/** The V2 datatype of an element type, or the runtime's own name (upper-cased) for one V2 has no name for. */
export function v2DatatypeOf(type: string): string {
  return v2Names.get(type) ?? type.toUpperCase();
}

/** Whether the gateway can take and return tensors of this element type. */
export function isElementType(type: string): type is ElementType {
  return v2Names.has(type);
}

/** Integer ranges (as numbers: 64-bit ones are limited to what a JSON number carries exactly). */
export const integerRanges: Partial<Record<ElementType, readonly [number, number]>> = {
  uint8: [0, 255],
  uint16: [0, 65_535],
  uint32: [0, 4_294_967_295],
  uint64: [0, Number.MAX_SAFE_INTEGER],
  int8: [-128, 127],
  int16: [-32_768, 32_767],
  int32: [-2_147_483_648, 2_147_483_647],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/** The largest finite magnitude of each float type. */
export const floatLimits: Partial<Record<ElementType, number>> = {
  float16: 65_504,
  float32: 3.4028234663852886e38,
  float64: Number.MAX_VALUE,
};

/** A zeroed array of `count` elements of `type`. */
export function allocate(type: ElementType, count: number): TensorData {
  switch (type) {
    case 'bool':
    case 'uint8':
      return new Uint8Array(count);
    case 'int8':
      return new Int8Array(count);
    case 'uint16':
    case 'float16':
      return new Uint16Array(count);
    case 'int16':
      return new Int16Array(count);
    case 'uint32':
      return new Uint32Array(count);
    case 'int32':
      return new Int32Array(count);
    case 'uint64':
      return new BigUint64Array(count);
    case 'int64':
      return new BigInt64Array(count);
    case 'float32':
      return new Float32Array(count);
    case 'float64':
      return new Float64Array(count);
    case 'string':
      return new Array<string>(count);
  }
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 half-precision bits of a number (round to nearest even), as ONNX Runtime takes float16. */
export function toHalf(value: number): number {
  f32[0] = value;
  const x = u32[0] as number;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && (half & 1) === 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  // A carry out of the mantissa moves into the exponent, up to infinity: what rounding should do.
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1)) half++;
  return sign | half;
}

/** The number that IEEE 754 half-precision bits stand for. */
export function fromHalf(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >>> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}
