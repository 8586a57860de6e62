/**
 * A model's input profile: the numeric range of each feature benign traffic uses, and the cells of a coarse
 * grid over those ranges that benign traffic occupies. The watch scales distances by the ranges, counts
 * the cells a principal visits (coverage), and the share of its queries that land outside the benign cells
 * or the ranges (novelty). Learned offline from benign samples (`learnProfile`) or written by hand.
 */
export interface InputProfile {
  /** The lowest benign value of each feature (one entry per feature). */
  readonly lo: readonly number[];
  /** The highest benign value of each feature. */
  readonly hi: readonly number[];
  /** Bins per gridded feature (2–64). */
  readonly bins: number;
  /** The features the coverage grid spans (indices into the feature vector; at most 8, distinct). */
  readonly grid: readonly number[];
  /**
   * The grid cells benign traffic occupies (cell ids: `cellOf` numbering). Absent: novelty counts only the
   * queries outside the ranges.
   */
  readonly support?: readonly number[];
}

export interface LearnProfileOptions {
  /** Bins per gridded feature; 4 by default. */
  bins?: number;
  /** The grid spans at most this many features, those that vary most relative to their range; 6 by default. */
  maxGridFeatures?: number;
}

export const MAX_GRID_FEATURES = 8;

/**
 * Learns a profile from benign samples (the model's reference or training data, or a trusted client's
 * traffic): the per-feature minimum and maximum, a grid over the features that vary most, and the cells the
 * samples occupy.
 */
export function learnProfile(
  samples: readonly (readonly number[])[],
  options: LearnProfileOptions = {},
): InputProfile {
  const bins = options.bins ?? 4;
  const maxGrid = options.maxGridFeatures ?? 6;
  const first = samples[0];
  if (!first || first.length === 0) throw new RangeError('learnProfile needs at least one non-empty sample');
  if (!Number.isInteger(maxGrid) || maxGrid < 1 || maxGrid > MAX_GRID_FEATURES)
    throw new RangeError(`maxGridFeatures must be 1–${MAX_GRID_FEATURES}`);
  const dims = first.length;
  const lo = Array.from(first);
  const hi = Array.from(first);
  for (const sample of samples) {
    checkVector(sample, dims);
    for (let j = 0; j < dims; j++) {
      const v = sample[j] as number;
      if (v < (lo[j] as number)) lo[j] = v;
      if (v > (hi[j] as number)) hi[j] = v;
    }
  }
  // The features whose spread relative to their range is largest carry the most cells of information.
  const spread = lo.map((low, j) => {
    const span = (hi[j] as number) - low;
    if (span === 0) return 0;
    let sum = 0;
    let sumSq = 0;
    for (const s of samples) {
      const u = ((s[j] as number) - low) / span;
      sum += u;
      sumSq += u * u;
    }
    const mean = sum / samples.length;
    return sumSq / samples.length - mean * mean;
  });
  const grid = spread
    .map((variance, j) => ({ variance, j }))
    .filter((f) => f.variance > 0)
    .sort((a, b) => b.variance - a.variance || a.j - b.j)
    .slice(0, maxGrid)
    .map((f) => f.j)
    .sort((a, b) => a - b);
  const base = { lo, hi, bins, grid };
  const compiled = compileProfile(base);
  const support = new Set<number>();
  for (const sample of samples) support.add(compiled.cellOf(sample));
  return { ...base, support: [...support].sort((a, b) => a - b) };
}

/** A profile checked and turned into what the hot path uses. */
export interface CompiledProfile {
  readonly dims: number;
  readonly lo: Float64Array;
  /** 1 / (hi − lo), or 1 for a constant feature. */
  readonly invSpan: Float64Array;
  readonly totalCells: number;
  readonly support: ReadonlySet<number> | null;
  /** The cell id of a feature vector (values outside the ranges fall in the edge cells). */
  cellOf(features: ArrayLike<number>): number;
  /** Whether a feature lies outside its range by more than `margin` of the range. */
  outOfRange(features: ArrayLike<number>, margin: number): boolean;
}

export function compileProfile(profile: InputProfile): CompiledProfile {
  const dims = profile.lo.length;
  if (dims === 0 || profile.hi.length !== dims)
    throw new RangeError('an input profile needs lo and hi of the same, non-zero length');
  const { bins } = profile;
  if (!Number.isInteger(bins) || bins < 2 || bins > 64) throw new RangeError('profile bins must be 2–64');
  const lo = Float64Array.from(profile.lo);
  const span = new Float64Array(dims);
  const invSpan = new Float64Array(dims);
  for (let j = 0; j < dims; j++) {
    const s = (profile.hi[j] as number) - (lo[j] as number);
    if (!Number.isFinite(s) || s < 0) throw new RangeError(`profile feature ${j}: hi must be ≥ lo, finite`);
    span[j] = s;
    invSpan[j] = s > 0 ? 1 / s : 1;
  }
  const grid = Int32Array.from(profile.grid);
  if (grid.length > MAX_GRID_FEATURES)
    throw new RangeError(`a profile grid spans at most ${MAX_GRID_FEATURES} features`);
  if (new Set(grid).size !== grid.length || grid.some((j) => j < 0 || j >= dims))
    throw new RangeError('profile grid features must be distinct feature indices');
  const totalCells = bins ** grid.length;
  const hiValue = Float64Array.from(profile.hi);
  const cellOf = (features: ArrayLike<number>): number => {
    let id = 0;
    for (let g = 0; g < grid.length; g++) {
      const j = grid[g] as number;
      const u = ((features[j] as number) - (lo[j] as number)) * (invSpan[j] as number);
      let bin = Math.floor(u * bins);
      if (!(bin >= 0)) bin = 0;
      else if (bin >= bins) bin = bins - 1;
      id = id * bins + bin;
    }
    return id;
  };
  const outOfRange = (features: ArrayLike<number>, margin: number): boolean => {
    for (let j = 0; j < dims; j++) {
      const v = features[j] as number;
      const slack = margin * (span[j] as number);
      if (v < (lo[j] as number) - slack || v > (hiValue[j] as number) + slack) return true;
    }
    return false;
  };
  let support: Set<number> | null = null;
  if (profile.support) {
    support = new Set(profile.support);
    for (const id of support)
      if (!Number.isInteger(id) || id < 0 || id >= totalCells)
        throw new RangeError(`profile support cell ${id} is not a cell of a ${totalCells}-cell grid`);
  }
  return { dims, lo, invSpan, totalCells, support, cellOf, outOfRange };
}

/** Throws unless `v` has `dims` finite numbers. */
export function checkVector(v: ArrayLike<number>, dims: number): void {
  if (v.length !== dims) throw new RangeError(`expected ${dims} features, got ${v.length}`);
  for (let j = 0; j < dims; j++)
    if (!Number.isFinite(v[j])) throw new RangeError(`feature ${j} is not a finite number`);
}
