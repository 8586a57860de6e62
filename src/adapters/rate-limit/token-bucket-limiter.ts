import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimitDecision, RateLimiter, TokenBucket } from '../../modules/gateway/index.js';

/** One fixed window of rate-limiter-flexible: `points` per `duration` whole seconds. */
export interface Window {
  points: number;
  duration: number;
}

/** The longest window: in-memory windows are timers, and a day is past any sensible refill. */
export const maxWindowSeconds = 86_400;

/**
 * A token bucket as rate-limiter-flexible's BurstyRateLimiter pattern: a sustained window (the rate, per
 * second) and, when the bucket holds more than one second's tokens, an extra window with the rest of the
 * burst, drawn on only when the sustained window is empty and refilled over the time a bucket takes to
 * fill from empty (burst / rate). Windows are whole seconds because Redis keys expire in seconds; a rate
 * below 1/s becomes one request per ceil(1 / rate) seconds. No window is longer than a day.
 */
export function windowsOf(bucket: TokenBucket): { sustained: Window; extra: Window | null } {
  const { ratePerSecond: rate } = bucket;
  if (!(Number.isFinite(rate) && rate > 0 && Number.isFinite(bucket.burst) && bucket.burst >= 1))
    throw new Error(`not a token bucket: ${JSON.stringify(bucket)}`);
  const burst = Math.floor(bucket.burst);
  const duration = rate >= 1 ? 1 : Math.min(maxWindowSeconds, Math.ceil(1 / rate));
  const points = Math.max(1, Math.min(burst, Math.round(rate * duration)));
  const extra = burst - points;
  return {
    sustained: { points, duration },
    extra:
      extra > 0
        ? { points: extra, duration: Math.min(maxWindowSeconds, Math.max(1, Math.ceil(burst / rate))) }
        : null,
  };
}

/** Builds one rate-limiter-flexible limiter (memory, or Redis with its insurance) for one window. */
export type MakeWindowLimiter = (options: Window & { keyPrefix: string }) => RateLimiterAbstract;

/** A bucket setting's two window counters: the sustained one, then the burst's extra (null without). */
export interface WindowPair<W> {
  limit: number;
  sustained: W;
  extra: W | null;
}

/**
 * The window counters of each distinct bucket setting (deployments' policies differ), built on first use
 * by `make` (given the window, the setting's id and which of the two it is) and kept.
 */
export function pairsPerBucket<W>(make: (window: Window, id: string, role: 's' | 'x') => W) {
  const pairs = new Map<string, WindowPair<W>>();
  return (bucket: TokenBucket): WindowPair<W> => {
    const id = `${bucket.ratePerSecond}:${bucket.burst}`;
    let pair = pairs.get(id);
    if (!pair) {
      const { sustained, extra } = windowsOf(bucket);
      pair = {
        limit: sustained.points + (extra?.points ?? 0),
        sustained: make(sustained, id, 's'),
        extra: extra && make(extra, id, 'x'),
      };
      pairs.set(id, pair);
    }
    return pair;
  };
}

// The library resolves with its result while points remain and rejects with it once they are spent;
// any other rejection is a store fault (a store limiter hands those to its insurance limiter first).
async function take(limiter: RateLimiterAbstract, key: string) {
  try {
    return { allowed: true, res: await limiter.consume(key) };
  } catch (err) {
    if (err instanceof RateLimiterRes) return { allowed: false, res: err };
    throw err;
  }
}

/**
 * The gateway's rate limiter over any rate-limiter-flexible backend. Limiters are built once per distinct
 * bucket setting (deployments' policies differ) and kept; each setting has its own key prefix, so a changed
 * policy starts from full buckets rather than reading counters counted under other settings.
 */
export function createTokenBucketLimiter(make: MakeWindowLimiter, keyPrefix: string): RateLimiter {
  const pairFor = pairsPerBucket((window, id, role) =>
    make({ ...window, keyPrefix: `${keyPrefix}:${id}:${role}` }),
  );

  return {
    async consume(key, bucket): Promise<RateLimitDecision> {
      const { limit, sustained, extra } = pairFor(bucket);
      // The extra window's state is read beside the consume (one round trip to a store) for Remaining.
      const [first, extraNow] = await Promise.all([take(sustained, key), extra?.get(key) ?? null]);
      if (first.allowed) {
        const extraLeft = extra ? (extraNow?.remainingPoints ?? extra.points) : 0;
        return {
          allowed: true,
          limit,
          remaining: first.res.remainingPoints + extraLeft,
          resetMs: first.res.msBeforeNext,
        };
      }
      if (!extra) return { allowed: false, limit, remaining: 0, resetMs: first.res.msBeforeNext };
      const second = await take(extra, key);
      return {
        allowed: second.allowed,
        limit,
        remaining: second.allowed ? second.res.remainingPoints : 0,
        resetMs: Math.min(first.res.msBeforeNext, second.res.msBeforeNext),
      };
    },
  };
}

/** The library's in-memory limiter under the same windows (the synchronous one is memory-token-bucket.ts). */
export function createFlexibleMemoryRateLimiter(keyPrefix = 'warden-gateway'): RateLimiter {
  return createTokenBucketLimiter((options) => new RateLimiterMemory(options), keyPrefix);
}
