/**
 * A count of events over the last `windowMs`, kept in `buckets` slots (a ring): memory is fixed, and the
 * window slides a slot at a time, so it spans between windowMs − windowMs/buckets and windowMs of history.
 * Time comes in as an argument (ms); it must not go backwards (the watch clamps it).
 */
export class SlidingCounter {
  private readonly counts: Uint32Array;
  /** The absolute slot number (⌊t / slotMs⌋) each ring position holds. */
  private readonly slots: Float64Array;
  private readonly slotMs: number;

  constructor(
    readonly windowMs: number,
    readonly buckets: number,
  ) {
    if (!(windowMs > 0) || !Number.isInteger(buckets) || buckets < 1)
      throw new RangeError('a sliding window needs windowMs > 0 and an integer number of buckets ≥ 1');
    this.counts = new Uint32Array(buckets);
    this.slots = new Float64Array(buckets).fill(-1);
    this.slotMs = windowMs / buckets;
  }

  add(now: number, n = 1): void {
    const slot = Math.floor(now / this.slotMs);
    const at = ((slot % this.buckets) + this.buckets) % this.buckets;
    if (this.slots[at] !== slot) {
      this.slots[at] = slot;
      this.counts[at] = 0;
    }
    this.counts[at] = (this.counts[at] as number) + n;
  }

  count(now: number): number {
    const slot = Math.floor(now / this.slotMs);
    let total = 0;
    for (let i = 0; i < this.buckets; i++) {
      const s = this.slots[i] as number;
      if (s > slot - this.buckets && s <= slot) total += this.counts[i] as number;
    }
    return total;
  }
}
