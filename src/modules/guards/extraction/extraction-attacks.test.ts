import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { learnProfile } from './profile.js';
import { createExtractionWatch } from './watch.js';
import type { ExtractionSignal, ExtractionWatchConfig } from './watch-config.js';

/**
 * Scripted extraction attacks against benign traffic on the iris demo model (examples/iris), all from fixed
 * seeds. The watch's profile is learned from the model's reference data (its training rows); benign
 * principals send the held-out test rows with small Gaussian noise; attackers send synthetic queries.
 * docs/guards.md ("Model-extraction watch") quotes the figures these tests pin.
 */

type Vec = number[];

function readIris(file: string): { x: Vec[]; y: number[] } {
  const text = readFileSync(new URL(`../../../../examples/iris/data/${file}`, import.meta.url), 'utf8');
  const [header, ...lines] = text.trimEnd().split('\n');
  expect(header).toBe('sepal_length,sepal_width,petal_length,petal_width,species');
  const species = ['setosa', 'versicolor', 'virginica'];
  const cells = lines.map((line) => line.split(','));
  return { x: cells.map((c) => c.slice(0, 4).map(Number)), y: cells.map((c) => species.indexOf(c[4] ?? '')) };
}

/** mulberry32: small, deterministic. */
function mulberry32(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Box–Muller on a uniform source. */
function gaussian(u: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(u() || 1e-12)) * Math.cos(2 * Math.PI * u());
}

/** Softmax (multinomial logistic) regression on standardized inputs: the oracle and the attack's surrogate. */
interface Softmax {
  mu: Vec;
  sd: Vec;
  w: Vec[];
  b: Vec;
}

function probabilities(m: Softmax, x: Vec): Vec {
  const z = x.map((v, j) => (v - (m.mu[j] as number)) / (m.sd[j] as number));
  const logits = m.b.map((bk, k) => bk + z.reduce((s, v, j) => s + v * (m.w[j]?.[k] as number), 0));
  const max = Math.max(...logits);
  const e = logits.map((l) => Math.exp(l - max));
  const total = e.reduce((a, c) => a + c, 0);
  return e.map((v) => v / total);
}

function predict(m: Softmax, x: Vec): number {
  const p = probabilities(m, x);
  return p.indexOf(Math.max(...p));
}

function trainSoftmax(x: Vec[], y: number[], iterations: number, classes = 3): Softmax {
  const d = (x[0] as Vec).length;
  const n = x.length;
  const mu = Array.from({ length: d }, (_, j) => x.reduce((s, r) => s + (r[j] as number), 0) / n);
  const sd = Array.from(
    { length: d },
    (_, j) => Math.sqrt(x.reduce((s, r) => s + ((r[j] as number) - (mu[j] as number)) ** 2, 0) / n) || 1,
  );
  const model: Softmax = {
    mu,
    sd,
    w: Array.from({ length: d }, () => new Array(classes).fill(0)),
    b: new Array(classes).fill(0),
  };
  for (let it = 0; it < iterations; it++) {
    const gw = Array.from({ length: d }, () => new Array<number>(classes).fill(0));
    const gb = new Array<number>(classes).fill(0);
    x.forEach((row, i) => {
      const p = probabilities(model, row);
      p[y[i] as number] = (p[y[i] as number] as number) - 1;
      for (let k = 0; k < classes; k++) {
        gb[k] = (gb[k] as number) + (p[k] as number);
        for (let j = 0; j < d; j++) {
          const z = ((row[j] as number) - (mu[j] as number)) / (sd[j] as number);
          (gw[j] as Vec)[k] = ((gw[j] as Vec)[k] as number) + z * (p[k] as number);
        }
      }
    });
    for (let k = 0; k < classes; k++) {
      model.b[k] = (model.b[k] as number) - (0.5 * (gb[k] as number)) / n;
      for (let j = 0; j < d; j++)
        (model.w[j] as Vec)[k] =
          ((model.w[j] as Vec)[k] as number) - (0.5 * ((gw[j] as Vec)[k] as number)) / n;
    }
  }
  return model;
}

/**
 * Papernot et al.'s Jacobian-based dataset augmentation (2017): from a few seed points, each round labels
 * the set with the oracle, fits a surrogate, and adds x + λ·sign(∂p_c/∂x) for every x (c its oracle label):
 * the set doubles each round. The returned queries are what reaches the oracle, in order.
 */
function jacobianWalk(oracle: Softmax, seeds: Vec[], rounds: number, step: Vec): Vec[] {
  let set = seeds.map((s) => [...s]);
  const queries = set.map((s) => [...s]);
  for (let r = 0; r < rounds; r++) {
    const labels = set.map((x) => predict(oracle, x));
    const surrogate = trainSoftmax(set, labels, 200);
    const next = set.map((x, i) => {
      const c = labels[i] as number;
      const p = probabilities(surrogate, x);
      return x.map((v, j) => {
        const wj = surrogate.w[j] as Vec;
        const mean = wj.reduce((s, wk, k) => s + wk * (p[k] as number), 0);
        const gradient = ((p[c] as number) * ((wj[c] as number) - mean)) / (surrogate.sd[j] as number);
        return v + (step[j] as number) * Math.sign(gradient);
      });
    });
    queries.push(...next);
    set = set.concat(next);
  }
  return queries;
}

