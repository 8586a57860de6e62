import { latencyBucketCount as buckets, latencyBucketOf, latencyQuantile } from './latency-histogram.js';

/** The minutes the rollup keeps: one ring slot each, the newest being the minute in progress. */
export const statsMinutes = 60;
/** Distinct refusal reasons told apart; the last slot counts every reason beyond them as `_other`. */
const reasonSlots = 32;
const otherReason = '_other';
/** Model-and-digest series kept at once (a safety bound: series idle for an hour are let go first). */
const maxSeries = 512;
const minuteMs = 60_000;

/** What one window of answers adds up to. */
export interface StatsFigures {
  requests: number;
  /** Answers by status class (an answer below 400 counts as 2xx). */
  status: { '2xx': number; '4xx': number; '5xx': number };
  /** Answers of 400 and above by the error code they carried (the metrics' `reason` label). */
  refusals: Record<string, number>;
  /** Over the answers that were not 4xx refusals; null when there were none. See latency-histogram.ts. */
  latencyMs: { p50: number; p90: number; p99: number } | null;
}

export interface ModelStats {
  model: string;
  /** Each digest that answered in the window (null: refused before a version was chosen), with its totals. */
  digests: { digest: string | null; totals: StatsFigures }[];
  /** One entry per minute of the window, oldest first, zeros included; the last is still running. */
  minutes: (StatsFigures & { at: string })[];
  totals: StatsFigures;
}

export interface ServingStatsWindow {
  /** The start of the oldest minute. */
  from: string;
  /** When the figures were read. */
  to: string;
  minutes: number;
  models: ModelStats[];
}

/** One model-and-digest's ring of per-minute counters, preallocated so a request only increments. */
class Series {
  readonly minute = new Int32Array(statsMinutes).fill(-1);
  readonly status = new Uint32Array(statsMinutes * 3);
  readonly refusals = new Uint32Array(statsMinutes * reasonSlots);
  readonly latency = new Uint32Array(statsMinutes * buckets);
  last = -1;

  /** The ring slot of `minute`, emptied first when it still holds an older minute. */
  slot(minute: number): number {
    const s = minute % statsMinutes;
    if (this.minute[s] !== minute) {
      this.minute[s] = minute;
      this.status.fill(0, s * 3, s * 3 + 3);
      this.refusals.fill(0, s * reasonSlots, (s + 1) * reasonSlots);
      this.latency.fill(0, s * buckets, (s + 1) * buckets);
    }
    if (minute > this.last) this.last = minute;
    return s;
  }
}

/** Sums of slots, read side only. */
class Tally {
  readonly status = new Float64Array(3);
  readonly refusals = new Float64Array(reasonSlots);
  readonly latency = new Float64Array(buckets);

  add(series: Series, s: number): void {
    for (let i = 0; i < 3; i++) (this.status[i] as number) += series.status[s * 3 + i] as number;
    for (let i = 0; i < reasonSlots; i++)
      (this.refusals[i] as number) += series.refusals[s * reasonSlots + i] as number;
    for (let i = 0; i < buckets; i++)
      (this.latency[i] as number) += series.latency[s * buckets + i] as number;
  }

  merge(other: Tally): void {
    for (let i = 0; i < 3; i++) (this.status[i] as number) += other.status[i] as number;
    for (let i = 0; i < reasonSlots; i++) (this.refusals[i] as number) += other.refusals[i] as number;
    for (let i = 0; i < buckets; i++) (this.latency[i] as number) += other.latency[i] as number;
  }

  figures(reasonName: (slot: number) => string): StatsFigures {
    const [ok = 0, client = 0, server = 0] = this.status;
    const refusals: Record<string, number> = {};
    this.refusals.forEach((n, i) => {
      if (n > 0) refusals[reasonName(i)] = n;
    });
    const timed = this.latency.reduce((a, b) => a + b, 0);
    const q = (p: number) => latencyQuantile(this.latency, timed, p) as number;
    return {
      requests: ok + client + server,
      status: { '2xx': ok, '4xx': client, '5xx': server },
      refusals,
      latencyMs: timed === 0 ? null : { p50: q(0.5), p90: q(0.9), p99: q(0.99) },
    };
  }
}

export interface ServingStatsOptions {
  /** Milliseconds since the epoch (default Date.now): only the minute is taken from it. */
  now?: () => number;
  /** How often the running clock reads `now` (default 1000 ms). */
  tickMs?: number;
}

