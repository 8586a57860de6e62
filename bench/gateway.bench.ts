// The inference gateway under load (issue 11), measured in one run: Warden's POST /v2/models/iris/infer
// (`warden serve` from the build, every guard of the build on) against (a) the seed's Flask design
// (../shared/peers/flask_seed, gunicorn, 2 sync workers) and (b) a bare Fastify route over the same ONNX
// session with no guards and no authentication. Servers and load generators share this machine.
//
//   max throughput   wrk -t1 -c16 (closed loop), keep-alive and `Connection: close`, N rounds, medians
//   latency          an open-loop generator at half of Warden's maximum in each mode, every server
//   --soak SECONDS   Warden at 70 % of its maximum for that long, its RSS sampled every 10 s
//
// Usage: npm run build && npm run bench:gateway [-- --runs 3 --duration 10 --connections 16 --soak 600]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { median, requireBuild } from './bench-utils.js';
import {
  type Connection,
  type PacedResult,
  rssMiB,
  runPaced,
  runWrk,
  type WrkResult,
} from './gateway-load.js';
import { type BenchServer, flaskMissing, startBare, startFlask, startWardenIris } from './gateway-servers.js';

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '16' },
    threads: { type: 'string', default: '1' },
    soak: { type: 'string', default: '0' },
    // Warden with iris opted into dynamic batching (gateway.batching.models).
    batching: { type: 'boolean', default: false },
  },
});
const runs = Number(opts.runs);
const seconds = Number(opts.duration);
const connections = Number(opts.connections);
const intraOpThreads = Number(opts.threads);
const soakSeconds = Number(opts.soak);

requireBuild();
if (spawnSync('wrk', ['--version']).error) {
  console.error('wrk is not installed: apt-get install wrk');
  process.exit(1);
}

const modes: Connection[] = ['keep-alive', 'close'];
const work = mkdtempSync(path.join(os.tmpdir(), 'warden-gateway-bench-'));
const servers: BenchServer[] = [];
const loadAvg = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const cpuModel = os.cpus()[0]?.model ?? 'unknown CPU';

