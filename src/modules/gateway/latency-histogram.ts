/**
 * Fixed, log-spaced latency buckets for the serving statistics: each bound is 2^(1/4) ≈ 1.19 times the
 * one below, from 0.05 ms to about 62 s (82 bounds, then one bucket for anything slower). A percentile is
 * answered with the upper bound of the bucket holding it, so the true value lies in
 * (answer / 1.19, answer]: never under-reported, at most 19 % over.
 */
export const latencyRatio = 2 ** 0.25;
const lowestMs = 0.05;
const boundCount = 82;

/** Each bucket's upper bound in milliseconds; the last bucket (index `latencyBucketCount - 1`) has none. */
export const latencyBoundsMs: readonly number[] = Array.from(
  { length: boundCount },
  (_, i) => lowestMs * latencyRatio ** i,
);
const bounds = Float64Array.from(latencyBoundsMs);

/** The buckets one histogram holds: the bounded ones and the overflow. */
export const latencyBucketCount = boundCount + 1;

/**
 * The bucket a duration falls in: the first whose upper bound is at least `ms` (the overflow bucket past
 * the last). A binary search over the bounds: seven comparisons, exact at a bound, no logarithm.
 */
export function latencyBucketOf(ms: number): number {
  if (!(ms > lowestMs)) return 0;
  let lo = 1;
  let hi = boundCount;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((bounds[mid] as number) < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The q-quantile (0 < q ≤ 1) of `count` durations held in `counts` (one histogram, `latencyBucketCount`
 * long), as the upper bound of its bucket in milliseconds (rounded up to the microsecond); the overflow bucket
 * answers its lower bound (the durations there are at least that). Null when `count` is 0.
 */
export function latencyQuantile(counts: ArrayLike<number>, count: number, q: number): number | null {
  if (count === 0) return null;
  const rank = Math.max(1, Math.ceil(q * count));
  let seen = 0;
  for (let i = 0; i < latencyBucketCount; i++) {
    seen += counts[i] ?? 0;
    if (seen >= rank) return roundUp(latencyBoundsMs[Math.min(i, boundCount - 1)] as number);
  }
  return roundUp(latencyBoundsMs[boundCount - 1] as number);
}

const roundUp = (ms: number) => Math.ceil(ms * 1000) / 1000;
