import { HIGHEST_PROTOCOL, type OpInfo, opcodes, PROTO } from './pickle-opcodes.js';
import { decodeLatin1, decodeRawUnicodeEscape, decodeStringRepr, decodeUtf8 } from './pickle-strings.js';

export type ImportOpcode = 'GLOBAL' | 'INST' | 'STACK_GLOBAL';

/** One global the pickle would import (`module.name`), at the first offset it appears; `count` is how often. */
export interface PickleImport {
  module: string;
  name: string;
  opcode: ImportOpcode;
  offset: number;
  count: number;
}

export type PickleAnomalyKind = 'unresolved-global' | 'extension-code' | 'limit';

export interface PickleAnomaly {
  kind: PickleAnomalyKind;
  opcode: string | null;
  offset: number;
  detail: string;
}

export interface PickleScanResult {
  /** `not-pickle`: the first byte is no pickle opcode. `unparseable`: malformed or cut off; `reason` says where. */
  status: 'ok' | 'unparseable' | 'not-pickle';
  reason: string | null;
  /** Where parsing stopped, for `unparseable`. */
  failedAt: number | null;
  /** The highest protocol a PROTO opcode announced; null for protocol 0/1 pickles, which have none. */
  protocol: number | null;
  /** Pickles read to their STOP (PyTorch's legacy format concatenates several). */
  pickles: number;
  opcodes: number;
  /** REDUCE, BUILD, NEWOBJ, NEWOBJ_EX, OBJ and INST: the opcodes that run code of an imported global. */
  calls: number;
  bytes: number;
  /** Bytes after the last pickle that do not start another one (PyTorch legacy files keep raw tensors there). */
  trailingBytes: number;
  imports: PickleImport[];
  anomalies: PickleAnomaly[];
}

// Bounds on what a hostile file can make the scanner hold. Anything larger is skipped (counted, not kept),
// so a multi-GiB payload costs no more than a small one.
const MAX_TRACKED_STRING = 1024;
const MAX_LINE = 4096;
const MAX_STACK = 100_000;
const MAX_MEMO_STRINGS = 100_000;
const MAX_MEMO_CHARS = 8 * 1024 * 1024;
const MAX_SPARSE_MEMO_KEYS = 100_000;
const MAX_IMPORTS = 10_000;
const MAX_ANOMALIES = 1_000;

const OTHER = Symbol('other');
const MARK = Symbol('mark');
type Slot = string | typeof OTHER | typeof MARK;
type Arg = number | (Uint8Array | null)[] | Uint8Array | null;
type Phase = 'opcode' | 'fixed' | 'line' | 'payload' | 'halted';

const stringOps = new Set(['BINSTRING', 'SHORT_BINSTRING', 'BINUNICODE', 'SHORT_BINUNICODE', 'BINUNICODE8']);
const pushesOther = new Set([
  ...['FLOAT', 'INT', 'LONG', 'BININT', 'BININT1', 'BININT2', 'BINFLOAT', 'LONG1', 'LONG4', 'NONE'],
  ...['NEWTRUE', 'NEWFALSE', 'EMPTY_DICT', 'EMPTY_LIST', 'EMPTY_TUPLE', 'EMPTY_SET', 'NEXT_BUFFER'],
  ...['BINBYTES', 'SHORT_BINBYTES', 'BINBYTES8', 'BYTEARRAY8', 'PERSID'],
]);

class PickleFormatError extends Error {}

/**
 * Push-based pickle opcode scanner: feed every chunk in order, then call end(). It never unpickles: it
 * walks the opcodes and models only what resolves an import (strings on the stack and in the memo), so
 * memory is bounded whatever the file's size, and the result is the same for any chunking.
 */
export class PickleScanner {
  private phase: Phase = 'opcode';
  private offset = 0;
  private op: OpInfo | null = null;
  private opOffset = 0;
  private readonly fixed = new Uint8Array(8);
  private fixedHave = 0;
  private fixedNeed = 0;
  private readingPrefix = false;
  private lineParts: Uint8Array[] = [];
  private lineLength = 0;
  private lines: (Uint8Array | null)[] = [];
  private payloadLeft = 0;
  private held: Uint8Array | null = null;
  private stack: Slot[] = [];
  private floorLost = false;
  private memo = new Map<number, string>();
  private memoChars = 0;
  private memoDense = 0;
  private memoSparse = new Set<number>();
  private memoCountLost = false;
  private inPickle = false;
  private pickleStart = 0;
  private trailingFrom: number | null = null;
  private ended = false;
  private readonly result: PickleScanResult = {
    status: 'ok',
    reason: null,
    failedAt: null,
    protocol: null,
    pickles: 0,
    opcodes: 0,
    calls: 0,
    bytes: 0,
    trailingBytes: 0,
    imports: [],
    anomalies: [],
  };
  private readonly imports = new Map<string, PickleImport>();
  private importsCapped = false;

