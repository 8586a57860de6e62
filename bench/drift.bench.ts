// Drift statistics against scipy on the same samples, in the same run: `ksTwoSample` vs scipy's
// `ks_2samp` (method auto: exact up to 10,000 values a side, asymptotic above), and `columnDrift` with
// Evidently's default test (normed Wasserstein above 1,000 reference values) vs scipy's
// `wasserstein_distance / max(std, 0.001)`. scipy is timed in one python3 subprocess (the import is not
// timed); Warden in this process after a warm-up. Medians of RUNS; `x speed` = scipy's time / Warden's.
// Goal (issue 13): at least scipy's speed, 100k × 100k included.
// Usage: npm run bench:drift [-- RUNS]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { columnDrift, ksTwoSample } from '../src/modules/monitor/index.js';
import { median } from './bench-utils.js';

const runs = Number(process.argv[2] ?? 7) || 7;
const sizes: [number, number, number][] = [
  [5_000, 1_000, 0.1],
  [10_000, 9_000, 0.05],
  [20_000, 5_000, 0.05],
  [100_000, 100_000, 0.02],
];

/** Normal values from a seeded generator (Box–Muller over a 32-bit LCG), rounded to 4 decimals (ties happen). */
function normals(n: number, seed: number, shift: number): number[] {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 4294967296;
  };
  return Array.from({ length: n }, () => {
    const value = Math.sqrt(-2 * Math.log(next())) * Math.cos(2 * Math.PI * next()) + shift;
    return Math.round(value * 1e4) / 1e4;
  });
}

const python = `
import json, sys, time
import numpy as np
from scipy.stats import ks_2samp, wasserstein_distance
cases, runs = json.load(open(sys.argv[1])), int(sys.argv[2])
def timed(f):
    f(); f(); f()
    out = []
    for _ in range(runs):
        t = time.perf_counter(); f(); out.append(time.perf_counter() - t)
    return float(np.median(out))
res = []
for c in cases:
    r, k = np.array(c['ref']), np.array(c['cur'])
    ks = ks_2samp(r, k)
    res.append({'ks': timed(lambda: ks_2samp(r, k)), 'p': float(ks.pvalue),
                'wasserstein': timed(lambda: wasserstein_distance(r, k) / max(np.std(r), 0.001))})
print(json.dumps(res))
`;

function timedMs(fn: () => unknown): number {
  for (let i = 0; i < 3; i++) fn(); // warm-up: let the JIT compile the paths first
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

const cases = sizes.map(([n, m, shift], i) => ({
  ref: normals(n, 11 + i, 0),
  cur: normals(m, 101 + i, shift),
}));
const dir = mkdtempSync(path.join(tmpdir(), 'warden-drift-bench-'));
const file = path.join(dir, 'samples.json');
writeFileSync(file, JSON.stringify(cases));
let scipy: { ks: number; p: number; wasserstein: number }[];
try {
  scipy = JSON.parse(
    execFileSync('python3', ['-c', python, file, String(runs)], { encoding: 'utf8', maxBuffer: 1 << 26 }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const sample = (values: number[]) => ({ kind: 'numeric' as const, count: values.length, missing: 0, values });
const spec = { name: 'x', role: 'feature' as const, kind: 'numeric' as const, source: null };
const ms = (seconds: number) => `${(seconds * 1000).toFixed(2)} ms`;

console.log(`drift statistics, medians of ${runs} runs (scipy in python3, Warden in node)\n`);
console.log(
  'sizes             | test                    | scipy       | warden      | x speed | p (scipy / warden)',
);
for (const [i, [n, m]] of sizes.entries()) {
  const { ref, cur } = cases[i] as { ref: number[]; cur: number[] };
  const base = scipy[i] as { ks: number; p: number; wasserstein: number };
  const ks = ksTwoSample(ref, cur);
  const ksMs = timedMs(() => ksTwoSample(ref, cur));
  const driftMs = timedMs(() => columnDrift(spec, sample(ref), sample(cur)));
  const label = `${n.toLocaleString('en')} × ${m.toLocaleString('en')}`.padEnd(17);
  console.log(
    `${label} | ks_2samp (${ks.method})`.padEnd(44) +
      ` | ${ms(base.ks).padEnd(11)} | ${`${ksMs.toFixed(2)} ms`.padEnd(11)} | ${((base.ks * 1000) / ksMs).toFixed(2).padStart(7)} | ${base.p.toPrecision(8)} / ${ks.pValue.toPrecision(8)}`,
  );
  console.log(
    `${label} | columnDrift (wasserstein)`.padEnd(44) +
      ` | ${ms(base.wasserstein).padEnd(11)} | ${`${driftMs.toFixed(2)} ms`.padEnd(11)} | ${((base.wasserstein * 1000) / driftMs).toFixed(2).padStart(7)} |`,
  );
}
