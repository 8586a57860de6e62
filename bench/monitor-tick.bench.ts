// How long one monitor tick holds the event loop (issue 11's tail latency): the gateway's observation
// buffer filled with N iris-shaped observations (as the last guard records them), then one `tick` of the
// real monitor service on a real SQLite store, while a probe measures every gap between event-loop turns.
// Prints per run the tick's wall time, its longest hold of the loop and the CPU it used; medians last.
//   node --expose-gc --import tsx bench/monitor-tick.bench.ts [observations=40000] [runs=5] [maxBytesMiB=64]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { setImmediate as turn } from 'node:timers/promises';
import { migrateToLatest, openSqlite } from '../src/adapters/sql/db.js';
import { createMonitorSqlStore } from '../src/adapters/sql/monitor.sql-store.js';
import { createObservationBuffer, type ResponseTensor } from '../src/modules/gateway/index.js';
import { createMonitorService } from '../src/modules/monitor/index.js';
import { createLogger } from '../src/platform/logger.js';

const count = Number(process.argv[2] ?? 40_000);
const runs = Number(process.argv[3] ?? 5);
const maxBytes = Number(process.argv[4] ?? 64) * 1024 * 1024;
const target = { model: 'iris', version: 1, digest: 'sha256:aa' };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** Garbage collections while `work` runs: the longest pause of each kind (major: mark-compact). */
let gc = { major: 0, minor: 0 };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = (e as { detail?: { kind?: number } }).detail?.kind;
    const key = kind === constants.NODE_PERFORMANCE_GC_MAJOR ? 'major' : 'minor';
    gc[key] = Math.max(gc[key], e.duration);
  }
}).observe({ entryTypes: ['gc'] });

/**
 * Gaps between consecutive turns of the loop while `work` runs: the longest is the worst stall. Measured
 * both by the clock and by the process's CPU time between the two turns (user + system, all threads: GC
 * helpers count too), which a loaded machine, where the process waits for a core, moves far less.
 */
async function holdOf(work: () => Promise<void>) {
  let stop = false;
  let longest = 0;
  let longestCpu = 0;
  gc = { major: 0, minor: 0 };
  const probe = (async () => {
    let last = performance.now();
    let lastCpu = process.cpuUsage();
    while (!stop) {
      await turn();
      const t = performance.now();
      const c = process.cpuUsage();
      longest = Math.max(longest, t - last);
      longestCpu = Math.max(longestCpu, (c.user - lastCpu.user + c.system - lastCpu.system) / 1000);
      last = t;
      lastCpu = c;
    }
  })();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await work();
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  stop = true;
  await probe;
  return { wall, longest, longestCpu, cpuMs: (cpu.user + cpu.system) / 1000, gc: { ...gc } };
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'monitor-tick-'));
const database = openSqlite(path.join(dir, 'warden.db'));
await migrateToLatest(database.db);
let now = Date.UTC(2026, 11, 1);
const buffer = createObservationBuffer({ maxBytes, now: () => now });
const service = createMonitorService({
  environment: 'production',
  observations: buffer,
  liveDigests: async () => [target],
  store: createMonitorSqlStore(database.db),
  references: { profileFor: async () => null },
  clock: { now: () => new Date(now) },
  logger: createLogger({ level: 'silent' }),
  settings: { window: { rows: 1_000, seconds: 300, minRows: 100 }, sampleSize: 5_000, retentionDays: 90 },
});
await service.tick();
let request = 0;
const results: Awaited<ReturnType<typeof holdOf>>[] = [];
console.log(
  `load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
for (let r = 0; r < runs; r++) {
  for (let i = 0; i < count; i++) {
    now += 1;
    const data = Float32Array.of(5.1, 3.5, 1.4 + (i % 7) / 10, 0.2);
    const outputs: ResponseTensor[] = [
      { name: 'label', datatype: 'INT64', shape: [1], data: [i % 3] },
      { name: 'probabilities', datatype: 'FP32', shape: [1, 3], data: [0.8, 0.15, 0.05] },
    ];
    buffer.record(
      { ...target, ctx: { requestId: `00000000-0000-7000-8000-${String(request++).padStart(12, '0')}` } },
      {
        id: null,
        parameters: null,
        outputs: null,
        rows: 1,
        inputs: { float_input: { type: 'float32', dims: [1, 4], data } },
      },
      outputs,
    );
  }
  // In a server the observations trickle in over the 10 s and are promoted to the old generation as they
  // go; recorded in one burst here, they would all be young at the tick and its scavenges would copy them
  // all (10–25 ms pauses that a server does not have). With --expose-gc, a full GC first makes them old.
  (globalThis as { gc?: () => void }).gc?.();
  const held = buffer.stats();
  const res = await holdOf(() => service.tick());
  results.push(res);
  console.log(
    `run ${r}: ${held.bytes} bytes buffered, tick ${res.wall.toFixed(1)} ms wall, longest hold ${res.longest.toFixed(2)} ms (${res.longestCpu.toFixed(2)} ms of CPU), cpu ${res.cpuMs.toFixed(1)} ms; longest GC pause: major ${res.gc.major.toFixed(1)} ms, minor ${res.gc.minor.toFixed(1)} ms`,
  );
}
console.log(
  `median of ${runs}: tick ${median(results.map((r) => r.wall)).toFixed(1)} ms, longest hold ${median(results.map((r) => r.longest)).toFixed(2)} ms (${median(results.map((r) => r.longestCpu)).toFixed(2)} ms of CPU), cpu ${median(results.map((r) => r.cpuMs)).toFixed(1)} ms`,
);
await service.stop();
await database.close();
rmSync(dir, { recursive: true, force: true });
