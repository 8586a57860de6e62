import type { RateLimitDecision, RateLimiter } from '../../modules/gateway/index.js';
import { pairsPerBucket, type Window } from './token-bucket-limiter.js';

/** One key's count in one fixed window, and when that window ends (ms since the epoch). */
interface Count {
  value: number;
  expiresAt: number;
}

/** How often, at most, windows that have ended are swept from memory (they are ignored before that). */
const sweepEveryMs = 10_000;

/**
 * rate-limiter-flexible's RateLimiterMemory counting, done synchronously: a key's window starts with its
 * first request and lasts `duration` seconds; every consume counts (a refused one too); a consume is
 * refused once the count passes `points`. Ended windows are dropped by a sweep rather than one timer each.
 */
class FixedWindows {
  private readonly counts = new Map<string, Count>();
  private nextSweep = 0;
  readonly points: number;
  private readonly durationMs: number;

  constructor(window: Window) {
    this.points = window.points;
    this.durationMs = window.duration * 1000;
  }

  /** Counts one request; the count after it and the ms until the window ends. */
  consume(key: string, now: number): Count {
    if (now >= this.nextSweep) this.sweep(now);
    const count = this.counts.get(key);
    if (count && count.expiresAt > now) {
      count.value++;
      return count;
    }
    const fresh = { value: 1, expiresAt: now + this.durationMs };
    this.counts.set(key, fresh);
    return fresh;
  }

  /** Points still left to `key` now. */
  remaining(key: string, now: number): number {
    const count = this.counts.get(key);
    return count && count.expiresAt > now ? Math.max(this.points - count.value, 0) : this.points;
  }

  private sweep(now: number) {
    for (const [key, count] of this.counts) if (count.expiresAt <= now) this.counts.delete(key);
    this.nextSweep = now + sweepEveryMs;
  }
}

/**
 * Counters in this process's memory: one server's budget. The same windows and decisions as
 * createTokenBucketLimiter over RateLimiterMemory (the sustained window first, the extra burst window
 * only once it is spent), answered without a promise: the rate-limit guard then costs no microtask turns.
 */
export function createMemoryRateLimiter(): RateLimiter {
  const pairFor = pairsPerBucket((window) => new FixedWindows(window));

  return {
    consume(key, bucket): RateLimitDecision {
      const { limit, sustained, extra } = pairFor(bucket);
      const now = Date.now();
      const first = sustained.consume(key, now);
      const firstResetMs = first.expiresAt - now;
      if (first.value <= sustained.points) {
        return {
          allowed: true,
          limit,
          remaining: sustained.points - first.value + (extra ? extra.remaining(key, now) : 0),
          resetMs: firstResetMs,
        };
      }
      if (!extra) return { allowed: false, limit, remaining: 0, resetMs: firstResetMs };
      const second = extra.consume(key, now);
      const allowed = second.value <= extra.points;
      return {
        allowed,
        limit,
        remaining: allowed ? extra.points - second.value : 0,
        resetMs: Math.min(firstResetMs, second.expiresAt - now),
      };
    },
  };
}
