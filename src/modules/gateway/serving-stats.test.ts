import { describe, expect, it } from 'vitest';
import {
  latencyBoundsMs,
  latencyBucketCount,
  latencyBucketOf,
  latencyQuantile,
  latencyRatio,
} from './latency-histogram.js';
import { createServingStats } from './serving-stats.js';

const minute = 60_000;
/** A clock the test moves: 10:00:30 UTC on a fixed day, then wherever `at` is set. */
function clock() {
  const t = { ms: Date.parse('2030-01-02T10:00:30.000Z') };
  return { t, now: () => t.ms };
}

describe('latency histogram', () => {
  it('puts each duration in the bucket whose bounds hold it, bounds included', () => {
    for (const ms of [0, 0.01, 0.05, 0.0501, 0.3, 1, 1.5, 7.3, 42, 999, 12_345, 61_000]) {
      const i = latencyBucketOf(ms);
      const upper = latencyBoundsMs[i] as number;
      expect(ms).toBeLessThanOrEqual(upper);
      if (i > 0) expect(ms).toBeGreaterThan(latencyBoundsMs[i - 1] as number);
    }
    // Exactly on a bound: that bucket, not the next.
    expect(latencyBoundsMs.map(latencyBucketOf)).toEqual(latencyBoundsMs.map((_, i) => i));
    expect(latencyBucketOf(10 ** 6)).toBe(latencyBucketCount - 1);
    expect(latencyBucketOf(Number.NaN)).toBe(0);
  });

  it('answers percentiles within one bucket: true value in (answer / ratio, answer]', () => {
    const samples = Array.from({ length: 1000 }, (_, i) => 0.2 + (i * i) / 2000);
    const counts = new Array(latencyBucketCount).fill(0);
    for (const ms of samples) counts[latencyBucketOf(ms)]++;
    const sorted = [...samples].sort((a, b) => a - b);
    for (const q of [0.5, 0.9, 0.99]) {
      const truth = sorted[Math.ceil(q * sorted.length) - 1] as number;
      const answer = latencyQuantile(counts, samples.length, q) as number;
      expect(answer).toBeGreaterThanOrEqual(truth);
      expect(answer / latencyRatio).toBeLessThan(truth);
    }
    expect(latencyQuantile(counts, 0, 0.5)).toBeNull();
  });
});

