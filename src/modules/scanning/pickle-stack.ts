import { MAX_MEMO_CHARS, MAX_MEMO_STRINGS, MAX_SPARSE_MEMO_KEYS, MAX_STACK } from './pickle-limits.js';

/** Any value the model does not follow: numbers, containers, objects, strings too long to track. */
export const OTHER = Symbol('other');
export const MARK = Symbol('mark');
export type Slot = string | typeof OTHER | typeof MARK;

/**
 * The unpickler's stack as the scanner models it: strings, OTHER and MARKs. Popping past the bottom or
 * through a MARK is a malformed pickle; the error comes from `fail`, which names the opcode at fault.
 */
export class PickleStack {
  private slots: Slot[] = [];
  private floorLost = false;

  constructor(private readonly fail: (problem: string) => Error) {}

  push(slot: Slot): void {
    if (this.slots.length >= MAX_STACK) {
      // Deep values are never what an import reads, so the bottom half goes; popping into it yields OTHER.
      this.slots = this.slots.slice(MAX_STACK / 2);
      this.floorLost = true;
    }
    this.slots.push(slot);
  }

  peek(): Slot {
    const top = this.slots[this.slots.length - 1];
    if (top === undefined) {
      if (this.floorLost) return OTHER;
      throw this.fail('finds the stack empty');
    }
    if (top === MARK) throw this.fail('finds a MARK');
    return top;
  }

  pop(): Slot {
    const top = this.peek();
    this.slots.pop();
    return top;
  }

  /** POP: unlike every other opcode, it may take a MARK off the top. */
  popAny(): void {
    if (this.slots[this.slots.length - 1] === MARK) this.slots.pop();
    else this.pop();
  }

  /** Drops everything above the topmost MARK, and the MARK. */
  popMark(): void {
    const at = this.slots.lastIndexOf(MARK);
    if (at === -1 && !this.floorLost) throw this.fail('has no MARK');
    this.slots.length = Math.max(at, 0);
  }

  clear(): void {
    this.slots = [];
    this.floorLost = false;
  }
}

/**
 * The memo as the scanner models it: only string values are kept (within caps). MEMOIZE stores at index
 * len(memo), so the number of keys is tracked too, as a dense run 0..dense-1 plus the keys set beyond it;
 * once those are too many to track, the count is lost and MEMOIZE stores nothing.
 */
export class PickleMemo {
  private strings = new Map<number, string>();
  private chars = 0;
  private dense = 0;
  private sparse = new Set<number>();
  private countLost = false;

  get(index: number): Slot {
    return this.strings.get(index) ?? OTHER;
  }

  put(index: number, value: Slot): void {
    if (index >= this.dense && !this.sparse.has(index)) {
      if (index === this.dense) {
        this.dense++;
        while (this.sparse.delete(this.dense)) this.dense++;
      } else if (this.sparse.size < MAX_SPARSE_MEMO_KEYS) {
        this.sparse.add(index);
      } else {
        this.countLost = true;
      }
    }
    const old = this.strings.get(index);
    if (old !== undefined) {
      this.strings.delete(index);
      this.chars -= old.length;
    }
    if (typeof value !== 'string') return;
    if (this.strings.size < MAX_MEMO_STRINGS && this.chars + value.length <= MAX_MEMO_CHARS) {
      this.strings.set(index, value);
      this.chars += value.length;
    }
  }

  memoize(value: Slot): void {
    if (!this.countLost) this.put(this.dense + this.sparse.size, value);
  }

  reset(): void {
    this.strings = new Map();
    this.chars = 0;
    this.dense = 0;
    this.sparse = new Set();
    this.countLost = false;
  }
}