/**
 * This process's serving statistics over the last hour, in memory: for each model and digest, a ring of
 * 60 one-minute buckets with answers by status class, refusals by reason and a latency histogram. `record`
 * is on the hot path of every inference answer: two map lookups, a binary search over the latency bounds
 * and a few integer increments into arrays allocated when the series first appears; no object and no clock
 * read per request. The current minute comes from a coarse clock, read once a second while started (and
 * at every `read`), so an answer in the first second of a minute may count in the one before.
 */
export function createServingStats(options: ServingStatsOptions = {}) {
  const now = options.now ?? (() => Date.now());
  let current = Math.floor(now() / minuteMs);
  let timer: ReturnType<typeof setInterval> | null = null;
  const tick = () => {
    current = Math.floor(now() / minuteMs);
  };
  const byModel = new Map<string, Map<string, Series>>();
  let seriesCount = 0;
  const reasonIndex = new Map<string, number>();
  const reasons: string[] = [];

  const reasonSlot = (reason: string): number => {
    const known = reasonIndex.get(reason);
    if (known !== undefined) return known;
    if (reasons.length >= reasonSlots - 1) return reasonSlots - 1;
    reasons.push(reason);
    reasonIndex.set(reason, reasons.length - 1);
    return reasons.length - 1;
  };
  const reasonName = (slot: number) => reasons[slot] ?? otherReason;

  /** Lets go of the series that have had no answer for the whole window. */
  function prune(minute: number): void {
    for (const [model, digests] of byModel) {
      for (const [digest, series] of digests)
        if (series.last <= minute - statsMinutes) {
          digests.delete(digest);
          seriesCount--;
        }
      if (digests.size === 0) byModel.delete(model);
    }
  }

  function newSeries(model: string, digest: string, minute: number): Series | null {
    prune(minute);
    if (seriesCount >= maxSeries) return null;
    const series = new Series();
    const digests = byModel.get(model) ?? new Map<string, Series>();
    byModel.set(model, digests);
    digests.set(digest, series);
    seriesCount++;
    return series;
  }

  return {
    /** Starts the coarse clock (idempotent); it never keeps the process alive. */
    start(): void {
      if (timer) return;
      tick();
      timer = setInterval(tick, options.tickMs ?? 1000);
      timer.unref();
    },
    stop(): void {
      if (timer) clearInterval(timer);
      timer = null;
    },
    /** Reads the clock now (what the running clock does once a second). */
    tick,

    /**
     * Counts one answered inference request: the model label and digest the metrics use, the HTTP status,
     * the refusal reason ('' for a success) and the time to answer in milliseconds.
     */
    record(model: string, digest: string, status: number, reason: string, ms: number): void {
      const minute = current;
      const series = byModel.get(model)?.get(digest) ?? newSeries(model, digest, minute);
      if (!series) return;
      const s = series.slot(minute);
      const cls = status < 400 ? 0 : status < 500 ? 1 : 2;
      (series.status[s * 3 + cls] as number)++;
      if (reason !== '') (series.refusals[s * reasonSlots + reasonSlot(reason)] as number)++;
      if (cls !== 1) (series.latency[s * buckets + latencyBucketOf(ms)] as number)++;
    },

    /** The last `minutes` minutes (1 to 60) of each model named, in the order named. */
    read(models: readonly string[], minutes: number): ServingStatsWindow {
      const nowMs = now();
      current = Math.floor(nowMs / minuteMs);
      const first = current - Math.min(Math.max(1, minutes), statsMinutes) + 1;
      const at = (m: number) => new Date(m * minuteMs).toISOString();
      const out: ModelStats[] = models.map((model) => {
        const series = [...(byModel.get(model) ?? new Map<string, Series>())].filter(
          ([, one]) => one.last >= first,
        );
        const perDigest = series.map(() => new Tally());
        const total = new Tally();
        const perMinute = [];
        for (let m = first; m <= current; m++) {
          const minute = new Tally();
          series.forEach(([, one], i) => {
            const s = m % statsMinutes;
            if (one.minute[s] !== m) return;
            minute.add(one, s);
            perDigest[i]?.add(one, s);
          });
          total.merge(minute);
          perMinute.push({ at: at(m), ...minute.figures(reasonName) });
        }
        return {
          model,
          digests: series.map(([digest], i) => ({
            digest: digest === '' ? null : digest,
            totals: (perDigest[i] as Tally).figures(reasonName),
          })),
          minutes: perMinute,
          totals: total.figures(reasonName),
        };
      });
      return {
        from: at(first),
        to: new Date(nowMs).toISOString(),
        minutes: current - first + 1,
        models: out,
      };
    },
  };
}

export type ServingStats = ReturnType<typeof createServingStats>;