  push(chunk: Uint8Array): void {
    if (this.ended) throw new Error('PickleScanner used after end()');
    this.result.bytes += chunk.length;
    let i = 0;
    while (i < chunk.length && this.phase !== 'halted') {
      try {
        i = this.step(chunk, i);
      } catch (err) {
        if (!(err instanceof PickleFormatError)) throw err;
        this.halt(err.message);
      }
    }
  }

  end(): PickleScanResult {
    if (!this.ended) {
      this.ended = true;
      if (this.phase !== 'halted' && (this.inPickle || this.phase !== 'opcode')) {
        this.halt(`the data ends inside a pickle, after ${this.offset} bytes`, this.offset);
      } else if (this.phase !== 'halted' && this.result.opcodes === 0) {
        this.result.status = 'not-pickle';
        this.result.reason = 'the file is empty';
      }
      if (this.trailingFrom !== null) this.result.trailingBytes = this.result.bytes - this.trailingFrom;
      this.result.imports = [...this.imports.values()];
    }
    return this.result;
  }

  private step(chunk: Uint8Array, start: number): number {
    let i = start;
    switch (this.phase) {
      case 'opcode': {
        const byte = chunk[i]!;
        this.offset++;
        this.onOpcode(byte);
        return i + 1;
      }
      case 'fixed': {
        const n = Math.min(this.fixedNeed - this.fixedHave, chunk.length - i);
        this.fixed.set(chunk.subarray(i, i + n), this.fixedHave);
        this.fixedHave += n;
        this.offset += n;
        if (this.fixedHave === this.fixedNeed) this.onFixed();
        return i + n;
      }
      case 'line': {
        const nl = chunk.indexOf(0x0a, i);
        const stop = nl === -1 ? chunk.length : nl;
        if (this.lineLength + (stop - i) <= MAX_LINE) this.lineParts.push(chunk.slice(i, stop));
        this.lineLength += stop - i;
        this.offset += stop - i;
        i = stop;
        if (nl !== -1) {
          this.offset++;
          this.onLineEnd();
          i++;
        }
        return i;
      }
      case 'payload': {
        const n = Math.min(this.payloadLeft, chunk.length - i);
        if (this.held) this.held.set(chunk.subarray(i, i + n), this.held.length - this.payloadLeft);
        this.payloadLeft -= n;
        this.offset += n;
        if (this.payloadLeft === 0) this.execute(this.held);
        return i + n;
      }
      default:
        return chunk.length;
    }
  }

  private onOpcode(byte: number): void {
    this.opOffset = this.offset - 1;
    if (!this.inPickle) {
      // Past the first pickle only another protocol-2+ pickle counts; anything else is trailing data.
      if (this.result.pickles > 0 && byte !== PROTO) {
        this.trailingFrom = this.opOffset;
        this.phase = 'halted';
        return;
      }
      this.inPickle = true;
      this.pickleStart = this.opOffset;
    }
    const info = opcodes.get(byte);
    if (!info) {
      if (this.result.opcodes === 0) {
        this.result.status = 'not-pickle';
        this.result.reason = `byte 0x${byte.toString(16).padStart(2, '0')} is not a pickle opcode`;
        this.phase = 'halted';
        return;
      }
      throw new PickleFormatError(
        `unknown opcode 0x${byte.toString(16).padStart(2, '0')} at offset ${this.opOffset}`,
      );
    }
    this.result.opcodes++;
    this.op = info;
    const arg = info.arg;
    if (arg.kind === 'none') this.execute(null);
    else if (arg.kind === 'line') {
      this.lines = [];
      this.lineParts = [];
      this.lineLength = 0;
      this.phase = 'line';
    } else {
      this.fixedHave = 0;
      this.fixedNeed = arg.kind === 'fixed' ? arg.bytes : arg.prefix;
      this.readingPrefix = arg.kind === 'counted';
      this.phase = 'fixed';
    }
  }

  private onFixed(): void {
    const arg = this.op!.arg;
    const value = this.readFixed(arg.kind === 'counted' && arg.signed === true);
    if (!this.readingPrefix) {
      this.execute(value);
      return;
    }
    const keep = stringOps.has(this.op!.name) && value <= MAX_TRACKED_STRING;
    this.held = keep ? new Uint8Array(value) : null;
    this.payloadLeft = value;
    this.phase = 'payload';
    if (value === 0) this.execute(this.held);
  }

