/**
 * The grid cells a principal's recent queries visited: two generations of `span` queries each, so the
 * count covers the last span to 2·span queries, is O(1) to read, and forgets a past sweep once the
 * principal moves on (which lets its state recover). Memory: at most two sets of the grid's cell count.
 */
export class CellCoverage {
  private current = new Set<number>();
  private previous = new Set<number>();
  private inCurrent = 0;
  /** Distinct cells in both generations together. */
  private union = 0;

  constructor(readonly span: number) {
    if (!Number.isInteger(span) || span < 1) throw new RangeError('a coverage span must be an integer ≥ 1');
  }

  add(cell: number): void {
    if (this.inCurrent === this.span) {
      this.previous = this.current;
      this.current = new Set();
      this.inCurrent = 0;
      this.union = this.previous.size;
    }
    this.inCurrent++;
    if (this.current.has(cell)) return;
    this.current.add(cell);
    if (!this.previous.has(cell)) this.union++;
  }

  /** Distinct cells visited over the last span to 2·span queries. */
  get cells(): number {
    return this.union;
  }

  /** Set entries held (for the memory estimate). */
  get held(): number {
    return this.current.size + this.previous.size;
  }
}
