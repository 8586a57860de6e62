/**
 * The few pieces of the protobuf wire format that Warden's format readers need. Kept format-neutral: it
 * throws WireFormatError and each reader turns that into its own API error.
 */
export class WireFormatError extends Error {
  override readonly name = 'WireFormatError';
}

/** Wire types 3 and 4 (groups) are long deprecated and ONNX never uses them, so they count as malformed. */
export type WireType = 0 | 1 | 2 | 5;

const MAX_FIELD_NUMBER = 2 ** 29 - 1;

/**
 * Assembles a varint one byte at a time, so a value may straddle chunk boundaries. Values are bigints
 * because int64 fields use all 64 bits; callers narrow them.
 */
export class VarintAccumulator {
  private value = 0n;
  private count = 0;

  /** True while a varint has started but not finished. */
  get pending(): boolean {
    return this.count > 0;
  }

  /** Returns the value when `byte` is its last byte, else undefined. */
  feed(byte: number): bigint | undefined {
    // The tenth byte may only carry bit 63; anything more would not fit in 64 bits.
    if (this.count === 9 && byte > 1) throw new WireFormatError('a varint is longer than 64 bits');
    this.value |= BigInt(byte & 0x7f) << BigInt(7 * this.count);
    this.count++;
    if (byte & 0x80) return undefined;
    const value = this.value;
    this.value = 0n;
    this.count = 0;
    return value;
  }
}

export function parseTag(tag: bigint): { field: number; wireType: WireType } {
  const wireType = Number(tag & 7n);
  const field = tag >> 3n;
  if (field < 1n || field > BigInt(MAX_FIELD_NUMBER)) {
    throw new WireFormatError(`invalid field number ${field}`);
  }
  if (wireType !== 0 && wireType !== 1 && wireType !== 2 && wireType !== 5) {
    throw new WireFormatError(`field ${field} has unsupported wire type ${wireType}`);
  }
  return { field: Number(field), wireType };
}

/** Narrows an unsigned varint used as a length or offset; past 2^53 it cannot be one. */
export function toLength(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new WireFormatError(`length ${value} is out of range`);
  return Number(value);
}

/** Reads a varint as a signed int64, keeping it a number only while that is exact. */
export function toInt64(value: bigint): number | string {
  const signed = BigInt.asIntN(64, value);
  return signed >= BigInt(Number.MIN_SAFE_INTEGER) && signed <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(signed)
    : signed.toString();
}

export type WireField =
  | { field: number; wireType: 0; value: bigint }
  | { field: number; wireType: 2; bytes: Uint8Array };

/** Iterates the varint and length-delimited fields of a message held in memory; fixed-width ones are skipped. */
export function* readFields(bytes: Uint8Array): Generator<WireField> {
  let pos = 0;
  const readVarint = (): bigint => {
    const acc = new VarintAccumulator();
    while (pos < bytes.length) {
      const value = acc.feed(bytes[pos++]!);
      if (value !== undefined) return value;
    }
    throw new WireFormatError('a varint is cut off');
  };
  const take = (length: number, field: number): number => {
    if (length > bytes.length - pos) {
      throw new WireFormatError(`field ${field} runs past the end of its message`);
    }
    const start = pos;
    pos += length;
    return start;
  };
  while (pos < bytes.length) {
    const { field, wireType } = parseTag(readVarint());
    if (wireType === 0) {
      yield { field, wireType, value: readVarint() };
    } else if (wireType === 2) {
      const length = toLength(readVarint());
      const start = take(length, field);
      yield { field, wireType, bytes: bytes.subarray(start, start + length) };
    } else {
      take(wireType === 1 ? 8 : 4, field);
    }
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new WireFormatError('a string is not valid UTF-8');
  }
}