  private readFixed(signed: boolean): number {
    const b = this.fixed;
    const n = this.fixedNeed;
    if (n === 1) return b[0]!;
    if (n === 2) return b[0]! | (b[1]! << 8);
    const lo = (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
    if (n === 4) {
      if (signed && lo >= 0x8000_0000)
        throw new PickleFormatError(`negative length at offset ${this.opOffset}`);
      return lo;
    }
    const hi = (b[4]! | (b[5]! << 8) | (b[6]! << 16) | (b[7]! << 24)) >>> 0;
    if (hi >= 0x20_0000) throw new PickleFormatError(`length over 2^53 at offset ${this.opOffset}`);
    return hi * 0x1_0000_0000 + lo;
  }

  private onLineEnd(): void {
    const whole = this.lineLength <= MAX_LINE ? Buffer.concat(this.lineParts) : null;
    this.lines.push(whole);
    this.lineParts = [];
    this.lineLength = 0;
    const op = this.op!;
    if (op.arg.kind === 'line' && this.lines.length === op.arg.lines) this.execute(this.lines);
  }

  private execute(arg: Arg): void {
    this.phase = 'opcode';
    this.held = null;
    const name = this.op!.name;
    if (pushesOther.has(name)) {
      this.push1(OTHER);
      return;
    }
    if (stringOps.has(name)) {
      const bytes = arg as Uint8Array | null;
      const utf8 = name.includes('UNICODE');
      this.push1(bytes === null ? OTHER : utf8 ? decodeUtf8(bytes) : decodeLatin1(bytes));
      return;
    }
    switch (name) {
      case 'MARK':
        this.push1(MARK);
        return;
      case 'STOP':
        this.pop1();
        this.stack = [];
        this.floorLost = false;
        this.resetMemo();
        this.inPickle = false;
        this.result.pickles++;
        return;
      case 'POP':
        if (this.stack[this.stack.length - 1] === MARK) this.stack.pop();
        else this.pop1();
        return;
      case 'POP_MARK':
      case 'APPENDS':
      case 'SETITEMS':
      case 'ADDITEMS':
        this.popMark();
        return;
      case 'DUP':
        this.push1(this.peek());
        return;
      case 'BINPERSID':
      case 'TUPLE1':
        this.pop1();
        this.push1(OTHER);
        return;
      case 'TUPLE2':
      case 'REDUCE':
      case 'NEWOBJ':
        this.popN(2, name !== 'TUPLE2');
        return;
      case 'TUPLE3':
      case 'NEWOBJ_EX':
        this.popN(3, name === 'NEWOBJ_EX');
        return;
      case 'BUILD':
        this.pop1();
        this.peek();
        this.result.calls++;
        return;
      case 'APPEND':
        this.pop1();
        this.peek();
        return;
      case 'SETITEM':
        this.pop1();
        this.pop1();
        this.peek();
        return;
      case 'DICT':
      case 'LIST':
      case 'TUPLE':
      case 'FROZENSET':
        this.popMark();
        this.push1(OTHER);
        return;
      case 'OBJ':
        this.popMark();
        this.push1(OTHER);
        this.result.calls++;
        return;
      case 'STRING':
      case 'UNICODE':
        this.push1(this.decodeLineString(name, (arg as (Uint8Array | null)[])[0] ?? null));
        return;
      case 'GLOBAL':
      case 'INST':
        this.onLineGlobal(name, arg as (Uint8Array | null)[]);
        return;
      case 'STACK_GLOBAL': {
        const qualname = this.pop1();
        const module = this.pop1();
        if (typeof module === 'string' && typeof qualname === 'string') {
          this.recordImport(module, qualname, 'STACK_GLOBAL');
        } else {
          this.anomaly('unresolved-global', 'its module and name are not strings the scanner could follow');
        }
        this.push1(OTHER);
        return;
      }
      case 'GET':
      case 'BINGET':
      case 'LONG_BINGET':
        this.push1(this.memo.get(this.index(arg)) ?? OTHER);
        return;
      case 'PUT':
      case 'BINPUT':
      case 'LONG_BINPUT':
        this.memoPut(this.index(arg), this.peek());
        return;
      case 'MEMOIZE':
        if (this.memoCountLost) this.peek();
        else this.memoPut(this.memoDense + this.memoSparse.size, this.peek());
        return;
      case 'PROTO': {
        const version = arg as number;
        if (version > HIGHEST_PROTOCOL) {
          throw new PickleFormatError(`unsupported pickle protocol ${version} at offset ${this.opOffset}`);
        }
        this.result.protocol = Math.max(this.result.protocol ?? 0, version);
        return;
      }
      case 'EXT1':
      case 'EXT2':
      case 'EXT4':
        this.anomaly('extension-code', `copyreg extension code ${arg as number} names a global by number`);
        this.push1(OTHER);
        return;
      case 'READONLY_BUFFER':
        this.peek();
        return;
      default:
        // FRAME only announces the length of the opcodes that follow, which are read as usual.
        return;
    }
  }

  private decodeLineString(name: string, line: Uint8Array | null): Slot {
    if (line === null) return OTHER;
    const text = decodeLatin1(line);
    if (name === 'UNICODE') return decodeRawUnicodeEscape(text);
    const value = decodeStringRepr(text.trimEnd());
    if (value === null) throw new PickleFormatError(`STRING at offset ${this.opOffset} is not quoted`);
    return value;
  }

  private onLineGlobal(name: 'GLOBAL' | 'INST', lines: (Uint8Array | null)[]): void {
    const [module, qualname] = lines;
    if (module && qualname) this.recordImport(decodeUtf8(module), decodeUtf8(qualname), name);
    else this.anomaly('unresolved-global', `its module or name is longer than ${MAX_LINE} bytes`);
    if (name === 'INST') {
      this.popMark();
      this.result.calls++;
    }
    this.push1(OTHER);
  }

  private index(arg: Arg): number {
    if (typeof arg === 'number') return arg;
    const line = (arg as (Uint8Array | null)[])[0];
    const text = line ? decodeLatin1(line).trim() : '';
    if (!/^\d{1,15}$/.test(text)) throw new PickleFormatError(`bad memo index at offset ${this.opOffset}`);
    return Number(text);
  }

  private recordImport(module: string, name: string, opcode: ImportOpcode): void {
    const key = `${module}\n${name}`;
    const known = this.imports.get(key);
    if (known) known.count++;
    else if (this.imports.size < MAX_IMPORTS) {
      this.imports.set(key, { module, name, opcode, offset: this.opOffset, count: 1 });
    } else if (!this.importsCapped) {
      this.importsCapped = true;
      this.anomaly('limit', `more than ${MAX_IMPORTS} distinct globals; the rest are not listed`);
    }
  }

  private anomaly(kind: PickleAnomaly['kind'], detail: string): void {
    const list = this.result.anomalies;
    if (list.length < MAX_ANOMALIES)
      list.push({ kind, opcode: this.op?.name ?? null, offset: this.opOffset, detail });
  }

  private push1(slot: Slot): void {
    if (this.stack.length >= MAX_STACK) {
      // Deep values are never what an import reads, so the bottom half goes; popping into it yields OTHER.
      this.stack = this.stack.slice(MAX_STACK / 2);
      this.floorLost = true;
    }
    this.stack.push(slot);
  }

  private peek(): Slot {
    const top = this.stack[this.stack.length - 1];
    if (top === undefined) {
      if (this.floorLost) return OTHER;
      throw new PickleFormatError(`${this.op?.name} at offset ${this.opOffset} finds the stack empty`);
    }
    if (top === MARK) throw new PickleFormatError(`${this.op?.name} at offset ${this.opOffset} finds a MARK`);
    return top;
  }

  private pop1(): Slot {
    const top = this.peek();
    this.stack.pop();
    return top;
  }

  private popN(n: number, isCall: boolean): void {
    for (let k = 0; k < n; k++) this.pop1();
    this.push1(OTHER);
    if (isCall) this.result.calls++;
  }

  private popMark(): void {
    const at = this.stack.lastIndexOf(MARK);
    if (at === -1 && !this.floorLost) {
      throw new PickleFormatError(`${this.op?.name} at offset ${this.opOffset} has no MARK`);
    }
    this.stack.length = Math.max(at, 0);
  }

  private memoPut(index: number, value: Slot): void {
    if (index >= this.memoDense && !this.memoSparse.has(index)) {
      if (index === this.memoDense) {
        this.memoDense++;
        while (this.memoSparse.delete(this.memoDense)) this.memoDense++;
      } else if (this.memoSparse.size < MAX_SPARSE_MEMO_KEYS) {
        this.memoSparse.add(index);
      } else {
        this.memoCountLost = true;
      }
    }
    const old = this.memo.get(index);
    if (old !== undefined) {
      this.memo.delete(index);
      this.memoChars -= old.length;
    }
    if (typeof value !== 'string') return;
    if (this.memo.size < MAX_MEMO_STRINGS && this.memoChars + value.length <= MAX_MEMO_CHARS) {
      this.memo.set(index, value);
      this.memoChars += value.length;
    }
  }

  private resetMemo(): void {
    this.memo = new Map();
    this.memoChars = 0;
    this.memoDense = 0;
    this.memoSparse = new Set();
    this.memoCountLost = false;
  }

  private halt(reason: string, at = this.opOffset): void {
    this.phase = 'halted';
    if (this.result.pickles > 0) {
      // A later "pickle" that does not parse is most likely raw data that happened to start with 0x80.
      this.trailingFrom ??= this.pickleStart;
      return;
    }
    this.result.status = 'unparseable';
    this.result.reason = reason;
    this.result.failedAt = at;
  }
}
