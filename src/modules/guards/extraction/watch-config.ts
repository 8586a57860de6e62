import type { InputProfile } from './profile.js';
import { SHAPIRO_WILK_MAX_N } from './shapiro-wilk.js';

/** The extraction watch's states, signals, settings and their defaults, and what it reports. */

export type ExtractionState = 'normal' | 'suspect' | 'throttled';

/**
 * What can raise the state. `distances`: the minimum distances of each query to the principal's earlier
 * queries are not normally distributed (Shapiro–Wilk W below the threshold). `novelty`: too large a share of
 * the recent queries falls outside the model's benign input profile (its occupied grid cells or its ranges).
 * `coverage`: the principal's recent queries visited too large a share of the input grid's cells.
 */
export type ExtractionSignal = 'distances' | 'novelty' | 'coverage';

export interface VolumeWindow {
  /** The window's length in ms. */
  readonly ms: number;
  /** Queries allowed in it before volume counts as high. */
  readonly max: number;
}

export interface ExtractionWatchConfig {
  /** Input profiles by model name; a model without one gets the distance and volume signals only. */
  readonly profiles?: Readonly<Record<string, InputProfile>>;
  /** (principal, model) pairs tracked at once; the least recently seen is dropped beyond. 10,000. */
  readonly maxEntries?: number;
  /**
   * The bytes all pairs' state may take (typed arrays exactly, sets estimated); the least recently seen
   * pairs are dropped beyond. 256 MiB.
   */
  readonly maxBytes?: number;
  /** Queries kept per pair in PRADA's growing set (the most recent admitted ones). 1,000. */
  readonly maxStored?: number;
  /** Signals are evaluated (and Shapiro–Wilk run) every this many queries of a pair. 10. */
  readonly checkEvery?: number;
  readonly distances?: {
    /** The most recent minimum distances tested (3–5000). 500. */
    readonly window?: number;
    /** The first distances of a pair, left out: the growing set is still forming. 100. */
    readonly warmup?: number;
    /** Distances needed (after the warm-up) before the first test. 200. */
    readonly minCount?: number;
    /** δ: W below it raises the signal. 0.85. */
    readonly threshold?: number;
    /** Far-out distances (Tukey's outer fences) are left out of the test while at most this share. 0.02. */
    readonly maxTrim?: number;
  };
  readonly coverage?: {
    /** Recent queries the novelty share is taken over. 100. */
    readonly window?: number;
    /** Queries of a pair before novelty and coverage can fire. 50. */
    readonly minQueries?: number;
    /** Share of recent queries outside the profile that raises `novelty`. 0.45. */
    readonly maxNovelty?: number;
    /** Share of the grid's cells visited (over the last span to 2·span queries) that raises `coverage`. 0.3. */
    readonly maxFraction?: number;
    /** Queries per coverage generation (see CellCoverage). 1,000. */
    readonly span?: number;
    /** A value further than this share of its range outside the range is out of range. 0.05. */
    readonly margin?: number;
    /** Grids with more cells than this get no coverage signal (visited cells are kept in a set). 4,096. */
    readonly maxCells?: number;
  };
  readonly volume?: {
    /** Volume limits; above any of them volume is high (it escalates faster, never alone). 600/min, 20,000/h. */
    readonly windows?: readonly VolumeWindow[];
    /** Slots per sliding window. 12. */
    readonly buckets?: number;
  };
  readonly escalation?: {
    /** Consecutive firing checks that raise the state by one stage (1 while volume is high). 3. */
    readonly confirmChecks?: number;
    /** Throttling stages above suspect. 4. */
    readonly maxStage?: number;
    /** The rate factor per throttling stage: stage s allows factor^s of the rate. 0.5. */
    readonly factor?: number;
    /**
     * Once a check finds no signal, each quiet period of this length (checks keep finding none) lowers the
     * state by one step; a pair that sends nothing keeps its state. 300,000 ms.
     */
    readonly quietMs?: number;
  };
}

/** A configuration with every default filled in. */
export interface ResolvedExtractionConfig {
  readonly maxEntries: number;
  readonly maxBytes: number;
  readonly maxStored: number;
  readonly checkEvery: number;
  readonly distances: {
    window: number;
    warmup: number;
    minCount: number;
    threshold: number;
    maxTrim: number;
  };
  readonly coverage: {
    window: number;
    minQueries: number;
    maxNovelty: number;
    maxFraction: number;
    span: number;
    margin: number;
    maxCells: number;
  };
  readonly volume: { windows: readonly VolumeWindow[]; buckets: number };
  readonly escalation: { confirmChecks: number; maxStage: number; factor: number; quietMs: number };
}

export const DEFAULT_EXTRACTION_CONFIG: ResolvedExtractionConfig = Object.freeze({
  maxEntries: 10_000,
  maxBytes: 256 * 2 ** 20,
  maxStored: 1_000,
  checkEvery: 10,
  distances: Object.freeze({ window: 500, warmup: 100, minCount: 200, threshold: 0.85, maxTrim: 0.02 }),
  coverage: Object.freeze({
    window: 100,
    minQueries: 50,
    maxNovelty: 0.45,
    maxFraction: 0.3,
    span: 1_000,
    margin: 0.05,
    maxCells: 4_096,
  }),
  volume: Object.freeze({
    windows: Object.freeze([
      Object.freeze({ ms: 60_000, max: 600 }),
      Object.freeze({ ms: 3_600_000, max: 20_000 }),
    ]),
    buckets: 12,
  }),
  escalation: Object.freeze({ confirmChecks: 3, maxStage: 4, factor: 0.5, quietMs: 300_000 }),
});

