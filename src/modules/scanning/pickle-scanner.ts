import { type Arg, PickleInterpreter, stringOps } from './pickle-interpreter.js';
import { MAX_LINE, MAX_TRACKED_STRING } from './pickle-limits.js';
import { type OpInfo, opcodes, PickleFormatError, PROTO } from './pickle-opcodes.js';
import { PickleScanRecorder, type PickleScanResult } from './pickle-scan-result.js';

export type {
  ImportOpcode,
  PickleAnomaly,
  PickleAnomalyKind,
  PickleImport,
  PickleScanResult,
} from './pickle-scan-result.js';

type Phase = 'opcode' | 'fixed' | 'line' | 'payload' | 'halted';

/**
 * Push-based pickle opcode scanner: feed every chunk in order, then call end(). It never unpickles: it
 * walks the opcodes and models only what resolves an import (strings on the stack and in the memo), so
 * memory is bounded whatever the file's size, and the result is the same for any chunking.
 *
 * This class reads the bytes: it finds each opcode and its argument, across chunk boundaries, and hands
 * them to a PickleInterpreter, which runs them against the stack-and-memo model.
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
  private pickleStart = 0;
  private trailingFrom: number | null = null;
  private ended = false;
  private readonly out = new PickleScanRecorder();
  private readonly result = this.out.result;
  private readonly interpreter = new PickleInterpreter(this.out);

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
      if (this.phase !== 'halted' && (this.interpreter.inPickle || this.phase !== 'opcode')) {
        this.halt(`the data ends inside a pickle, after ${this.offset} bytes`, this.offset);
      } else if (this.phase !== 'halted' && this.result.opcodes === 0) {
        this.out.notPickle('the file is empty');
      }
      this.out.finish(this.trailingFrom);
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
    if (!this.interpreter.inPickle) {
      // Past the first pickle only another protocol-2+ pickle counts; anything else is trailing data.
      if (this.result.pickles > 0 && byte !== PROTO) {
        this.trailingFrom = this.opOffset;
        this.phase = 'halted';
        return;
      }
      this.interpreter.inPickle = true;
      this.pickleStart = this.opOffset;
    }
    const info = opcodes.get(byte);
    if (!info) {
      if (this.result.opcodes === 0) {
        this.out.notPickle(`byte 0x${byte.toString(16).padStart(2, '0')} is not a pickle opcode`);
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

  /** The current opcode's argument is complete: run the opcode, then read the next one. */
  private execute(arg: Arg): void {
    this.phase = 'opcode';
    this.held = null;
    this.interpreter.execute(this.op!.name, this.opOffset, arg);
  }

  private halt(reason: string, at = this.opOffset): void {
    this.phase = 'halted';
    if (this.result.pickles > 0) {
      // A later "pickle" that does not parse is most likely raw data that happened to start with 0x80.
      this.trailingFrom ??= this.pickleStart;
      return;
    }
    this.out.unparseable(reason, at);
  }
}
