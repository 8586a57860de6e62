import { type CompiledProfile, checkVector, compileProfile } from './profile.js';
import { shapiroWilkCoefficients, shapiroWilkSorted } from './shapiro-wilk.js';
import {
  type ExtractionAlert,
  type ExtractionSignal,
  type ExtractionStats,
  type ExtractionVerdict,
  type ExtractionWatch,
  type ExtractionWatchConfig,
  resolveExtractionConfig,
  type VolumeWindow,
} from './watch-config.js';
import { Entry, nearest, stateOfLevel, withoutFarOut } from './watch-entry.js';

/**
 * The model-extraction watch (guard 8 of the inference gateway): per principal and model it tracks query
 * volume, how much of the input space the queries cover, and how far each query lies from the principal's
 * earlier ones (PRADA, Juuti et al. 2019), and turns those signals into a state — normal, suspect (an
 * alert), throttled (a rate factor the rate limiter applies) — that decays back after benign behaviour.
 * Pure: no timers, no I/O; every clock-dependent step takes `now` (ms) from the caller.
 */

const CLAMP = 1e9;
/** Bytes a Set entry of a small integer takes in V8, roughly. */
const SET_ENTRY_BYTES = 20;
/** Bytes of an entry's fixed fields, roughly. */
const ENTRY_OVERHEAD_BYTES = 600;
/** Sample sizes whose Shapiro–Wilk weights are kept (a full window less 0–2 % trimmed fits). */
const COEFFICIENT_CACHE = 16;

