import { describe, expect, it } from 'vitest';
import type { InputProfile } from './profile.js';
import { createExtractionWatch } from './watch.js';
import {
  DEFAULT_EXTRACTION_CONFIG,
  type ExtractionVerdict,
  type ExtractionWatchConfig,
  resolveExtractionConfig,
} from './watch-config.js';

/**
 * A 2-feature model whose benign inputs all lie in the grid's first cell (x, y < 0.25): queries there are
 * familiar, queries elsewhere novel. The distance test is switched off (δ tiny) so novelty alone drives the
 * state, in steps of 10 queries (checkEvery) — the state machine is what these tests look at.
 */
const square: InputProfile = { lo: [0, 0], hi: [1, 1], bins: 4, grid: [0, 1], support: [0] };
const config: ExtractionWatchConfig = {
  profiles: { m: square },
  checkEvery: 10,
  distances: { threshold: 1e-9 },
  coverage: { window: 20, minQueries: 20, maxNovelty: 0.5, maxFraction: 0.99 },
  escalation: { confirmChecks: 2, maxStage: 3, factor: 0.5, quietMs: 60_000 },
  volume: { windows: [{ ms: 60_000, max: 1_000 }] },
};

/** mulberry32: deterministic test input. */
function rng(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const u = rng(7);
const familiar = () => [0.2 * u(), 0.2 * u()];
const novel = () => [0.3 + 0.7 * u(), 0.3 + 0.7 * u()];

function send(
  watch: ReturnType<typeof createExtractionWatch>,
  n: number,
  point: () => number[],
  clock: { t: number },
  stepMs = 1_000,
  principal = 'alice',
): ExtractionVerdict[] {
  const out: ExtractionVerdict[] = [];
  for (let i = 0; i < n; i++) {
    clock.t += stepMs;
    out.push(watch.observe(principal, 'm', point(), clock.t));
  }
  return out;
}

describe('extraction watch: states', () => {
  it('leaves familiar traffic normal, at full rate, without alerts', () => {
    const watch = createExtractionWatch(config);
    const verdicts = send(watch, 500, familiar, { t: 0 });
    expect(verdicts.every((v) => v.state === 'normal' && v.rateFactor === 1 && !v.alert)).toBe(true);
    const snapshot = watch.stateOf('alice', 'm');
    expect(snapshot?.stats.queries).toBe(500);
    expect(snapshot?.stats.novelty?.fraction).toBe(0);
    expect(snapshot?.stats.signals).toEqual([]);
  });

  it('alerts (suspect), then throttles stage by stage while the signal persists, halving the rate', () => {
    const watch = createExtractionWatch(config);
    const clock = { t: 0 };
    send(watch, 100, familiar, clock);
    const verdicts = send(watch, 200, novel, clock);
    const alerts = verdicts.flatMap((v, i) => (v.alert ? [{ at: i + 1, ...v.alert }] : []));
    expect(alerts.map((a) => [a.at, a.to, a.stage])).toEqual([
      [10, 'suspect', 0], // novelty 10/20 = 0.5 at the first check
      [30, 'throttled', 1], // two more firing checks
      [50, 'throttled', 2],
      [70, 'throttled', 3], // maxStage: no alert after this
    ]);
    expect(alerts[0]).toMatchObject({ principal: 'alice', model: 'm', from: 'normal', signals: ['novelty'] });
    expect(alerts[0]?.reason).toMatch(
      /possible model extraction by alice on m: 50 % of its last 20 queries lie outside/,
    );
    expect(alerts[0]?.stats.novelty).toEqual({ count: 20, fraction: 0.5, max: 0.5 });
    expect(alerts[1]?.reason).toMatch(/still so after the alert/);
    const last = verdicts.at(-1);
    expect(last).toEqual({ state: 'throttled', stage: 3, rateFactor: 0.125 });
  });

  it('goes straight to throttling on two signals at once, or on one with high volume', () => {
    const both = createExtractionWatch({ ...config, coverage: { ...config.coverage, maxFraction: 0.4 } });
    const first = send(both, 40, novel, { t: 0 }).find((v) => v.alert);
    expect(first?.alert?.from).toBe('normal');
    expect(first?.alert?.to).toBe('throttled');
    expect(first?.alert?.signals).toEqual(['novelty', 'coverage']);

    const busy = createExtractionWatch({ ...config, volume: { windows: [{ ms: 60_000, max: 50 }] } });
    const clock = { t: 0 };
    send(busy, 60, familiar, clock, 100); // 60 queries in 6 s: volume high, but nothing else
    expect(busy.stateOf('alice', 'm')?.state).toBe('normal');
    expect(busy.stateOf('alice', 'm')?.stats.volumeHigh).toBe(true);
    const alerts = send(busy, 40, novel, clock, 100).flatMap((v) => (v.alert ? [v.alert] : []));
    expect(alerts.map((a) => [a.to, a.stage])).toEqual([
      ['throttled', 1],
      ['throttled', 2], // high volume: every firing check is a stage
      ['throttled', 3],
    ]);
    expect(alerts[0]?.reason).toMatch(/query volume is above the limit/);
  });

  it('recovers one step per quiet period once the traffic is benign again, and stateOf(now) shows it', () => {
    const watch = createExtractionWatch(config);
    const clock = { t: 0 };
    send(watch, 200, novel, clock);
    expect(watch.stateOf('alice', 'm')?.stage).toBe(3);
    // Benign again: the novelty window has flushed at the check after 20 queries, which starts the quiet
    // period.
    send(watch, 19, familiar, clock);
    expect(watch.stateOf('alice', 'm')?.stats.signals).toEqual(['novelty']);
    send(watch, 1, familiar, clock);
    expect(watch.stateOf('alice', 'm')?.stats.signals).toEqual([]);
    const calmFrom = clock.t;
    send(watch, 10, familiar, clock);
    expect(watch.stateOf('alice', 'm')?.state).toBe('throttled');
    expect(watch.stateOf('alice', 'm', calmFrom + 60_000)?.stage).toBe(2);
    expect(watch.stateOf('alice', 'm', calmFrom + 120_000)?.stage).toBe(1);
    expect(watch.stateOf('alice', 'm', calmFrom + 180_000)).toMatchObject({
      state: 'suspect',
      rateFactor: 1,
    });
    expect(watch.stateOf('alice', 'm', calmFrom + 240_000)?.state).toBe('normal');
    // stateOf changed nothing: as of its last query, alice is still throttled.
    expect(watch.stateOf('alice', 'm')?.stage).toBe(3);
    const later = watch.observe('alice', 'm', familiar(), calmFrom + 240_000);
    expect(later).toEqual({ state: 'normal', stage: 0, rateFactor: 1 });
  });

  it('does not decay while the signal keeps firing, however slow the queries, nor while idle', () => {
    const watch = createExtractionWatch(config);
    const clock = { t: 0 };
    send(watch, 100, novel, clock, 60_000); // a query a minute: ten quiet periods between two checks
    expect(watch.stateOf('alice', 'm')?.stage).toBe(3);
    expect(watch.stateOf('alice', 'm', clock.t + 86_400_000)?.stage).toBe(3);
  });

  it('keeps pairs apart: another principal, or another model, starts normal', () => {
    const watch = createExtractionWatch({ ...config, profiles: { m: square, other: square } });
    const clock = { t: 0 };
    send(watch, 100, novel, clock);
    expect(watch.stateOf('alice', 'm')?.state).toBe('throttled');
    expect(send(watch, 5, novel, clock, 1_000, 'bob').at(-1)?.state).toBe('normal');
    expect(watch.observe('alice', 'other', novel(), clock.t).state).toBe('normal');
    expect(watch.stateOf('carol', 'm')).toBeUndefined();
  });
});

describe('extraction watch: distances (PRADA)', () => {
  it('fires on a stream whose nearest-neighbour distances are far from normal', () => {
    // No profile: distances and volume only. A walk along a line in steps of 1 or 10 (bimodal distances).
    const watch = createExtractionWatch({ checkEvery: 10, distances: { warmup: 20, minCount: 50 } });
    const r = rng(3);
    let x = 0;
    let first: ExtractionVerdict | undefined;
    for (let i = 0; i < 200 && !first; i++) {
      x += r() < 0.5 ? 1 : 10;
      const v = watch.observe('walker', 'm', [x, 0, 0], i * 1_000);
      if (v.alert) first = v;
    }
    expect(first?.alert?.signals).toEqual(['distances']);
    expect(first?.alert?.stats.distances.w).toBeLessThan(0.85);
    expect(first?.alert?.stats.novelty).toBeNull();
    expect(first?.alert?.stats.coverage).toBeNull();
    // The first query has no distance, the next 20 are the warm-up, 50 more fill minCount (query 71): the
    // next check is at query 80.
    expect(first?.alert?.stats.queries).toBe(80);
  });

  it('leaves normally distributed distances alone', () => {
    // Steps drawn from a normal distribution (mean 5, sd 1): the nearest earlier point is the last one.
    const watch = createExtractionWatch({ checkEvery: 10, distances: { warmup: 0, minCount: 50 } });
    const r = rng(11);
    let x = 0;
    for (let i = 0; i < 1_000; i++) {
      const z = Math.sqrt(-2 * Math.log(r() || 1e-12)) * Math.cos(2 * Math.PI * r());
      x += 5 + z;
      expect(watch.observe('walker', 'm', [x], i * 1_000).alert).toBeUndefined();
    }
    // The growing set admits only points farther than T (mean − sd of the admitted distances), so the
    // nearest stored point is not always the last one: W is high, not 1.
    expect(watch.stateOf('walker', 'm')?.stats.distances.w).toBeGreaterThan(0.9);
  });

  it('calls a client that repeats one query normal (all distances 0: no evidence either way)', () => {
    const watch = createExtractionWatch({ checkEvery: 10, distances: { warmup: 0, minCount: 20 } });
    for (let i = 0; i < 500; i++)
      expect(watch.observe('probe', 'm', [1, 2, 3], i * 1_000).state).toBe('normal');
    expect(watch.stateOf('probe', 'm')?.stats).toMatchObject({ stored: 1, distances: { w: 1 } });
  });

  it('leaves a few far-out distances out of the test, but not many', () => {
    const cfg = { checkEvery: 10, distances: { warmup: 0, minCount: 100, window: 100, maxTrim: 0.02 } };
    const run = (jumps: number) => {
      const watch = createExtractionWatch(cfg);
      const r = rng(5);
      let x = 0;
      // 110 queries: the check at 110 tests the distances of queries 10–109, with the jumps at 50….
      for (let i = 0; i < 110; i++) {
        const z = Math.sqrt(-2 * Math.log(r() || 1e-12)) * Math.cos(2 * Math.PI * r());
        x += i >= 50 && i < 50 + jumps ? 1_000 : 5 + z;
        watch.observe('p', 'm', [x], i);
      }
      return watch.stateOf('p', 'm')?.stats.distances;
    };
    expect(run(2)).toMatchObject({ count: 100, trimmed: 2 });
    expect(run(2)?.w).toBeGreaterThan(0.85);
    expect(run(5)).toMatchObject({ count: 100, trimmed: 0 });
    expect(run(5)?.w).toBeLessThan(0.5);
  });
});

describe('extraction watch: bounds and inputs', () => {
  it('keeps at most maxStored queries per pair and maxEntries pairs, least recently seen dropped', () => {
    const watch = createExtractionWatch({ maxStored: 50, maxEntries: 3 });
    // Ever longer steps: each query is farther from the others than T, so each one is admitted.
    for (let i = 0; i < 2_000; i++) watch.observe('a', 'm', [i * i, 0], i);
    expect(watch.stateOf('a', 'm')?.stats.stored).toBe(50);
    watch.observe('b', 'm', [1, 2], 1);
    watch.observe('c', 'm', [1, 2], 2);
    watch.observe('a', 'm', [1, 2], 3); // a is the most recent again
    watch.observe('d', 'm', [1, 2], 4); // drops b, the least recent
    expect(watch.size).toBe(3);
    expect(watch.stateOf('b', 'm')).toBeUndefined();
    expect(watch.stateOf('a', 'm')?.stats.queries).toBe(2_001);
  });

  it('holds memory to its bounds under a flood of principals', () => {
    const watch = createExtractionWatch({ maxEntries: 100, profiles: { m: square } });
    const r = rng(2);
    for (let i = 0; i < 10_000; i++) watch.observe(`p${i % 1_000}`, 'm', [r(), r()], i);
    const { entries, bytes } = watch.memory();
    expect(entries).toBe(100);
    // Each pair: 10 queries, so its arrays are at their first size (64 slots).
    expect(bytes).toBeLessThan(100 * 3 * 1024);
    // A pair at its bounds: 1,000 stored × 2 features × 4 B, 500 distances × 2 × 8 B, 16 cells.
    const one = createExtractionWatch({ profiles: { m: square } });
    for (let i = 0; i < 2_000; i++) one.observe('p', 'm', [i * i, r()], i);
    expect(one.stateOf('p', 'm')?.stats.stored).toBe(1_000);
    expect(one.memory().bytes).toBeLessThan(18 * 1024);
  });

  it('drops the least recently seen pairs beyond maxBytes', () => {
    const watch = createExtractionWatch({ maxBytes: 64 * 1024 });
    for (let i = 0; i < 2_000; i++) watch.observe(`p${i % 40}`, 'm', [i * i, 0, 0, 0], i);
    const { entries, bytes } = watch.memory();
    expect(bytes).toBeLessThanOrEqual(64 * 1024);
    expect(entries).toBeLessThan(40);
    expect(watch.stateOf('p39', 'm')).toBeDefined(); // the most recent stays
    watch.forget('p39');
    expect(watch.memory().bytes).toBeLessThan(bytes);
  });

  it('refuses a query of the wrong shape without tracking it', () => {
    const watch = createExtractionWatch({ profiles: { m: square } });
    expect(() => watch.observe('a', 'm', [1, 2, 3], 0)).toThrow(RangeError);
    expect(() => watch.observe('a', 'm', [1, Number.NaN], 0)).toThrow(RangeError);
    expect(() => watch.observe('a', 'free', [], 0)).toThrow(RangeError);
    expect(() => watch.observe('a', 'm', [1, 2], Number.NaN)).toThrow(RangeError);
    expect(watch.size).toBe(0);
    watch.observe('a', 'free', [1, 2, 3], 0); // no profile: the first query fixes the width
    expect(() => watch.observe('a', 'free', [1, 2], 1)).toThrow(/expected 3 features/);
  });

  it('takes time going backwards as no time passing', () => {
    const watch = createExtractionWatch({ ...config, volume: { windows: [{ ms: 1_000, max: 5 }] } });
    for (let i = 0; i < 10; i++) watch.observe('a', 'm', familiar(), 10_000 - i * 100);
    expect(watch.stateOf('a', 'm')?.stats.volume).toEqual([{ windowMs: 1_000, count: 10, max: 5 }]);
  });

  it('drops the pairs of a model whose profile changes, and forgets on request', () => {
    const watch = createExtractionWatch({ profiles: { m: square } });
    watch.observe('a', 'm', [0.1, 0.1], 0);
    watch.observe('b', 'm', [0.1, 0.1], 0);
    watch.observe('a', 'n', [0.1, 0.1, 0.1], 0);
    watch.setProfile('m', { ...square, support: [0, 1] });
    expect(watch.size).toBe(1);
    watch.observe('a', 'm', [0.1, 0.1], 1);
    expect(watch.forget('a')).toBe(2);
    expect(watch.forget('a', 'm')).toBe(0);
    watch.setProfile('m', undefined);
    watch.observe('a', 'm', [5, 5, 5], 2); // no profile any more: any width
    expect(watch.stateOf('a', 'm')?.stats.novelty).toBeNull();
  });
});

describe('extraction watch: configuration', () => {
  it('fills in the defaults', () => {
    expect(resolveExtractionConfig()).toEqual(DEFAULT_EXTRACTION_CONFIG);
    expect(resolveExtractionConfig({ distances: { threshold: 0.9 } }).distances).toEqual({
      ...DEFAULT_EXTRACTION_CONFIG.distances,
      threshold: 0.9,
    });
  });

  it.each<[string, ExtractionWatchConfig]>([
    ['maxEntries', { maxEntries: 0 }],
    ['maxStored', { maxStored: 1.5 }],
    ['distances.window', { distances: { window: 5001 } }],
    ['distances.minCount', { distances: { minCount: 600 } }],
    ['distances.threshold', { distances: { threshold: 1 } }],
    ['distances.maxTrim', { distances: { maxTrim: 1 } }],
    ['coverage.maxNovelty', { coverage: { maxNovelty: 0 } }],
    ['coverage.span', { coverage: { span: 0 } }],
    ['coverage.margin', { coverage: { margin: -1 } }],
    ['volume windows', { volume: { windows: [{ ms: 0, max: 1 }] } }],
    ['escalation.maxStage', { escalation: { maxStage: 0 } }],
    ['escalation.factor', { escalation: { factor: 2 } }],
    ['escalation.quietMs', { escalation: { quietMs: 0 } }],
  ])('refuses a bad %s', (name, bad) => {
    expect(() => createExtractionWatch(bad)).toThrow(RangeError);
    expect(() => createExtractionWatch(bad)).toThrow(name);
  });
});
