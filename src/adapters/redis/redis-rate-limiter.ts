import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { RateLimiter } from '../../modules/gateway/index.js';
import { createTokenBucketLimiter } from '../rate-limit/token-bucket-limiter.js';

/**
 * The gateway's token buckets in Redis, so that every replica draws on one budget (atomic Lua increments).
 * While Redis cannot answer (not connected, or a command timing out) each window falls back to an
 * in-memory insurance limiter with the same settings: limits still hold, per server, until Redis is back.
 */
export function createRedisRateLimiter(client: Redis, keyPrefix: string): RateLimiter {
  return createTokenBucketLimiter(
    (window) =>
      new RateLimiterRedis({
        ...window,
        storeClient: client,
        // Straight to the insurance limiter while disconnected, rather than waiting on a dead socket.
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory(window),
      }),
    keyPrefix,
  );
}