export function createExtractionWatch(config: ExtractionWatchConfig = {}): ExtractionWatch {
  const cfg = resolveExtractionConfig(config);
  const profiles = new Map<string, CompiledProfile>();
  for (const [model, profile] of Object.entries(config.profiles ?? {}))
    profiles.set(model, compileProfile(profile));
  /** Insertion order is recency: a touched entry is re-inserted, the first one is the least recent. */
  const entries = new Map<string, Entry>();
  let totalBytes = 0;
  const coefficients = new Map<number, Float64Array>();
  const verdicts = Array.from({ length: cfg.escalation.maxStage + 2 }, (_, level) =>
    Object.freeze<ExtractionVerdict>({
      state: stateOfLevel(level),
      stage: Math.max(0, level - 1),
      rateFactor: rateFactor(level),
    }),
  );

  function rateFactor(level: number): number {
    return level < 2 ? 1 : cfg.escalation.factor ** (level - 1);
  }

  const keyOf = (principal: string, model: string) => `${principal.length}:${principal}${model}`;

  function entryFor(principal: string, model: string, dims: number): Entry {
    const key = keyOf(principal, model);
    const found = entries.get(key);
    if (found) {
      entries.delete(key);
      entries.set(key, found);
      return found;
    }
    const profile = profiles.get(model) ?? null;
    const entry = new Entry(
      principal,
      model,
      profile ? profile.dims : dims,
      profile,
      profile !== null && profile.totalCells <= cfg.coverage.maxCells,
      cfg,
    );
    entries.set(key, entry);
    return entry;
  }

  /** The level and quiet-period start after the quiet periods elapsed by `now`. */
  function decayed(entry: Entry, now: number): { level: number; calmSince: number | null } {
    const { level, calmSince } = entry;
    if (level === 0 || calmSince === null) return { level, calmSince };
    const steps = Math.floor((now - calmSince) / cfg.escalation.quietMs);
    if (steps <= 0) return { level, calmSince };
    if (steps >= level) return { level: 0, calmSince: null };
    return { level: level - steps, calmSince: calmSince + steps * cfg.escalation.quietMs };
  }

  /** The bytes a pair's state takes: its typed arrays exactly, its sets and fixed fields estimated. */
  function bytesOf(entry: Entry): number {
    return (
      ENTRY_OVERHEAD_BYTES +
      entry.stored.byteLength +
      entry.scaled.byteLength +
      entry.distances.bytes +
      (entry.novelty?.byteLength ?? 0) +
      (entry.visited?.held ?? 0) * SET_ENTRY_BYTES +
      entry.volume.length * cfg.volume.buckets * 12
    );
  }

  function drop(key: string, entry: Entry): void {
    entries.delete(key);
    totalBytes -= entry.bytes;
  }

  /** Re-accounts the pair just observed, then drops the least recently seen pairs beyond the bounds. */
  function account(entry: Entry): void {
    const bytes = bytesOf(entry);
    totalBytes += bytes - entry.bytes;
    entry.bytes = bytes;
    while (entries.size > cfg.maxEntries || (totalBytes > cfg.maxBytes && entries.size > 1)) {
      const oldest = entries.entries().next();
      if (oldest.done) break;
      drop(oldest.value[0], oldest.value[1]);
    }
  }

  /** PRADA: the minimum distance to the growing set, the set's admission rule, the distance window. */
  function track(entry: Entry, z: Float64Array): void {
    const { dims } = entry;
    if (entry.storedCount === 0) {
      store(entry, z);
      return;
    }
    const distance = Math.sqrt(nearest(entry.stored, entry.storedCount, dims, z));
    entry.distSeen++;
    if (entry.distSeen > cfg.distances.warmup) entry.distances.push(distance);
    if (distance > entry.threshold) {
      store(entry, z);
      entry.admitted++;
      const delta = distance - entry.admittedMean;
      entry.admittedMean += delta / entry.admitted;
      entry.admittedM2 += delta * (distance - entry.admittedMean);
      if (entry.admitted > 1) {
        const sd = Math.sqrt(entry.admittedM2 / entry.admitted);
        entry.threshold = Math.max(entry.threshold, entry.admittedMean - sd);
      }
    }
  }

  function store(entry: Entry, z: Float64Array): void {
    const { dims } = entry;
    let capacity = entry.stored.length / dims;
    if (entry.storedCount === capacity && capacity < cfg.maxStored) {
      // Full at its current size: grow (up to maxStored) before the ring starts overwriting.
      capacity = Math.min(cfg.maxStored, capacity * 2);
      const grown = new Float32Array(capacity * dims);
      grown.set(entry.stored);
      entry.stored = grown;
    }
    if (entry.storedCount < capacity) {
      entry.stored.set(z, entry.storedCount * dims);
      entry.storedCount++;
      entry.storedNext = entry.storedCount % capacity;
    } else {
      entry.stored.set(z, entry.storedNext * dims);
      entry.storedNext = (entry.storedNext + 1) % capacity;
    }
  }

  function coefficientsFor(n: number): Float64Array {
    let a = coefficients.get(n);
    if (!a) {
      a = shapiroWilkCoefficients(n);
      if (coefficients.size >= COEFFICIENT_CACHE) {
        const oldest = coefficients.keys().next();
        if (!oldest.done) coefficients.delete(oldest.value);
      }
      coefficients.set(n, a);
    }
    return a;
  }

  /** Evaluates the signals; returns an alert when the state rises. */
  function check(entry: Entry, now: number): ExtractionAlert | undefined {
    if (entry.distances.count >= cfg.distances.minCount) {
      const sorted = entry.distances.sorted;
      const kept = withoutFarOut(sorted, cfg.distances.maxTrim);
      entry.trimmed = sorted.length - kept.length;
      entry.lastTest = shapiroWilkSorted(kept, coefficientsFor(kept.length));
    }
    const signals: ExtractionSignal[] = [];
    if (entry.lastTest && entry.lastTest.w < cfg.distances.threshold) signals.push('distances');
    if (entry.profile && entry.queries >= cfg.coverage.minQueries) {
      if (entry.noveltySum / entry.noveltyCount >= cfg.coverage.maxNovelty) signals.push('novelty');
      if (entry.visited && entry.visited.cells / entry.profile.totalCells >= cfg.coverage.maxFraction)
        signals.push('coverage');
    }
    entry.volumeHigh = entry.volume.some(
      (w, i) => w.count(now) > (cfg.volume.windows[i] as VolumeWindow).max,
    );
    entry.signals = signals;
    if (signals.length === 0) {
      entry.consecutive = 0;
      if (entry.level > 0 && entry.calmSince === null) entry.calmSince = now;
      return undefined;
    }
    entry.calmSince = null;
    const from = entry.level;
    const top = cfg.escalation.maxStage + 1;
    if (from === 0) {
      // Two independent signals, or one with high volume, go straight to the first throttling stage.
      entry.level = signals.length >= 2 || entry.volumeHigh ? 2 : 1;
      entry.consecutive = 0;
    } else {
      entry.consecutive++;
      if (entry.consecutive >= (entry.volumeHigh ? 1 : cfg.escalation.confirmChecks) && from < top) {
        entry.level = from + 1;
        entry.consecutive = 0;
      }
    }
    if (entry.level === from) return undefined;
    const stats = statsOf(entry, now);
    return {
      principal: entry.principal,
      model: entry.model,
      from: stateOfLevel(from),
      to: stateOfLevel(entry.level),
      stage: Math.max(0, entry.level - 1),
      signals,
      reason: reasonOf(entry, stats, from),
      stats,
    };
  }

  function reasonOf(entry: Entry, stats: ExtractionStats, from: number): string {
    const parts: string[] = [];
    const pct = (v: number) => `${(100 * v).toFixed(0)} %`;
    for (const signal of entry.signals) {
      if (signal === 'distances')
        parts.push(
          `the distances of its queries to their nearest earlier query are not normally distributed (Shapiro–Wilk W ${stats.distances.w?.toFixed(3)} < ${cfg.distances.threshold} over ${stats.distances.count})`,
        );
      else if (signal === 'novelty' && stats.novelty)
        parts.push(
          `${pct(stats.novelty.fraction)} of its last ${stats.novelty.count} queries lie outside the model's benign inputs (limit ${pct(cfg.coverage.maxNovelty)})`,
        );
      else if (signal === 'coverage' && stats.coverage)
        parts.push(
          `its queries visited ${stats.coverage.cells} of ${stats.coverage.totalCells} input cells (${pct(stats.coverage.fraction)}, limit ${pct(cfg.coverage.maxFraction)})`,
        );
    }
    if (stats.volumeHigh) parts.push('its query volume is above the limit');
    if (from > 0) parts.push(`still so after ${from === 1 ? 'the alert' : 'throttling'}`);
    return `possible model extraction by ${entry.principal} on ${entry.model}: ${parts.join('; ')}`;
  }

  function statsOf(entry: Entry, now: number): ExtractionStats {
    const { profile, visited } = entry;
    return {
      queries: entry.queries,
      stored: entry.storedCount,
      distances: {
        count: entry.distances.count,
        trimmed: entry.trimmed,
        w: entry.lastTest?.w ?? null,
        p: entry.lastTest?.p ?? null,
        threshold: cfg.distances.threshold,
      },
      novelty: profile
        ? {
            count: entry.noveltyCount,
            fraction: entry.noveltyCount ? entry.noveltySum / entry.noveltyCount : 0,
            max: cfg.coverage.maxNovelty,
          }
        : null,
      coverage:
        profile && visited
          ? {
              cells: visited.cells,
              totalCells: profile.totalCells,
              fraction: visited.cells / profile.totalCells,
              max: cfg.coverage.maxFraction,
            }
          : null,
      volume: entry.volume.map((w, i) => ({
        windowMs: w.windowMs,
        count: w.count(now),
        max: (cfg.volume.windows[i] as VolumeWindow).max,
      })),
      volumeHigh: entry.volumeHigh,
      signals: entry.signals,
    };
  }

  function observe(
    principal: string,
    model: string,
    features: ArrayLike<number>,
    time: number,
  ): ExtractionVerdict {
    if (!Number.isFinite(time)) throw new RangeError('now must be a finite time in ms');
    // Checked before the pair is created or touched, so a refused query leaves no trace.
    const dims = entries.get(keyOf(principal, model))?.dims ?? profiles.get(model)?.dims ?? features.length;
    if (dims === 0) throw new RangeError('a query needs at least one feature');
    checkVector(features, dims);
    const entry = entryFor(principal, model, dims);
    const now = Math.max(time, entry.lastSeen);
    entry.lastSeen = now;
    const calm = decayed(entry, now);
    if (calm.level !== entry.level && calm.level === 0) entry.consecutive = 0;
    entry.level = calm.level;
    entry.calmSince = calm.calmSince;

    entry.queries++;
    for (const w of entry.volume) w.add(now);

    const { profile, scaled } = entry;
    for (let j = 0; j < dims; j++) {
      let v = features[j] as number;
      if (profile) v = (v - (profile.lo[j] as number)) * (profile.invSpan[j] as number);
      scaled[j] = v > CLAMP ? CLAMP : v < -CLAMP ? -CLAMP : v;
    }
    if (profile && entry.novelty) {
      const cell = profile.cellOf(features);
      entry.visited?.add(cell);
      const novel =
        (profile.support !== null && !profile.support.has(cell)) ||
        profile.outOfRange(features, cfg.coverage.margin);
      const ring = entry.novelty;
      if (entry.noveltyCount === ring.length) entry.noveltySum -= ring[entry.noveltyNext] as number;
      else entry.noveltyCount++;
      ring[entry.noveltyNext] = novel ? 1 : 0;
      entry.noveltySum += novel ? 1 : 0;
      entry.noveltyNext = (entry.noveltyNext + 1) % ring.length;
    }
    track(entry, scaled);

    const alert = entry.queries % cfg.checkEvery === 0 ? check(entry, now) : undefined;
    account(entry);
    const verdict = verdicts[entry.level] as ExtractionVerdict;
    return alert ? { ...verdict, alert } : verdict;
  }

  return {
    observe,
    stateOf(principal, model, now) {
      const entry = entries.get(keyOf(principal, model));
      if (!entry) return undefined;
      const level = now === undefined ? entry.level : decayed(entry, Math.max(now, entry.lastSeen)).level;
      return { ...(verdicts[level] as ExtractionVerdict), stats: statsOf(entry, now ?? entry.lastSeen) };
    },
    setProfile(model, profile) {
      if (profile) profiles.set(model, compileProfile(profile));
      else profiles.delete(model);
      for (const [key, entry] of entries) if (entry.model === model) drop(key, entry);
    },
    forget(principal, model) {
      if (model !== undefined) {
        const key = keyOf(principal, model);
        const entry = entries.get(key);
        if (!entry) return 0;
        drop(key, entry);
        return 1;
      }
      let dropped = 0;
      for (const [key, entry] of entries)
        if (entry.principal === principal) {
          drop(key, entry);
          dropped++;
        }
      return dropped;
    },
    get size() {
      return entries.size;
    },
    memory() {
      return { entries: entries.size, bytes: totalBytes };
    },
  };
}
