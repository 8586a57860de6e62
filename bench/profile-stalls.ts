// Busy stretches of a server's CPU profile (`node --cpu-prof`, e.g. bench/gateway-tail.ts --profile DIR):
// runs of samples with no idle one between, longer than --min ms, each with the frames it spent most in.
// A stretch is wall time, so on a loaded machine it also counts time the process waited for a core; the
// `samples` figure (one per ~1 ms of running) is the CPU it used. With --match REGEX, only the stretches
// whose stacks hold a matching frame (e.g. 'monitor|alert|sql-store' for background work), and then the
// longest runs of consecutive matching samples (GC and `(program)` samples within a run count to it; any
// other work ends it): how long that work held the event loop at a time, in samples (~CPU ms), which a
// loaded machine moves far less than the wall clock.
//   npx tsx bench/profile-stalls.ts DIR-or-FILE [--min 5] [--after 10] [--top 12] [--match REGEX]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    min: { type: 'string', default: '5' },
    after: { type: 'string', default: '0' },
    top: { type: 'string', default: '12' },
    match: { type: 'string' },
  },
});
const target = positionals[0] ?? '.';
const file = statSync(target).isDirectory()
  ? path.join(target, readdirSync(target).find((f) => f.endsWith('.cpuprofile')) ?? '')
  : target;
const profile = JSON.parse(readFileSync(file, 'utf8')) as {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
};
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = ({ callFrame: f }: ProfileNode) =>
  `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
const stacks = new Map<number, string[]>();
const stackOf = (id: number) => {
  let s = stacks.get(id);
  if (!s) {
    s = [];
    for (let q: number | undefined = id; q !== undefined; q = parent.get(q)) {
      const n = byId.get(q);
      if (n && n.callFrame.functionName !== '(root)') s.push(label(n));
    }
    stacks.set(id, s);
  }
  return s;
};
const match = opts.match ? new RegExp(opts.match) : null;
let clock = 0;
let start: number | null = null;
let run: number[] = [];
let shown = 0;
const report = (end: number) => {
  const ms = (end - (start ?? end)) / 1000;
  if (start === null || ms < Number(opts.min) || start / 1e6 < Number(opts.after)) return;
  if (match && !run.some((id) => stackOf(id).some((f) => match.test(f)))) return;
  const frames = new Map<string, number>();
  for (const id of run) for (const f of new Set(stackOf(id))) frames.set(f, (frames.get(f) ?? 0) + 1);
  console.log(`\n@${(start / 1e6).toFixed(2)} s: ${ms.toFixed(1)} ms busy, ${run.length} samples`);
  for (const [f, n] of [...frames].sort((a, b) => b[1] - a[1]).slice(0, Number(opts.top)))
    console.log(`  ${String(n).padStart(5)}  ${f}`);
  shown++;
};
for (let i = 0; i < profile.samples.length; i++) {
  clock += profile.timeDeltas[i] ?? 0;
  const id = profile.samples[i] as number;
  if (byId.get(id)?.callFrame.functionName === '(idle)') {
    report(clock);
    start = null;
    run = [];
  } else {
    start ??= clock;
    run.push(id);
  }
}
report(clock);
console.log(`\n${shown} busy stretches of ${opts.min} ms or more${match ? ` matching ${match}` : ''}`);

if (match) {
  const neutral = new Set(['(garbage collector)', '(program)']);
  type Run = { at: number; samples: number; gc: number; ids: number[] };
  const runs: Run[] = [];
  let current: Run | null = null;
  clock = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    clock += profile.timeDeltas[i] ?? 0;
    const id = profile.samples[i] as number;
    const name = byId.get(id)?.callFrame.functionName ?? '';
    if (current && neutral.has(name)) {
      current.samples++;
      current.ids.push(id);
      if (name === '(garbage collector)') current.gc++;
    } else if (stackOf(id).some((f) => match.test(f))) {
      current ??= { at: clock, samples: 0, gc: 0, ids: [] };
      current.samples++;
      current.ids.push(id);
    } else if (current) {
      runs.push(current);
      current = null;
    }
  }
  if (current) runs.push(current);
  const after = runs.filter((r) => r.at / 1e6 >= Number(opts.after));
  const sizes = after.map((r) => r.samples).sort((a, b) => b - a);
  console.log(
    `${after.length} runs of ${match}; samples in the longest 10: ${sizes.slice(0, 10).join(' ')}; runs of ≥ 3 samples: ${sizes.filter((n) => n >= 3).length}`,
  );
  for (const r of [...after].sort((a, b) => b.samples - a.samples).slice(0, 5)) {
    console.log(`  @${(r.at / 1e6).toFixed(2)} s: ${r.samples} samples (${r.gc} of them GC)`);
    const frames = new Map<string, number>();
    for (const id of r.ids) {
      const own = stackOf(id).find((f) => !/^(\(anonymous\) |run|process)/.test(f)) ?? '?';
      frames.set(own, (frames.get(own) ?? 0) + 1);
    }
    for (const [f, n] of [...frames].sort((a, b) => b[1] - a[1]).slice(0, 4))
      console.log(`    ${String(n).padStart(4)}  ${f}`);
  }
}
