// The gateway's rate limiter (src/adapters/rate-limit, src/adapters/redis) against a bare in-process counter
// (a Map increment: the floor of any limiter), in the same run: consumes per second for the in-memory token
// buckets and for the same buckets in Redis (127.0.0.1:6379, or BENCH_REDIS_URL), with 64 consumes in
// flight, over 1,000 callers. Usage: npm run bench:ratelimit [-- CONSUMES ROUNDS]
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createMemoryRateLimiter } from '../src/adapters/rate-limit/memory-token-bucket.js';
import { createFlexibleMemoryRateLimiter } from '../src/adapters/rate-limit/token-bucket-limiter.js';
import { createRedisRateLimiter } from '../src/adapters/redis/redis-rate-limiter.js';
import type { RateLimiter, TokenBucket } from '../src/modules/gateway/index.js';
import { median } from './bench-utils.js';

const consumes = Number(process.argv[2] ?? 50_000) || 50_000;
const rounds = Number(process.argv[3] ?? 5) || 5;
const inFlight = 64;
const callers = Array.from({ length: 1000 }, (_, i) => `principal|production|iris|token:${i}`);
// Large enough that nothing is refused: the bench measures the admitted path, the one every request takes.
const bucket: TokenBucket = { ratePerSecond: 1_000_000, burst: 2_000_000 };

/** Counts per key, nothing else: what a limiter costs at the very least. */
function bareCounter(): RateLimiter {
  const counts = new Map<string, number>();
  return {
    async consume(key) {
      const n = (counts.get(key) ?? 0) + 1;
      counts.set(key, n);
      return { allowed: true, limit: bucket.burst, remaining: bucket.burst - n, resetMs: 1000 };
    },
  };
}

/** Consumes per second, `inFlight` at a time. */
async function run(limiter: RateLimiter): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < consumes) {
      const i = next++;
      const decision = await limiter.consume(callers[i % callers.length] as string, bucket);
      if (!decision.allowed) throw new Error('a consume was refused: the bench bucket is too small');
    }
  };
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: inFlight }, worker));
  return consumes / (Number(process.hrtime.bigint() - started) / 1e9);
}

const url = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const keyPrefix = `warden-bench-${randomBytes(4).toString('hex')}`;
const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, commandTimeout: 1000 });
let redisUp = true;
try {
  await redis.connect();
} catch {
  redisUp = false;
  console.log(`Redis does not answer at ${url}: its case is skipped`);
}

const cases: [string, () => RateLimiter][] = [
  ['bare counter (baseline)', bareCounter],
  ['memory token buckets', () => createMemoryRateLimiter()],
  ['memory (rate-limiter-flexible)', () => createFlexibleMemoryRateLimiter(keyPrefix)],
  ...(redisUp
    ? [['redis token buckets', () => createRedisRateLimiter(redis, keyPrefix)] as [string, () => RateLimiter]]
    : []),
];

console.log(
  `${consumes} consumes per case and round, ${inFlight} in flight, ${callers.length} keys, ${rounds} rounds`,
);
const rates = cases.map(() => [] as number[]);
for (const [, make] of cases) await run(make()); // warm up the JIT and the Lua script cache
for (let r = 0; r < rounds; r++)
  for (const [i, [, make]] of cases.entries()) rates[i]?.push(await run(make()));

const base = median(rates[0] ?? [1]);
console.log(
  `\n${'what'.padEnd(26)} ${'consumes/s'.padStart(12)} ${'µs each'.padStart(9)} ${'x baseline'.padStart(11)}`,
);
for (const [i, [label]] of cases.entries()) {
  const rate = median(rates[i] ?? [0]);
  console.log(
    `${label.padEnd(26)} ${Math.round(rate).toLocaleString('en').padStart(12)} ${(1e6 / rate).toFixed(2).padStart(9)} ${`${(rate / base).toFixed(3)}x`.padStart(11)}`,
  );
}

if (redisUp) {
  const keys = await redis.keys(`${keyPrefix}:*`);
  for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
  await redis.quit();
}
