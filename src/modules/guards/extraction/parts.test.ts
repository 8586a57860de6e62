import { describe, expect, it } from 'vitest';
import { CellCoverage } from './cell-coverage.js';
import { compileProfile, learnProfile } from './profile.js';
import { RecentSorted } from './recent-sorted.js';
import { SlidingCounter } from './sliding-counter.js';

describe('SlidingCounter', () => {
  it('counts the events of the last window, a slot at a time', () => {
    const c = new SlidingCounter(60_000, 6); // 10 s slots
    for (let t = 0; t < 60_000; t += 1_000) c.add(t);
    expect(c.count(59_999)).toBe(60);
    // At 65 s the slot of 0–10 s has left the window.
    expect(c.count(65_000)).toBe(50);
    expect(c.count(120_000)).toBe(0);
    c.add(120_000, 5);
    expect(c.count(120_000)).toBe(5);
  });

  it('reuses a slot after a full lap without adding stale counts', () => {
    const c = new SlidingCounter(1_000, 2);
    c.add(0, 3);
    c.add(1_000, 1); // same ring position as t = 0, one lap later
    expect(c.count(1_000)).toBe(1);
  });

  it('refuses a bad shape', () => {
    expect(() => new SlidingCounter(0, 4)).toThrow(RangeError);
    expect(() => new SlidingCounter(1000, 0)).toThrow(RangeError);
  });
});

describe('RecentSorted', () => {
  it('keeps the last values sorted as they come and go, growing its storage up to the capacity', () => {
    const r = new RecentSorted(100);
    expect(r.bytes).toBe(2 * 64 * 8);
    let s = 9;
    const stream: number[] = [];
    for (let i = 0; i < 1_000; i++) {
      s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
      const v = (s % 50) / 7; // plenty of ties
      stream.push(v);
      r.push(v);
      const expected = stream.slice(-100).sort((a, b) => a - b);
      expect(Array.from(r.sorted)).toEqual(expected);
    }
    expect(r.count).toBe(100);
    expect(r.bytes).toBe(2 * 100 * 8);
  });
});

describe('CellCoverage', () => {
  it('counts distinct cells over one to two generations and forgets older ones', () => {
    const c = new CellCoverage(4);
    for (const cell of [1, 2, 2, 3]) c.add(cell);
    expect(c.cells).toBe(3);
    for (const cell of [3, 4, 4, 4]) c.add(cell); // second generation: 1, 2, 3 still counted
    expect(c.cells).toBe(4);
    c.add(5); // third generation starts: the first one (1, 2) is gone
    expect(c.cells).toBe(3); // 3, 4, 5
    expect(c.held).toBe(3);
  });
});

describe('input profiles', () => {
  const samples = [
    [0, 10, 5],
    [1, 20, 5],
    [0.5, 15, 5],
    [0.9, 11, 5],
  ];

  it('learns ranges, a grid over the varying features and the cells the samples occupy', () => {
    const p = learnProfile(samples, { bins: 2 });
    expect(p.lo).toEqual([0, 10, 5]);
    expect(p.hi).toEqual([1, 20, 5]);
    expect(p.grid).toEqual([0, 1]); // feature 2 is constant
    const compiled = compileProfile(p);
    expect(compiled.totalCells).toBe(4);
    expect(new Set(p.support)).toEqual(new Set(samples.map((s) => compiled.cellOf(s))));
  });

  it('grids the features that vary most relative to their range when limited', () => {
    const spread = [
      [0, 0, 0],
      [1, 0.5, 1],
      [0, 0.5, 0],
      [1, 0.5, 1],
      [0, 0.5, 0],
      [1, 1, 0.5],
    ];
    expect(learnProfile(spread, { maxGridFeatures: 2 }).grid).toEqual([0, 2]);
  });

  it('puts values outside the ranges in the edge cells and flags them beyond the margin', () => {
    const p = compileProfile({ lo: [0, 0], hi: [10, 10], bins: 5, grid: [0, 1] });
    expect(p.cellOf([-3, 100])).toBe(0 * 5 + 4);
    expect(p.cellOf([10, 10])).toBe(24);
    expect(p.outOfRange([10.4, 5], 0.05)).toBe(false);
    expect(p.outOfRange([10.6, 5], 0.05)).toBe(true);
    expect(p.outOfRange([5, -0.6], 0.05)).toBe(true);
    expect(p.support).toBeNull();
  });

  it('refuses profiles it cannot use', () => {
    expect(() => compileProfile({ lo: [0], hi: [1, 2], bins: 4, grid: [0] })).toThrow(RangeError);
    expect(() => compileProfile({ lo: [1], hi: [0], bins: 4, grid: [0] })).toThrow(RangeError);
    expect(() => compileProfile({ lo: [0], hi: [1], bins: 1, grid: [0] })).toThrow(RangeError);
    expect(() => compileProfile({ lo: [0], hi: [1], bins: 4, grid: [1] })).toThrow(RangeError);
    expect(() => compileProfile({ lo: [0, 0], hi: [1, 1], bins: 4, grid: [0, 0] })).toThrow(RangeError);
    expect(() => compileProfile({ lo: [0], hi: [1], bins: 4, grid: [0], support: [4] })).toThrow(RangeError);
    expect(() => learnProfile([])).toThrow(RangeError);
    expect(() => learnProfile([[1, 2], [3]])).toThrow(RangeError);
    expect(() => learnProfile([[1, Number.NaN]])).toThrow(RangeError);
  });
});
