// Per-observation cost of the model-extraction watch (src/modules/guards/extraction) with 1,000 queries
// stored per principal, against a bare per-principal counter (a Map increment) over the same calls, in the
// same run. Signals are evaluated, and Shapiro–Wilk run on the 500 most recent distances, every 10th query
// of a principal (checkEvery): p50 is the plain observation, p99 and above include those checks.
// Usage: npm run bench:extraction [-- OBSERVATIONS [PRINCIPALS]]
import {
  createExtractionWatch,
  type ExtractionWatch,
  type InputProfile,
  learnProfile,
} from '../src/modules/guards/extraction/index.js';
import { median } from './bench-utils.js';

const principals = Number(process.argv[3] ?? 100) || 100;
// A whole number of rounds over the principals.
const observations = Math.ceil((Number(process.argv[2] ?? 200_000) || 200_000) / principals) * principals;
const STORED = 1_000;

let seed = 42;
/** mulberry32: small and deterministic. */
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const names = Array.from({ length: principals }, (_, i) => `service:client-${i}`);

/**
 * A watch whose every principal holds STORED queries. Each filling query takes a longer step than the last
 * along the last feature (at i²), so it lies farther from the others than the growing set's admission
 * threshold and is admitted; the other features are random in [0, 1].
 */
function filled(dims: number, profile: InputProfile | undefined): { watch: ExtractionWatch; now: number } {
  const watch = createExtractionWatch(profile ? { profiles: { m: profile } } : {});
  let now = 0;
  for (const name of names)
    for (let i = 0; i < STORED; i++) {
      const x = Array.from({ length: dims }, () => random());
      x[dims - 1] = i * i;
      now += 10;
      watch.observe(name, 'm', x, now);
    }
  for (const name of names) {
    const stored = watch.stateOf(name, 'm')?.stats.stored;
    if (stored !== STORED) throw new Error(`${name} holds ${stored} queries, not ${STORED}`);
  }
  return { watch, now };
}

/**
 * The same calls, in the same order: principal i % P, a fresh random query each time, its last feature
 * anywhere along the stored walk. The nearest stored query is far (the walk's gaps), so the distance loop's
 * early exit never fires on the first features: every stored query costs all its features (worst case).
 */
function workload(dims: number): { name: string; x: number[] }[] {
  return Array.from({ length: observations }, (_, i) => {
    const x = Array.from({ length: dims }, () => random());
    x[dims - 1] = random() * STORED * STORED;
    return { name: names[i % principals] as string, x };
  });
}

function timeEach<T>(calls: T[], fn: (call: T, i: number) => unknown): number[] {
  const out = new Array<number>(calls.length);
  for (let i = 0; i < calls.length; i++) {
    const t = process.hrtime.bigint();
    fn(calls[i] as T, i);
    out[i] = Number(process.hrtime.bigint() - t) / 1e3;
  }
  return out;
}

const rows: { label: string; times: number[] }[] = [];
/** The times of the observations that ran the checks (each principal's every 10th query). */
function checksOnly(watch: ExtractionWatch, times: number[]): number[] {
  const queries = new Map(names.map((n) => [n, watch.stateOf(n, 'm')?.stats.queries ?? 0]));
  // stateOf after the run: count back to each call's position in its principal's stream.
  const perPrincipal = observations / principals;
  return times.filter((_, i) => {
    const name = names[i % principals] as string;
    const before = (queries.get(name) as number) - perPrincipal;
    return (before + Math.floor(i / principals) + 1) % 10 === 0;
  });
}
for (const dims of [4, 32]) {
  const calls = workload(dims);
  // Baseline: a bare per-principal counter, keyed as the watch keys its pairs.
  const counts = new Map<string, number>();
  const counter = ({ name }: { name: string }) => {
    const key = `${name.length}:${name}m`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  };
  timeEach(calls, counter); // warm-up
  rows.push({ label: `${dims} features: bare counter (baseline)`, times: timeEach(calls, counter) });

  const plain = filled(dims, undefined);
  timeEach(calls.slice(0, 10_000), (c, i) => plain.watch.observe(c.name, 'm', c.x, plain.now + i)); // warm-up
  const plainStart = plain.now + 10_000;
  rows.push({
    label: `${dims} features: watch, no profile`,
    times: timeEach(calls, (c, i) => plain.watch.observe(c.name, 'm', c.x, plainStart + i)),
  });
  rows.push({
    label: `${dims} features: watch, no profile, checks only`,
    times: checksOnly(plain.watch, rows.at(-1)?.times ?? []),
  });

  const profile = learnProfile(
    Array.from({ length: 1_000 }, () => Array.from({ length: dims }, () => random())),
    { bins: 4, maxGridFeatures: 6 },
  );
  const profiled = filled(dims, profile);
  timeEach(calls.slice(0, 10_000), (c, i) => profiled.watch.observe(c.name, 'm', c.x, profiled.now + i));
  const profiledStart = profiled.now + 10_000;
  rows.push({
    label: `${dims} features: watch, profile (4^${profile.grid.length} cells)`,
    times: timeEach(calls, (c, i) => profiled.watch.observe(c.name, 'm', c.x, profiledStart + i)),
  });
  rows.push({
    label: `${dims} features: watch, profile, checks only`,
    times: checksOnly(profiled.watch, rows.at(-1)?.times ?? []),
  });
  const { bytes, entries } = profiled.watch.memory();
  console.log(
    `${dims} features: ${entries} principals × ${STORED} stored queries ≈ ${(bytes / 2 ** 20).toFixed(1)} MiB of watch state (${(bytes / entries / 1024).toFixed(1)} KiB each)`,
  );
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
console.log(
  `\n${observations} observations round-robin over ${principals} principals; every 10th observation of a principal runs the checks\n`,
);
console.log(
  `${'what'.padEnd(44)} ${'p50 µs'.padStart(8)} ${'p90 µs'.padStart(8)} ${'p99 µs'.padStart(8)} ${'p99.9 µs'.padStart(9)} ${'mean µs'.padStart(8)} ${'p50 vs base'.padStart(12)}`,
);
let base = 1;
for (const { label, times } of rows) {
  const sorted = [...times].sort((a, b) => a - b);
  const med = median(times);
  if (label.includes('baseline')) base = med;
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  console.log(
    `${label.padEnd(44)} ${med.toFixed(2).padStart(8)} ${pct(sorted, 90).toFixed(2).padStart(8)} ${pct(sorted, 99).toFixed(2).padStart(8)} ${pct(sorted, 99.9).toFixed(2).padStart(9)} ${mean.toFixed(2).padStart(8)} ${`${(med / base).toFixed(0)}x`.padStart(12)}`,
  );
}
console.log('\ntarget: p99 well under 100 µs per observation with 1,000 stored queries (4 features)');