export interface ExtractionStats {
  /** Queries the pair has sent (since it was first seen or last dropped). */
  readonly queries: number;
  /** Queries held in the growing set. */
  readonly stored: number;
  readonly distances: {
    /** Distances in the window. */
    readonly count: number;
    /** Far-out distances the last test left out. */
    readonly trimmed: number;
    /** The last test's W and p; null before the first test. */
    readonly w: number | null;
    readonly p: number | null;
    readonly threshold: number;
  };
  /** Null for a model without a profile. */
  readonly novelty: { readonly count: number; readonly fraction: number; readonly max: number } | null;
  /** Null for a model without a profile or with a grid above `maxCells`. */
  readonly coverage: {
    readonly cells: number;
    readonly totalCells: number;
    readonly fraction: number;
    readonly max: number;
  } | null;
  readonly volume: readonly { readonly windowMs: number; readonly count: number; readonly max: number }[];
  readonly volumeHigh: boolean;
  /** The signals that fired at the last check. */
  readonly signals: readonly ExtractionSignal[];
}

export interface ExtractionAlert {
  readonly principal: string;
  readonly model: string;
  readonly from: ExtractionState;
  readonly to: ExtractionState;
  /** The throttling stage reached (0 for suspect). */
  readonly stage: number;
  readonly signals: readonly ExtractionSignal[];
  /** One sentence per signal, with its figures: for the audit log and the operator. */
  readonly reason: string;
  readonly stats: ExtractionStats;
}

export interface ExtractionVerdict {
  readonly state: ExtractionState;
  /** 0 when normal or suspect; 1 … maxStage when throttled. */
  readonly stage: number;
  /** Multiply the principal's allowed rate by this (1 unless throttled; factor^stage when throttled). */
  readonly rateFactor: number;
  /** Present on the observation that raised the state. */
  readonly alert?: ExtractionAlert;
}

export interface ExtractionSnapshot extends ExtractionVerdict {
  readonly stats: ExtractionStats;
}

export interface ExtractionWatch {
  /** Records one query (its numeric input features) and returns the pair's state after it. */
  observe(principal: string, model: string, features: ArrayLike<number>, now: number): ExtractionVerdict;
  /**
   * The pair's state and figures, or undefined when it is not tracked. With `now`, the state as decayed to
   * then (nothing is changed); without, as of its last query.
   */
  stateOf(principal: string, model: string, now?: number): ExtractionSnapshot | undefined;
  /**
   * Sets or removes a model's profile. The model's tracked pairs are dropped: their stored queries were
   * scaled by the old profile.
   */
  setProfile(model: string, profile: InputProfile | undefined): void;
  /** Drops a pair (or every pair of the principal, without `model`); returns how many were dropped. */
  forget(principal: string, model?: string): number;
  /** Pairs tracked. */
  readonly size: number;
  /** Pairs tracked and the bytes their state holds (typed arrays exactly, sets and fixed fields estimated). */
  memory(): { entries: number; bytes: number };
}

/** Scaled features are clamped to ±this, so squared distances stay finite. */

export function resolveExtractionConfig(config: ExtractionWatchConfig = {}): ResolvedExtractionConfig {
  const d = DEFAULT_EXTRACTION_CONFIG;
  const resolved: ResolvedExtractionConfig = {
    maxEntries: config.maxEntries ?? d.maxEntries,
    maxBytes: config.maxBytes ?? d.maxBytes,
    maxStored: config.maxStored ?? d.maxStored,
    checkEvery: config.checkEvery ?? d.checkEvery,
    distances: { ...d.distances, ...config.distances },
    coverage: { ...d.coverage, ...config.coverage },
    volume: { ...d.volume, ...config.volume },
    escalation: { ...d.escalation, ...config.escalation },
  };
  const int = (name: string, v: number, min: number, max = Number.MAX_SAFE_INTEGER) => {
    if (!Number.isInteger(v) || v < min || v > max)
      throw new RangeError(`${name} must be an integer ${min}–${max}`);
  };
  const share = (name: string, v: number) => {
    if (!(v > 0 && v < 1)) throw new RangeError(`${name} must be between 0 and 1`);
  };
  int('maxEntries', resolved.maxEntries, 1);
  int('maxBytes', resolved.maxBytes, 1);
  int('maxStored', resolved.maxStored, 1);
  int('checkEvery', resolved.checkEvery, 1);
  const { distances, coverage, volume, escalation } = resolved;
  int('distances.window', distances.window, 3, SHAPIRO_WILK_MAX_N);
  int('distances.warmup', distances.warmup, 0);
  int('distances.minCount', distances.minCount, 3, distances.window);
  share('distances.threshold', distances.threshold);
  if (!(distances.maxTrim >= 0 && distances.maxTrim < 1))
    throw new RangeError('distances.maxTrim must be 0 to < 1');
  int('coverage.window', coverage.window, 1);
  int('coverage.minQueries', coverage.minQueries, 1);
  share('coverage.maxNovelty', coverage.maxNovelty);
  share('coverage.maxFraction', coverage.maxFraction);
  int('coverage.span', coverage.span, 1);
  if (!(coverage.margin >= 0)) throw new RangeError('coverage.margin must be ≥ 0');
  int('coverage.maxCells', coverage.maxCells, 1);
  int('volume.buckets', volume.buckets, 1);
  for (const w of volume.windows)
    if (!(w.ms > 0) || !(w.max >= 0)) throw new RangeError('volume windows need ms > 0 and max ≥ 0');
  int('escalation.confirmChecks', escalation.confirmChecks, 1);
  int('escalation.maxStage', escalation.maxStage, 1, 30);
  share('escalation.factor', escalation.factor);
  if (!(escalation.quietMs > 0)) throw new RangeError('escalation.quietMs must be > 0');
  return resolved;
}
