import { parseTag, toLength, VarintAccumulator, WireFormatError, type WireType } from './protobuf-wire.js';

/**
 * What to do with one field, chosen by the visitor from its number alone. `descend` walks into a nested
 * message without holding it; `buffer` holds a small field (at most `maxBytes`) and hands it over whole.
 * The walker checks the action against the field's wire type, so a schema mismatch is a format error.
 */
export type FieldAction<F> =
  | { readonly kind: 'skip' }
  | { readonly kind: 'varint'; readonly onValue: (value: bigint) => void }
  | { readonly kind: 'descend'; readonly frame: F }
  | { readonly kind: 'buffer'; readonly maxBytes: number; readonly onBytes: (bytes: Uint8Array) => void };

export type FieldVisitor<F> = (frame: F, field: number) => FieldAction<F>;

export const skipField = { kind: 'skip' } as const;

type Phase = 'tag' | 'varint' | 'length' | 'skip' | 'buffer';

/**
 * Walks a protobuf message pushed chunk by chunk. Memory is bounded by the nesting depth plus the largest
 * buffered field: skipped and descended fields are only counted down, never held, so a multi-GiB message
 * costs no more than a small one.
 */
export class ProtoStreamWalker<F> {
  // The root has no length of its own: it ends wherever the input ends.
  private readonly stack: { frame: F; end: number }[];
  private readonly varint = new VarintAccumulator();
  private phase: Phase = 'tag';
  private offset = 0;
  private field = 0;
  private action: FieldAction<F> = skipField;
  private left = 0;
  private held: Uint8Array | null = null;

  constructor(
    root: F,
    private readonly visit: FieldVisitor<F>,
  ) {
    this.stack = [{ frame: root, end: Number.POSITIVE_INFINITY }];
  }

  push(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.phase === 'skip' || this.phase === 'buffer') {
        const n = Math.min(this.left, chunk.length - i);
        if (this.held) this.held.set(chunk.subarray(i, i + n), this.held.length - this.left);
        i += n;
        this.offset += n;
        this.left -= n;
        if (this.left === 0) this.finishBytes();
        continue;
      }
      if (this.phase === 'tag' && !this.varint.pending) this.closeFinishedFrames();
      const value = this.varint.feed(chunk[i++]!);
      this.offset++;
      if (value !== undefined) this.onVarint(value);
    }
  }

  /** Checks the input stopped on a field boundary of the root message. */
  end(): void {
    if (this.phase === 'tag' && !this.varint.pending) this.closeFinishedFrames();
    if (this.phase !== 'tag' || this.varint.pending || this.stack.length > 1) {
      throw new WireFormatError(`the data ends in the middle of a field, after ${this.offset} bytes`);
    }
  }

  private get top(): { frame: F; end: number } {
    return this.stack[this.stack.length - 1]!;
  }

  private closeFinishedFrames(): void {
    while (this.top.end === this.offset) this.stack.pop();
  }

  private onVarint(value: bigint): void {
    if (this.offset > this.top.end) this.overrun();
    if (this.phase === 'tag') {
      const { field, wireType } = parseTag(value);
      this.field = field;
      this.action = this.visit(this.top.frame, field);
      this.checkWireType(wireType);
      if (wireType === 0) this.phase = 'varint';
      else if (wireType === 2) this.phase = 'length';
      else this.startBytes(wireType === 1 ? 8 : 4, null);
    } else if (this.phase === 'varint') {
      this.phase = 'tag';
      if (this.action.kind === 'varint') this.action.onValue(value);
    } else {
      this.onLength(toLength(value));
    }
  }

  private onLength(length: number): void {
    const action = this.action;
    if (action.kind === 'descend') {
      if (length > this.top.end - this.offset) this.overrun();
      this.stack.push({ frame: action.frame, end: this.offset + length });
      this.phase = 'tag';
    } else if (action.kind === 'buffer') {
      if (length > action.maxBytes) {
        throw new WireFormatError(
          `field ${this.field} is ${length} bytes, over its limit of ${action.maxBytes}`,
        );
      }
      this.startBytes(length, new Uint8Array(length));
    } else {
      this.startBytes(length, null);
    }
  }

  private startBytes(length: number, held: Uint8Array | null): void {
    if (length > this.top.end - this.offset) this.overrun();
    this.left = length;
    this.held = held;
    this.phase = held ? 'buffer' : 'skip';
    if (length === 0) this.finishBytes();
  }

  private finishBytes(): void {
    const held = this.held;
    this.held = null;
    this.phase = 'tag';
    if (held && this.action.kind === 'buffer') this.action.onBytes(held);
  }

  private checkWireType(wireType: WireType): void {
    const kind = this.action.kind;
    const ok = kind === 'skip' || (kind === 'varint' ? wireType === 0 : wireType === 2);
    if (!ok) {
      throw new WireFormatError(`field ${this.field} has wire type ${wireType}, which its schema forbids`);
    }
  }

  private overrun(): never {
    throw new WireFormatError(`field ${this.field} runs past the end of its enclosing message`);
  }
}
