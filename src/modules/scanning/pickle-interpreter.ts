import { MAX_LINE } from './pickle-limits.js';
import { HIGHEST_PROTOCOL, PickleFormatError } from './pickle-opcodes.js';
import type { ImportOpcode, PickleAnomalyKind, PickleScanRecorder } from './pickle-scan-result.js';
import { MARK, OTHER, PickleMemo, PickleStack, type Slot } from './pickle-stack.js';
import { decodeLatin1, decodeRawUnicodeEscape, decodeStringRepr, decodeUtf8 } from './pickle-strings.js';

/**
 * An opcode's argument as read: a number (fixed-size and length-prefix arguments), the lines of a line
 * argument (null for one too long to keep), or the payload of a counted one (null when not kept).
 */
export type Arg = number | (Uint8Array | null)[] | Uint8Array | null;

/** The counted opcodes whose payload is a string; the reader keeps those payloads when short enough. */
export const stringOps = new Set([
  'BINSTRING',
  'SHORT_BINSTRING',
  'BINUNICODE',
  'SHORT_BINUNICODE',
  'BINUNICODE8',
]);
const pushesOther = new Set([
  ...['FLOAT', 'INT', 'LONG', 'BININT', 'BININT1', 'BININT2', 'BINFLOAT', 'LONG1', 'LONG4', 'NONE'],
  ...['NEWTRUE', 'NEWFALSE', 'EMPTY_DICT', 'EMPTY_LIST', 'EMPTY_TUPLE', 'EMPTY_SET', 'NEXT_BUFFER'],
  ...['BINBYTES', 'SHORT_BINBYTES', 'BINBYTES8', 'BYTEARRAY8', 'PERSID'],
]);

/**
 * Runs each opcode, once its argument has been read, against the stack-and-memo model, and records the
 * imports, calls and anomalies it sees. A malformed pickle throws PickleFormatError.
 */
export class PickleInterpreter {
  /** From a pickle's first opcode (the reader sets it) to its STOP (which clears it). */
  inPickle = false;
  private op = '';
  private opOffset = 0;
  private readonly stack = new PickleStack(
    (problem) => new PickleFormatError(`${this.op} at offset ${this.opOffset} ${problem}`),
  );
  private readonly memo = new PickleMemo();

  constructor(private readonly out: PickleScanRecorder) {}

  execute(name: string, offset: number, arg: Arg): void {
    this.op = name;
    this.opOffset = offset;
    const result = this.out.result;
    if (pushesOther.has(name)) {
      this.stack.push(OTHER);
      return;
    }
    if (stringOps.has(name)) {
      const bytes = arg as Uint8Array | null;
      const utf8 = name.includes('UNICODE');
      this.stack.push(bytes === null ? OTHER : utf8 ? decodeUtf8(bytes) : decodeLatin1(bytes));
      return;
    }
    switch (name) {
      case 'MARK':
        this.stack.push(MARK);
        return;
      case 'STOP':
        this.stack.pop();
        this.stack.clear();
        this.memo.reset();
        this.inPickle = false;
        result.pickles++;
        return;
      case 'POP':
        this.stack.popAny();
        return;
      case 'POP_MARK':
      case 'APPENDS':
      case 'SETITEMS':
      case 'ADDITEMS':
        this.stack.popMark();
        return;
      case 'DUP':
        this.stack.push(this.stack.peek());
        return;
      case 'BINPERSID':
      case 'TUPLE1':
        this.stack.pop();
        this.stack.push(OTHER);
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
        this.stack.pop();
        this.stack.peek();
        result.calls++;
        return;
      case 'APPEND':
        this.stack.pop();
        this.stack.peek();
        return;
      case 'SETITEM':
        this.stack.pop();
        this.stack.pop();
        this.stack.peek();
        return;
      case 'DICT':
      case 'LIST':
      case 'TUPLE':
      case 'FROZENSET':
        this.stack.popMark();
        this.stack.push(OTHER);
        return;
      case 'OBJ':
        this.stack.popMark();
        this.stack.push(OTHER);
        result.calls++;
        return;
      case 'STRING':
      case 'UNICODE':
        this.stack.push(this.decodeLineString(name, (arg as (Uint8Array | null)[])[0] ?? null));
        return;
      case 'GLOBAL':
      case 'INST':
        this.onLineGlobal(name, arg as (Uint8Array | null)[]);
        return;
      case 'STACK_GLOBAL': {
        const qualname = this.stack.pop();
        const module = this.stack.pop();
        if (typeof module === 'string' && typeof qualname === 'string') {
          this.recordImport(module, qualname, 'STACK_GLOBAL');
        } else {
          this.anomaly('unresolved-global', 'its module and name are not strings the scanner could follow');
        }
        this.stack.push(OTHER);
        return;
      }
      case 'GET':
      case 'BINGET':
      case 'LONG_BINGET':
        this.stack.push(this.memo.get(this.index(arg)));
        return;
      case 'PUT':
      case 'BINPUT':
      case 'LONG_BINPUT':
        this.memo.put(this.index(arg), this.stack.peek());
        return;
      case 'MEMOIZE':
        this.memo.memoize(this.stack.peek());
        return;
      case 'PROTO': {
        const version = arg as number;
        if (version > HIGHEST_PROTOCOL) {
          throw new PickleFormatError(`unsupported pickle protocol ${version} at offset ${this.opOffset}`);
        }
        result.protocol = Math.max(result.protocol ?? 0, version);
        return;
      }
      case 'EXT1':
      case 'EXT2':
      case 'EXT4':
        this.anomaly('extension-code', `copyreg extension code ${arg as number} names a global by number`);
        this.stack.push(OTHER);
        return;
      case 'READONLY_BUFFER':
        this.stack.peek();
        return;
      default:
        // FRAME only announces the length of the opcodes that follow, which are read as usual.
        return;
    }
  }

  private popN(n: number, isCall: boolean): void {
    for (let k = 0; k < n; k++) this.stack.pop();
    this.stack.push(OTHER);
    if (isCall) this.out.result.calls++;
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
      this.stack.popMark();
      this.out.result.calls++;
    }
    this.stack.push(OTHER);
  }

  private index(arg: Arg): number {
    if (typeof arg === 'number') return arg;
    const line = (arg as (Uint8Array | null)[])[0];
    const text = line ? decodeLatin1(line).trim() : '';
    if (!/^\d{1,15}$/.test(text)) throw new PickleFormatError(`bad memo index at offset ${this.opOffset}`);
    return Number(text);
  }

  private recordImport(module: string, name: string, opcode: ImportOpcode): void {
    this.out.recordImport(module, name, opcode, this.opOffset);
  }

  private anomaly(kind: PickleAnomalyKind, detail: string): void {
    this.out.anomaly(kind, this.op, this.opOffset, detail);
  }
}