describe('serving stats rollup', () => {
  it('counts answers per minute by status class, reason and latency', () => {
    const { now } = clock();
    const stats = createServingStats({ now });
    stats.record('iris', 'sha256:aa', 200, '', 2);
    stats.record('iris', 'sha256:aa', 200, '', 4);
    stats.record('iris', 'sha256:bb', 200, '', 30);
    stats.record('iris', '', 429, 'gateway_rate_limited', 0.1);
    stats.record('iris', '', 401, 'unauthenticated', 0.1);
    stats.record('iris', 'sha256:aa', 502, 'gateway_upstream_failed', 900);
    const w = stats.read(['iris', 'absent'], 60);
    expect(w).toMatchObject({
      from: '2030-01-02T09:01:00.000Z',
      to: '2030-01-02T10:00:30.000Z',
      minutes: 60,
    });
    const [iris, absent] = w.models;
    expect(iris?.minutes).toHaveLength(60);
    expect(iris?.minutes.at(-1)?.at).toBe('2030-01-02T10:00:00.000Z');
    expect(iris?.minutes.slice(0, 59).every((m) => m.requests === 0 && m.latencyMs === null)).toBe(true);
    expect(iris?.totals).toEqual({
      requests: 6,
      status: { '2xx': 3, '4xx': 2, '5xx': 1 },
      refusals: { gateway_rate_limited: 1, unauthenticated: 1, gateway_upstream_failed: 1 },
      // Over the 2xx and 5xx answers: 2, 4, 30, 900 ms; 4xx refusals are not timed.
      latencyMs: { p50: expect.any(Number), p90: expect.any(Number), p99: expect.any(Number) },
    });
    const lat = iris?.totals.latencyMs as { p50: number; p90: number; p99: number };
    expect(lat.p50).toBeGreaterThanOrEqual(4);
    expect(lat.p50 / latencyRatio).toBeLessThan(4);
    expect(lat.p99).toBeGreaterThanOrEqual(900);
    expect(lat.p99 / latencyRatio).toBeLessThan(900);
    expect(iris?.digests.map((d) => [d.digest, d.totals.requests])).toEqual([
      ['sha256:aa', 3],
      ['sha256:bb', 1],
      [null, 2],
    ]);
    expect(absent).toEqual(expect.objectContaining({ model: 'absent', digests: [] }));
    expect(absent?.totals.requests).toBe(0);
  });

  it('rolls minutes: older answers move back, and leave the window after an hour', () => {
    const { t, now } = clock();
    const stats = createServingStats({ now });
    stats.record('iris', 'sha256:aa', 200, '', 1);
    t.ms += minute;
    stats.tick();
    stats.record('iris', 'sha256:aa', 200, '', 1);
    stats.record('iris', 'sha256:aa', 200, '', 1);
    t.ms += 2 * minute;
    let w = stats.read(['iris'], 60);
    expect(w.models[0]?.minutes.slice(-4).map((m) => m.requests)).toEqual([1, 2, 0, 0]);
    expect(w.models[0]?.totals.requests).toBe(3);
    // A shorter window: the last three minutes hold two of them.
    w = stats.read(['iris'], 3);
    expect(w.minutes).toBe(3);
    expect(w.models[0]?.minutes.map((m) => m.requests)).toEqual([2, 0, 0]);
    // 59 minutes after the first answer it is still in the hour; at 60 its slot is the current minute's.
    t.ms = Date.parse('2030-01-02T10:59:59.999Z');
    expect(stats.read(['iris'], 60).models[0]?.totals.requests).toBe(3);
    t.ms = Date.parse('2030-01-02T11:00:00.000Z');
    // Read at 11:00: the coarse clock is there too.
    expect(stats.read(['iris'], 60).models[0]?.totals.requests).toBe(2);
    // The ring slot of 10:00 is reused by 11:00 and starts from zero.
    stats.record('iris', 'sha256:aa', 500, 'gateway_inference_failed', 5);
    w = stats.read(['iris'], 60);
    expect(w.models[0]?.minutes.at(-1)).toMatchObject({
      at: '2030-01-02T11:00:00.000Z',
      requests: 1,
      status: { '2xx': 0, '4xx': 0, '5xx': 1 },
    });
    t.ms += 2 * 60 * minute;
    expect(stats.read(['iris'], 60).models[0]).toMatchObject({ digests: [], totals: { requests: 0 } });
  });

  it('takes the minute from a coarse clock that runs once started, not from each request', async () => {
    const { t, now } = clock();
    let reads = 0;
    const stats = createServingStats({
      now: () => {
        reads++;
        return now();
      },
      tickMs: 5,
    });
    reads = 0;
    for (let i = 0; i < 100; i++) stats.record('iris', 'sha256:aa', 200, '', 1);
    expect(reads).toBe(0);
    // Not started: a minute later the answers still count in the minute the clock last read.
    t.ms += minute;
    stats.record('iris', 'sha256:aa', 200, '', 1);
    stats.start();
    stats.start();
    await new Promise((resolve) => setTimeout(resolve, 30));
    stats.record('iris', 'sha256:aa', 200, '', 1);
    stats.stop();
    expect(stats.read(['iris'], 2).models[0]?.minutes.map((m) => m.requests)).toEqual([101, 1]);
  });

  it('tells 31 reasons apart and counts the rest as _other', () => {
    const stats = createServingStats({ now: clock().now });
    for (let i = 0; i < 40; i++) stats.record('iris', '', 400, `code_${i}`, 1);
    const refusals = stats.read(['iris'], 1).models[0]?.totals.refusals ?? {};
    expect(Object.keys(refusals)).toHaveLength(32);
    expect(refusals._other).toBe(9);
    expect(refusals.code_0).toBe(1);
  });

  it('lets series idle for an hour go when new ones come', () => {
    const { t, now } = clock();
    const stats = createServingStats({ now });
    stats.record('old', 'sha256:aa', 200, '', 1);
    t.ms += 61 * minute;
    stats.tick();
    stats.record('new', 'sha256:bb', 200, '', 1);
    t.ms -= 61 * minute;
    // Gone, though the clock went back to its minute.
    expect(stats.read(['old'], 60).models[0]?.digests).toEqual([]);
  });
});
