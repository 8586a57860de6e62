import type { TokenBucket } from './guard-policy.js';

/** What one consume from a bucket decided, in the terms the RateLimit-* response fields report. */
export interface RateLimitDecision {
  allowed: boolean;
  /** The bucket's size: the most requests one key may send at once. */
  limit: number;
  /** Requests the key may still send now (0 when refused). */
  remaining: number;
  /** Milliseconds until the bucket next refills; when refused, until a request would be admitted. */
  resetMs: number;
}

/**
 * Token buckets by key. Each call takes one token from the bucket of `key` under `bucket`'s settings;
 * adapters keep the counters in process (answered synchronously) or in a store that replicas share.
 */
export interface RateLimiter {
  consume(key: string, bucket: TokenBucket): RateLimitDecision | Promise<RateLimitDecision>;
}