const reference = readIris('reference.csv');
const test = readIris('test.csv');
const profile = learnProfile(reference.x);
const oracle = trainSoftmax(reference.x, reference.y, 2_000);
const span = profile.hi.map((h, j) => h - (profile.lo[j] as number));

interface Outcome {
  queries: number;
  /** Queries until the first alert (null: none), and until throttling. */
  alertAt: number | null;
  throttledAt: number | null;
  alerts: number;
  firstSignals: readonly ExtractionSignal[];
  minRateFactor: number;
  /** The lowest Shapiro–Wilk W seen. */
  minW: number;
  /** Queries after which the state was last back to normal (null: it never was after leaving it). */
  normalAgainAt: number | null;
  /** The time of the last query. */
  end: number;
}

const START = 1_800_000_000_000;

/** Sends one principal's queries at `perSecond` through `watch` and records what it said. */
function replay(
  watch: ReturnType<typeof createExtractionWatch>,
  principal: string,
  queries: Vec[],
  perSecond: number,
  start = START,
): Outcome {
  const out: Outcome = {
    queries: queries.length,
    alertAt: null,
    throttledAt: null,
    alerts: 0,
    firstSignals: [],
    minRateFactor: 1,
    minW: 1,
    normalAgainAt: null,
    end: start,
  };
  let wasRaised = (watch.stateOf(principal, 'iris')?.state ?? 'normal') !== 'normal';
  queries.forEach((q, i) => {
    out.end = start + Math.round(((i + 1) * 1000) / perSecond);
    const v = watch.observe(principal, 'iris', q, out.end);
    if (v.state !== 'normal') wasRaised = true;
    else if (wasRaised && out.normalAgainAt === null) out.normalAgainAt = i + 1;
    out.minRateFactor = Math.min(out.minRateFactor, v.rateFactor);
    if (v.alert) {
      out.alerts++;
      if (out.alertAt === null) {
        out.alertAt = i + 1;
        out.firstSignals = v.alert.signals;
      }
    }
    if (v.state === 'throttled' && out.throttledAt === null) out.throttledAt = i + 1;
    if ((i + 1) % 10 === 0) {
      const w = watch.stateOf(principal, 'iris')?.stats.distances.w;
      if (w != null) out.minW = Math.min(out.minW, w);
    }
  });
  return out;
}

/** Test rows with noise of `sigma` cm, drawn with replacement. */
function benignTraffic(seed: number, sigma: number, n: number): Vec[] {
  const u = mulberry32(seed);
  const g = gaussian(u);
  return Array.from({ length: n }, () =>
    (test.x[Math.floor(u() * test.x.length)] as Vec).map((v) => Math.round((v + sigma * g()) * 1000) / 1000),
  );
}

/** Attack 1a: uniformly random queries over the declared ranges. */
function uniformAttack(seed: number, n: number): Vec[] {
  const u = mulberry32(seed);
  return Array.from({ length: n }, () => profile.lo.map((lo, j) => lo + u() * (span[j] as number)));
}

/** Attack 1b: a sweep of a 6 × 6 × 6 × 6 grid over the ranges, in lexicographic order (1,296 queries). */
function gridAttack(): Vec[] {
  const k = 6;
  const out: Vec[] = [];
  for (let i = 0; i < k ** 4; i++) {
    const digits = [Math.floor(i / k ** 3), Math.floor(i / k ** 2) % k, Math.floor(i / k) % k, i % k];
    out.push(digits.map((dgt, j) => (profile.lo[j] as number) + (dgt / (k - 1)) * (span[j] as number)));
  }
  return out;
}

/** Attack 2: Jacobian augmentation from 10 test rows, 6 rounds (640 queries), step λ of each range. */
function jacobianAttack(seed: number, lambda: number): Vec[] {
  const u = mulberry32(seed);
  const seeds = Array.from({ length: 10 }, () => test.x[Math.floor(u() * test.x.length)] as Vec);
  return jacobianWalk(
    oracle,
    seeds,
    6,
    span.map((s) => lambda * s),
  );
}

const SEEDS = [1, 2, 3, 4, 5];
const withProfile: ExtractionWatchConfig = { profiles: { iris: profile } };