try {
  console.log(
    `${os.cpus().length} cores (${cpuModel}), nothing pinned: servers, wrk and this script share them; load average ${loadAvg()}`,
  );
  const batching: Record<string, string> = opts.batching ? { WARDEN_GATEWAY_BATCHING_MODELS: 'iris' } : {};
  if (opts.batching) console.log('Warden batches iris (WARDEN_GATEWAY_BATCHING_MODELS=iris)');
  servers.push(await startWardenIris(work, intraOpThreads, undefined, 'warden', batching));
  servers.push(await startBare(intraOpThreads));
  const missing = flaskMissing();
  if (missing) console.log(`SKIPPED the Flask peer: ${missing}`);
  else servers.push(await startFlask(mkdtempSync(path.join(work, 'flask-'))));

  for (const s of servers) await runWrk(work, s, 'keep-alive', 2, connections); // warm-up, not counted

  // Max throughput: every case once per round, round after round.
  const wrk = new Map<string, WrkResult[]>();
  for (let round = 0; round < runs; round++)
    for (const s of servers)
      for (const mode of modes) {
        const key = `${s.name}|${mode}`;
        const r = await runWrk(work, s, mode, seconds, connections);
        wrk.set(key, [...(wrk.get(key) ?? []), r]);
      }
  const med = (key: string, f: (r: WrkResult) => number) => median((wrk.get(key) ?? []).map(f));
  console.log(
    `\nMax throughput: wrk -t1 -c${connections} -d${seconds}s, ${runs} interleaved rounds, medians (CPU in core-seconds per run)`,
  );
  console.log(
    `${'server'.padEnd(14)} ${'connection'.padEnd(11)} ${'rps'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'failed'.padStart(7)} ${'srv cpu'.padStart(8)} ${'req/cpu-s'.padStart(10)} ${'wrk cpu'.padStart(8)} ${'others'.padStart(7)}`,
  );
  for (const s of servers)
    for (const mode of modes) {
      const k = `${s.name}|${mode}`;
      const failed = Math.max(...(wrk.get(k) ?? []).map((r) => r.failures));
      console.log(
        `${s.name.padEnd(14)} ${mode.padEnd(11)} ${med(k, (r) => r.rps)
          .toFixed(0)
          .padStart(8)} ${med(k, (r) => r.p50)
          .toFixed(2)
          .padStart(7)} ${med(k, (r) => r.p99)
          .toFixed(2)
          .padStart(7)} ${String(failed).padStart(7)} ${med(k, (r) => r.serverCpu)
          .toFixed(2)
          .padStart(8)} ${med(k, (r) => r.requests / Math.max(r.serverCpu, 0.01))
          .toFixed(0)
          .padStart(10)} ${med(k, (r) => r.wrkCpu)
          .toFixed(2)
          .padStart(8)} ${med(k, (r) => r.otherCpu)
          .toFixed(2)
          .padStart(7)}`,
      );
    }
  const ratio = (a: string, b: string, f: (r: WrkResult) => number = (r) => r.rps) =>
    wrk.has(a) && wrk.has(b) ? `${(med(a, f) / med(b, f)).toFixed(2)}x` : 'n/a';
  const perCpu = (r: WrkResult) => r.requests / Math.max(r.serverCpu, 0.01);
  console.log('\nRatios of median rps (and of requests per server CPU-second)');
  for (const mode of modes) {
    console.log(
      `  ${mode.padEnd(10)} Warden / Flask ${ratio(`warden|${mode}`, `flask seed|${mode}`)} (${ratio(`warden|${mode}`, `flask seed|${mode}`, perCpu)} per CPU), goal >= 10x`,
    );
    console.log(
      `  ${mode.padEnd(10)} Warden / bare  ${ratio(`warden|${mode}`, `bare fastify|${mode}`)} (${ratio(`warden|${mode}`, `bare fastify|${mode}`, perCpu)} per CPU), goal >= 0.75x`,
    );
  }
  console.log(
    `  Warden keep-alive / Flask as it serves (gunicorn sync workers always close): ${ratio('warden|keep-alive', 'flask seed|close')}`,
  );

  // Latency at half of Warden's maximum in each connection mode (a new connection per request costs more,
  // so its half is lower: at the keep-alive half every server was past its close maximum and only queueing
  // was measured), open loop, every server at the same rate.
  const rates = new Map(modes.map((mode) => [mode, Math.round(med(`warden|${mode}`, (r) => r.rps) / 2)]));
  const paced = new Map<string, PacedResult[]>();
  for (let round = 0; round < runs; round++)
    for (const s of servers)
      for (const mode of modes) {
        const key = `${s.name}|${mode}`;
        paced.set(key, [...(paced.get(key) ?? []), await runPaced(s, mode, rates.get(mode) ?? 0, seconds)]);
      }
  console.log(
    `\nLatency at half of Warden's maximum (${modes.map((m) => `${m} ${rates.get(m)} req/s`).join(', ')}), open loop, ${seconds} s, ${runs} rounds, medians in ms from each request's due time`,
  );
  console.log(
    `${'server'.padEnd(14)} ${'connection'.padEnd(11)} ${'sent/s'.padStart(7)} ${'p50'.padStart(7)} ${'p90'.padStart(7)} ${'p99'.padStart(7)} ${'p99.9'.padStart(8)} ${'max'.padStart(8)} ${'failed'.padStart(7)} ${'srv cpu'.padStart(8)} ${'gen cpu'.padStart(8)}`,
  );
  for (const s of servers)
    for (const mode of modes) {
      const rs = paced.get(`${s.name}|${mode}`) ?? [];
      const m = (f: (r: PacedResult) => number) => median(rs.map(f));
      console.log(
        `${s.name.padEnd(14)} ${mode.padEnd(11)} ${m((r) => r.sentRps)
          .toFixed(0)
          .padStart(7)} ${m((r) => r.p50)
          .toFixed(2)
          .padStart(7)} ${m((r) => r.p90)
          .toFixed(2)
          .padStart(7)} ${m((r) => r.p99)
          .toFixed(2)
          .padStart(7)} ${m((r) => r.p999)
          .toFixed(2)
          .padStart(8)} ${m((r) => r.max)
          .toFixed(1)
          .padStart(8)} ${String(Math.max(...rs.map((r) => r.failures))).padStart(7)} ${m((r) => r.serverCpu)
          .toFixed(2)
          .padStart(8)} ${m((r) => r.generatorCpu)
          .toFixed(2)
          .padStart(8)}`,
      );
    }

  if (soakSeconds > 0) {
    const warden = servers[0] as BenchServer;
    const soakRate = Math.round(med('warden|keep-alive', (r) => r.rps) * 0.7);
    console.log(
      `\nSoak: Warden at ${soakRate} req/s (70 % of its maximum) for ${soakSeconds} s, RSS every 10 s`,
    );
    const samples: { t: number; mib: number }[] = [];
    const started = Date.now();
    const sample = () => {
      const s = { t: (Date.now() - started) / 1000, mib: rssMiB(warden.pids()) };
      samples.push(s);
      console.log(`  ${s.t.toFixed(0).padStart(5)} s  ${s.mib.toFixed(1)} MiB`);
    };
    sample();
    const timer = setInterval(sample, 10_000);
    // Paced by wrk (C), not by the Node generator: at this rate the generator would need a core of its own.
    // wrk's `delay()` waits whole milliseconds, so the soak opens enough connections for each to wait about
    // 10 ms (rate / 100), and a connection sends one request per delay + latency: three 5 s probes scale the
    // pace by what was asked over what was answered.
    const soakConnections = Math.max(connections, Math.ceil(soakRate / 100));
    let paceRps = soakRate;
    for (let step = 0; step < 3; step++) {
      const probe = await runWrk(work, warden, 'keep-alive', 5, soakConnections, paceRps);
      paceRps *= soakRate / Math.max(1, probe.rps);
      console.log(
        `  pace probe ${step + 1} (${soakConnections} connections): ${probe.rps.toFixed(0)} req/s answered; next paced for ${paceRps.toFixed(0)}`,
      );
    }
    const r = await runWrk(work, warden, 'keep-alive', soakSeconds, soakConnections, paceRps);
    clearInterval(timer);
    sample();
    const n = samples.length;
    const mt = samples.reduce((a, s) => a + s.t, 0) / n;
    const mm = samples.reduce((a, s) => a + s.mib, 0) / n;
    const slope =
      samples.reduce((a, s) => a + (s.t - mt) * (s.mib - mm), 0) /
      Math.max(
        samples.reduce((a, s) => a + (s.t - mt) ** 2, 0),
        1e-9,
      );
    console.log(
      `  RSS first ${samples[0]?.mib.toFixed(1)} MiB, last ${samples[n - 1]?.mib.toFixed(1)} MiB, max ${Math.max(...samples.map((s) => s.mib)).toFixed(1)} MiB, slope ${(slope * 60).toFixed(2)} MiB/min (least squares over ${n} samples)`,
    );
    console.log(
      `  during the soak (wrk, paced): ${r.rps.toFixed(0)} req/s answered, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms (from when each was sent), failed ${r.failures}`,
    );
  }
  console.log(`\nload average at the end: ${loadAvg()}`);
} finally {
  for (const s of servers) await s.stop().catch((err: unknown) => console.error(`stopping ${s.name}:`, err));
  rmSync(work, { recursive: true, force: true });
}
