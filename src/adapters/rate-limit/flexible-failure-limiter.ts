import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { AuthFailureLimiter } from '../../modules/identity/index.js';

export interface FailureLimitSettings {
  /** Failures allowed per window. */
  limit: number;
  windowSeconds: number;
  blockSeconds: number;
}

/**
 * The failure limiter over any rate-limiter-flexible backend: RateLimiterMemory for one process, and a
 * RateLimiterRedis built with the same settings (points, duration, blockDuration) when servers share it.
 */
export function createFlexibleFailureLimiter(limiter: RateLimiterAbstract): AuthFailureLimiter {
  return {
    async blockedFor(address) {
      const res = await limiter.get(address);
      return res && res.consumedPoints > limiter.points ? Math.max(1, res.msBeforeNext) : 0;
    },
    async fail(address) {
      try {
        await limiter.consume(address);
        return 0;
      } catch (err) {
        // The library rejects with its result object when the limit is passed; anything else is a store fault.
        if (err instanceof RateLimiterRes) return Math.max(1, err.msBeforeNext);
        throw err;
      }
    },
  };
}

/** The in-process limiter: counters live in this server's memory. */
export function createMemoryFailureLimiter(settings: FailureLimitSettings): AuthFailureLimiter {
  return createFlexibleFailureLimiter(
    new RateLimiterMemory({
      keyPrefix: 'warden-auth-failures',
      points: settings.limit,
      duration: settings.windowSeconds,
      blockDuration: settings.blockSeconds,
    }),
  );
}
