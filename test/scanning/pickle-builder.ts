/**
 * Writes pickle opcodes by hand, so tests can make any pickle (benign, malicious or broken) without
 * Python. Method names follow the opcode names in CPython's Lib/pickletools.py.
 */
export class PickleBuilder {
  private readonly parts: Uint8Array[] = [];

  static ascii(text: string): Uint8Array {
    return new TextEncoder().encode(text);
  }

  raw(...bytes: (number | Uint8Array | string)[]): this {
    for (const b of bytes) {
      if (typeof b === 'number') this.parts.push(Uint8Array.of(b));
      else if (typeof b === 'string') this.parts.push(PickleBuilder.ascii(b));
      else this.parts.push(b);
    }
    return this;
  }

  proto(version: number): this {
    return this.raw(0x80, version);
  }

  /** FRAME announces how many opcode bytes follow; scanners read them as usual. */
  frame(length: number): this {
    return this.raw(0x95, u64(length));
  }

  global(module: string, name: string): this {
    return this.raw('c', `${module}\n${name}\n`);
  }

  inst(module: string, name: string): this {
    return this.raw('i', `${module}\n${name}\n`);
  }

  shortBinUnicode(text: string): this {
    const bytes = PickleBuilder.ascii(text);
    return this.raw(0x8c, bytes.length, bytes);
  }

  binUnicode(text: string): this {
    const bytes = PickleBuilder.ascii(text);
    return this.raw('X', u32(bytes.length), bytes);
  }

  binUnicode8(text: string): this {
    const bytes = PickleBuilder.ascii(text);
    return this.raw(0x8d, u64(bytes.length), bytes);
  }

  shortBinString(text: string): this {
    const bytes = PickleBuilder.ascii(text);
    return this.raw('U', bytes.length, bytes);
  }

  string(repr: string): this {
    return this.raw('S', `${repr}\n`);
  }

  unicode(text: string): this {
    return this.raw('V', `${text}\n`);
  }

  binBytes(payload: Uint8Array): this {
    return this.raw('B', u32(payload.length), payload);
  }

  binBytes8(payload: Uint8Array): this {
    return this.raw(0x8e, u64(payload.length), payload);
  }

  stackGlobal(): this {
    return this.raw(0x93);
  }

  memoize(): this {
    return this.raw(0x94);
  }

  binPut(index: number): this {
    return this.raw('q', index);
  }

  binGet(index: number): this {
    return this.raw('h', index);
  }

  longBinGet(index: number): this {
    return this.raw('j', u32(index));
  }

  put(index: number): this {
    return this.raw('p', `${index}\n`);
  }

  get(index: number): this {
    return this.raw('g', `${index}\n`);
  }

  mark(): this {
    return this.raw('(');
  }

  tuple(): this {
    return this.raw('t');
  }

  tuple1(): this {
    return this.raw(0x85);
  }

  emptyDict(): this {
    return this.raw('}');
  }

  emptyTuple(): this {
    return this.raw(')');
  }

  pop(): this {
    return this.raw('0');
  }

  binInt1(value: number): this {
    return this.raw('K', value);
  }

  reduce(): this {
    return this.raw('R');
  }

  build(): this {
    return this.raw('b');
  }

  setItem(): this {
    return this.raw('s');
  }

  stop(): this {
    return this.raw('.');
  }

  bytes(): Uint8Array {
    return concat(this.parts);
  }
}

export function u32(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n, true);
  return out;
}

export function u64(n: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n), true);
  return out;
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** `os.system('echo pwned')` as protocol 2 pickles it: GLOBAL, a one-tuple of arguments, REDUCE. */
export function maliciousProtocol2(): Uint8Array {
  return new PickleBuilder()
    .proto(2)
    .global('os', 'system')
    .binUnicode('echo pwned')
    .tuple1()
    .reduce()
    .stop()
    .bytes();
}

/** The same call as protocol 4 writes it: memoized strings for STACK_GLOBAL, inside a FRAME. */
export function maliciousProtocol4(module = 'os', name = 'system'): Uint8Array {
  const body = new PickleBuilder()
    .shortBinUnicode(module)
    .memoize()
    .shortBinUnicode(name)
    .memoize()
    .stackGlobal()
    .memoize()
    .shortBinUnicode('echo pwned')
    .memoize()
    .tuple1()
    .memoize()
    .reduce()
    .memoize()
    .stop()
    .bytes();
  return new PickleBuilder().proto(4).frame(body.length).raw(body).bytes();
}

/** A benign `OrderedDict({'a': 1})`, protocol 2. */
export function benignOrderedDict(): Uint8Array {
  return new PickleBuilder()
    .proto(2)
    .global('collections', 'OrderedDict')
    .binPut(0)
    .emptyTuple()
    .reduce()
    .binPut(1)
    .shortBinUnicode('a')
    .binInt1(1)
    .setItem()
    .stop()
    .bytes();
}

/** Pushes `data` in chunks of the given sizes, cycling through them. */
export function pushInChunks(
  target: { push(chunk: Uint8Array): void },
  data: Uint8Array,
  sizes: number[],
): void {
  let k = 0;
  for (let at = 0; at < data.length; k++) {
    const n = sizes[k % sizes.length]!;
    target.push(data.subarray(at, at + n));
    at += n;
  }
}
