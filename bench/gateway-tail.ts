// The gateway's tail latency, this build against another, interleaved (issue 11: p99 ≤ 2 ms at half load).
// Both servers run at once (`warden serve`, iris deployed, as bench:gateway sets them up); each round loads
// one, then the other, open loop at --rate (runPaced: latency from each request's due time), and prints
// p50/p99/p99.9/max, the server's CPU per 1,000 requests and its GC pauses in that run (bench/gc-log.cjs).
//   npx tsx bench/gateway-tail.ts --rate 2000 --duration 8 --rounds 4 [--compare /tmp/before/bin/warden.js]
//     [--node-args=--max-semi-space-size=64]   Node flags for this build's server only
// With --profile DIR, each server also writes a CPU profile to DIR/<build>: bench/profile-stalls.ts reads
// its busy stretches and, with --match, the longest runs of the matching work (bench/README.md).
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot, wardenBin } from './bench-utils.js';
import { type PacedResult, runPaced } from './gateway-load.js';
import { startWardenIris } from './gateway-servers.js';

const { values: opts } = parseArgs({
  options: {
    rate: { type: 'string', default: '2000' },
    duration: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '4' },
    compare: { type: 'string' },
    'node-args': { type: 'string', default: '' },
    profile: { type: 'string' },
  },
});
const rate = Number(opts.rate);
const seconds = Number(opts.duration);
const root = mkdtempSync(path.join(os.tmpdir(), 'gateway-tail-'));
const gcLog = path.join(root, 'gc');
const preload = ['--require', path.join(repoRoot, 'bench', 'gc-log.cjs')];

async function start(name: string, bin: string, extra: string[]) {
  const profile = opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.join(opts.profile, name)}`] : [];
  process.env.BENCH_WARDEN_NODE_ARGS = [...preload, ...profile, ...extra].join(' ');
  process.env.BENCH_GC_LOG = gcLog;
  const server = await startWardenIris(path.join(root, name), 1, bin, name);
  return { name, server, runs: [] as (PacedResult & { at: [number, number]; requests: number })[] };
}

const builds = [
  await start('this', wardenBin, opts['node-args'].split(' ').filter(Boolean)),
  ...(opts.compare ? [await start('compare', opts.compare, [])] : []),
];
console.log(
  `load average at start ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
for (const b of builds) await runPaced(b.server, 'keep-alive', rate, 3); // warm-up, not counted
// Odd rounds run the builds in the other order, so neither always follows the other's load.
for (let round = 0; round < Number(opts.rounds); round++)
  for (const b of round % 2 ? [...builds].reverse() : builds) {
    const from = Date.now();
    const r = await runPaced(b.server, 'keep-alive', rate, seconds);
    b.runs.push({ ...r, at: [from, Date.now()], requests: Math.round(rate * seconds) });
    console.log(
      `round ${round} ${b.name}: p50 ${r.p50.toFixed(2)} p99 ${r.p99.toFixed(2)} p99.9 ${r.p999.toFixed(2)} max ${r.max.toFixed(1)} ms, failed ${r.failures}, load ${os.loadavg()[0]?.toFixed(2)}`,
    );
  }
const pids = builds.map((b) => b.server.pids()[0]);
for (const b of builds) await b.server.stop();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
console.log(
  `\n${rate} req/s, ${seconds} s × ${opts.rounds} rounds; medians over rounds (ms); load average now ${os.loadavg()[0]?.toFixed(2)}`,
);
console.log(
  'build     p50     p99   p99.9     max  cpu ms/1k req  GC pauses in runs: minor n/max, major n/max (ms)',
);
builds.forEach((b, i) => {
  const pauses: [number, string, number][] = JSON.parse(readFileSync(`${gcLog}.${pids[i]}.json`, 'utf8'));
  const inRuns = pauses.filter(([t]) => b.runs.some((r) => t >= r.at[0] && t <= r.at[1]));
  const of = (kind: string) => {
    const ds = inRuns.filter(([, k]) => k === kind).map(([, , d]) => d);
    return `${ds.length}/${ds.length ? Math.max(...ds).toFixed(1) : '-'}`;
  };
  const m = (f: (r: PacedResult) => number) => median(b.runs.map(f)).toFixed(2).padStart(7);
  const cpu = median(b.runs.map((r) => (r.serverCpu * 1e6) / (rate * seconds)));
  console.log(
    `${b.name.padEnd(8)}${m((r) => r.p50)}${m((r) => r.p99)}${m((r) => r.p999)}${m((r) => r.max)}  ${cpu.toFixed(0).padStart(13)}  minor ${of('minor')}, major ${of('major')}`,
  );
});
