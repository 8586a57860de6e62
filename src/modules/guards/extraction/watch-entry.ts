import { CellCoverage } from './cell-coverage.js';
import type { CompiledProfile } from './profile.js';
import { RecentSorted } from './recent-sorted.js';
import type { ShapiroWilkResult } from './shapiro-wilk.js';
import { SlidingCounter } from './sliding-counter.js';
import type { ExtractionSignal, ExtractionState, ResolvedExtractionConfig } from './watch-config.js';

/**
 * What the extraction watch keeps per principal and model (`Entry`), and the two numeric steps of PRADA it
 * runs on it: the nearest stored query to a new one, and the distances' sample without far-out values.
 */

/** Tukey's outer fence: Q1 − 3·IQR … Q3 + 3·IQR. */
const FENCE = 3;

/**
 * The sorted sample without its far-out values (outside Tukey's outer fences), unless they are more than
 * `maxTrim` of it: then they are the distribution's shape, not stray points, and all are kept. A benign
 * client reaching a new region of the input space makes one large distance, which alone would pull W down.
 */
export function withoutFarOut(sorted: Float64Array, maxTrim: number): Float64Array {
  const n = sorted.length;
  const q1 = sorted[Math.floor((n - 1) * 0.25)] as number;
  const q3 = sorted[Math.floor((n - 1) * 0.75)] as number;
  const low = q1 - FENCE * (q3 - q1);
  const high = q3 + FENCE * (q3 - q1);
  let start = 0;
  let end = n;
  while (start < n && (sorted[start] as number) < low) start++;
  while (end > start && (sorted[end - 1] as number) > high) end--;
  const removed = n - (end - start);
  return removed === 0 || removed > maxTrim * n || end - start < 3 ? sorted : sorted.subarray(start, end);
}

/**
 * The smallest squared distance from `z` to the first `count` stored vectors: the hot loop. Four features
 * at a time, leaving a stored vector as soon as its partial sum reaches the best so far.
 */
export function nearest(stored: Float32Array, count: number, dims: number, z: Float64Array): number {
  let best = Number.POSITIVE_INFINITY;
  const blocks = dims - (dims % 4);
  const end = count * dims;
  for (let off = 0; off < end; off += dims) {
    let sum = 0;
    let j = 0;
    for (; j < blocks; j += 4) {
      const d0 = (stored[off + j] as number) - (z[j] as number);
      const d1 = (stored[off + j + 1] as number) - (z[j + 1] as number);
      const d2 = (stored[off + j + 2] as number) - (z[j + 2] as number);
      const d3 = (stored[off + j + 3] as number) - (z[j + 3] as number);
      sum += d0 * d0 + d1 * d1 + d2 * d2 + d3 * d3;
      if (sum >= best) break;
    }
    if (sum >= best) continue;
    for (; j < dims; j++) {
      const d = (stored[off + j] as number) - (z[j] as number);
      sum += d * d;
    }
    if (sum < best) best = sum;
  }
  return best;
}

/** Levels: 0 normal, 1 suspect, 2 … maxStage + 1 throttled at stage level − 1. */
export function stateOfLevel(level: number): ExtractionState {
  return level === 0 ? 'normal' : level === 1 ? 'suspect' : 'throttled';
}

export class Entry {
  queries = 0;
  lastSeen = Number.NEGATIVE_INFINITY;
  readonly volume: SlidingCounter[];
  readonly scaled: Float64Array;

  // PRADA's growing set: a ring of the most recent admitted queries (scaled; single precision is plenty
  // for distances), grown on demand.
  stored: Float32Array;
  storedCount = 0;
  storedNext = 0;
  /** Admitted distances: count, running mean and sum of squared deviations (Welford), and T. */
  admitted = 0;
  admittedMean = 0;
  admittedM2 = 0;
  threshold = 0;

  /** The most recent minimum distances, and how many distances were ever produced. */
  readonly distances: RecentSorted;
  distSeen = 0;
  lastTest: ShapiroWilkResult | null = null;
  /** Far-out distances the last test left out. */
  trimmed = 0;

  readonly visited: CellCoverage | null;
  readonly novelty: Uint8Array | null;
  noveltySum = 0;
  noveltyCount = 0;
  noveltyNext = 0;

  level = 0;
  consecutive = 0;
  /**
   * When the quiet period began: the first check that found no signal after the last one that did; null
   * while the last check fired (or the state is normal). The state steps down once per quietMs from there.
   */
  calmSince: number | null = null;
  signals: readonly ExtractionSignal[] = [];
  volumeHigh = false;
  /** The bytes last accounted for this pair. */
  bytes = 0;

  constructor(
    readonly principal: string,
    readonly model: string,
    readonly dims: number,
    readonly profile: CompiledProfile | null,
    readonly coverageOn: boolean,
    config: ResolvedExtractionConfig,
  ) {
    this.volume = config.volume.windows.map((w) => new SlidingCounter(w.ms, config.volume.buckets));
    this.scaled = new Float64Array(dims);
    this.stored = new Float32Array(Math.min(64, config.maxStored) * dims);
    this.distances = new RecentSorted(config.distances.window);
    this.visited = coverageOn ? new CellCoverage(config.coverage.span) : null;
    this.novelty = profile ? new Uint8Array(config.coverage.window) : null;
  }
}
