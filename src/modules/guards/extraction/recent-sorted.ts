/**
 * The most recent `capacity` values of a stream, kept both in arrival order (a ring, to know which value
 * leaves next) and sorted (so a test on them needs no sort): a push is two binary searches and two moves
 * of at most `capacity` doubles. Storage starts small and doubles up to `capacity` as values arrive.
 */
export class RecentSorted {
  private ring: Float64Array;
  private ordered: Float64Array;
  private next = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be an integer ≥ 1');
    const initial = Math.min(64, capacity);
    this.ring = new Float64Array(initial);
    this.ordered = new Float64Array(initial);
  }

  /** Values held. */
  get count(): number {
    return this.size;
  }

  /** The values held, ascending (a view: valid until the next push). */
  get sorted(): Float64Array {
    return this.ordered.subarray(0, this.size);
  }

  /** Bytes of storage allocated. */
  get bytes(): number {
    return this.ring.byteLength + this.ordered.byteLength;
  }

  push(value: number): void {
    if (this.size === this.ring.length && this.size < this.capacity) this.grow();
    if (this.size === this.capacity) {
      // Full: the oldest value leaves the ring and the sorted view.
      const leaving = this.ring[this.next] as number;
      const at = this.lowerBound(leaving, this.size);
      this.ordered.copyWithin(at, at + 1, this.size);
      this.size--;
      this.ring[this.next] = value;
      this.next = (this.next + 1) % this.capacity;
    } else {
      this.ring[this.size] = value;
      this.next = (this.size + 1) % this.ring.length;
    }
    const at = this.lowerBound(value, this.size);
    this.ordered.copyWithin(at + 1, at, this.size);
    this.ordered[at] = value;
    this.size++;
  }

  /** The first index in the sorted view whose value is ≥ `value`. */
  private lowerBound(value: number, size: number): number {
    let lo = 0;
    let hi = size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.ordered[mid] as number) < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private grow(): void {
    const length = Math.min(this.capacity, this.ring.length * 2);
    const ring = new Float64Array(length);
    ring.set(this.ring);
    const ordered = new Float64Array(length);
    ordered.set(this.ordered);
    this.ring = ring;
    this.ordered = ordered;
  }
}