describe('extraction watch on the iris model: benign principals', () => {
  const watch = createExtractionWatch(withProfile);
  const benign = SEEDS.flatMap((seed) =>
    [0.05, 0.1, 0.15].map((sigma) => ({
      name: `benign-${seed}-${sigma}`,
      outcome: replay(
        watch,
        `benign-${seed}-${sigma}`,
        benignTraffic(seed * 100 + sigma * 100, sigma, 3_000),
        1,
      ),
    })),
  );
  const power = SEEDS.slice(0, 2).map((seed) =>
    replay(watch, `power-${seed}`, benignTraffic(seed * 7_919, 0.1, 20_000), 20),
  );

  it('raises no alert over 3,000 queries each for 15 benign principals (noise 0.05–0.15 cm)', () => {
    for (const { name, outcome } of benign) {
      expect({ name, alerts: outcome.alerts, minRateFactor: outcome.minRateFactor }).toEqual({
        name,
        alerts: 0,
        minRateFactor: 1,
      });
    }
    // The margin to δ = 0.85: the lowest W any benign principal reached.
    expect(Math.min(...benign.map((b) => b.outcome.minW))).toBeGreaterThan(0.87);
  });

  it('raises no alert for power users at 20 queries/s (20,000 queries each): volume alone is not evidence', () => {
    for (const outcome of power) {
      expect(outcome.alerts).toBe(0);
      expect(outcome.minRateFactor).toBe(1);
    }
    expect(watch.stateOf('power-1', 'iris')?.stats.volumeHigh).toBe(true);
  });
});

describe('extraction watch on the iris model: attacks', () => {
  const watch = createExtractionWatch(withProfile);
  const uniform = SEEDS.map((seed) => replay(watch, `uniform-${seed}`, uniformAttack(seed, 1_000), 2));
  const grid = replay(watch, 'grid', gridAttack(), 2);
  const jacobian = SEEDS.map((seed) => replay(watch, `jacobian-${seed}`, jacobianAttack(seed, 0.1), 2));
  const jacobianSmall = SEEDS.map((seed) =>
    replay(watch, `jacobian-small-${seed}`, jacobianAttack(seed, 0.05), 2),
  );

  it('detects attack 1 (uniform queries, grid sweep) within 50 queries, throttles within 80', () => {
    for (const o of [...uniform, grid]) {
      expect(o.alertAt).toBe(50); // the first check at which novelty may fire (minQueries)
      expect(o.firstSignals).toContain('novelty');
      expect(o.throttledAt).toBeLessThanOrEqual(80);
      expect(o.minRateFactor).toBe(1 / 16);
    }
  });

  it('detects attack 2 (Jacobian augmentation, λ = 0.1 and 0.05 of the range) within 80 queries', () => {
    expect(jacobian.map((o) => o.alertAt)).toEqual([50, 50, 50, 50, 50]);
    expect(jacobianSmall.map((o) => o.alertAt)).toEqual([60, 80, 50, 60, 80]);
    for (const o of [...jacobian, ...jacobianSmall]) {
      expect(o.throttledAt).toBeLessThanOrEqual(120);
      expect(o.minRateFactor).toBe(1 / 16);
    }
  });

  it('lets an attacker that turns benign recover: normal again after its windows flush and 5 quiet periods', () => {
    const after = replay(watch, 'uniform-1', benignTraffic(42, 0.1, 4_000), 1, uniform[0]?.end);
    expect(watch.stateOf('uniform-1', 'iris')?.state).toBe('normal');
    // The coverage generations (1,000 queries each) hold the sweep longest: its 1,000 queries leave the
    // count after 1,000 benign ones (the check at 1,010 is the first quiet one), then 5 steps × 5 min of
    // quiet at 1 query/s: normal again at query 2,510.
    expect(after.normalAgainAt).toBeGreaterThan(1_000 + 5 * 300);
    expect(after.normalAgainAt).toBeLessThanOrEqual(2_000 + 5 * 300 + 10);
    expect(after.alerts).toBe(0);
  });
});

describe('extraction watch on the iris model: PRADA alone (no profile)', () => {
  const watch = createExtractionWatch();
  const benign = SEEDS.flatMap((seed) =>
    [0.05, 0.1, 0.15].map((sigma) =>
      replay(watch, `benign-${seed}-${sigma}`, benignTraffic(seed * 100 + sigma * 100, sigma, 3_000), 1),
    ),
  );
  const grid = replay(watch, 'grid', gridAttack(), 2);
  const uniform = SEEDS.map((seed) => replay(watch, `uniform-${seed}`, uniformAttack(seed, 1_000), 2));
  const jacobian = SEEDS.map((seed) => replay(watch, `jacobian-${seed}`, jacobianAttack(seed, 0.1), 2));

  it('raises no alert for the benign principals', () => {
    expect(benign.map((o) => o.alerts)).toEqual(new Array(15).fill(0));
  });

  it('catches the grid sweep and most Jacobian walks on distances, not uniform queries', () => {
    expect(grid.alertAt).toBeLessThanOrEqual(310);
    expect(grid.firstSignals).toEqual(['distances']);
    expect(uniform.every((o) => o.alertAt === null)).toBe(true); // uniform random distances look normal
    expect(jacobian.filter((o) => o.alertAt !== null).length).toBeGreaterThanOrEqual(3);
  });
});
