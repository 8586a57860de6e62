// Load generators of the gateway bench: wrk (closed loop, for the most a server answers) and a small
// open-loop generator (a fixed request rate, for latency at a given load), plus CPU and memory readings
// from /proc.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { BenchServer } from './gateway-servers.js';
import { writeText } from './gateway-servers.js';

export type Connection = 'keep-alive' | 'close';

const clockTicks = 100; // USER_HZ on Linux

/** utime + stime of the processes, in CPU seconds (a process that has exited counts for nothing). */
export function cpuOf(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {}
  }
  return ticks / clockTicks;
}

/** CPU seconds the whole machine spent busy (all cores), from /proc/stat. */
export function machineBusy(): number {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number);
  if (!cpu) return 0;
  // user nice system (idle iowait) irq softirq steal
  return (
    ((cpu[0] ?? 0) + (cpu[1] ?? 0) + (cpu[2] ?? 0) + (cpu[5] ?? 0) + (cpu[6] ?? 0) + (cpu[7] ?? 0)) /
    clockTicks
  );
}

/** Resident memory of the processes now, in MiB (VmRSS). */
export function rssMiB(pids: number[]): number {
  let kib = 0;
  for (const pid of pids) {
    try {
      kib += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {}
  }
  return kib / 1024;
}

export interface WrkResult {
  rps: number;
  requests: number;
  /** Answers that were not 2xx/3xx, plus connect/read/write errors and timeouts. */
  failures: number;
  p50: number;
  p99: number;
  /** CPU seconds used during the run: the server's, wrk's, and everything else on the machine. */
  serverCpu: number;
  wrkCpu: number;
  otherCpu: number;
}

/** A wrk script: the request, and one JSON line with the summary at the end (latencies in ms). */
function wrkScript(dir: string, server: BenchServer, connection: Connection, delayMs?: number): string {
  const headers = { ...server.headers, ...(connection === 'close' ? { connection: 'close' } : {}) };
  const lines = [
    'wrk.method = "POST"',
    `wrk.body = ${JSON.stringify(server.body)}`,
    ...Object.entries(headers).map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`),
    'function done(s, latency, requests)',
    '  local e = s.errors',
    '  io.write(string.format(\'WRK_JSON {"requests":%d,"us":%d,"failed":%d,"p50":%.3f,"p99":%.3f}\\n\',',
    '    s.requests, s.duration, e.connect + e.read + e.write + e.status + e.timeout,',
    '    latency:percentile(50) / 1000, latency:percentile(99) / 1000))',
    'end',
    // Paced (the soak): each connection waits this long before each request, so N connections send at most
    // N / delay requests a second. wrk's own C loop does it: a Node generator at ~10,000 req/s needs a core.
    ...(delayMs === undefined ? [] : [`function delay() return ${Math.round(delayMs)} end`]),
  ];
  const file = `${server.name.replace(/\W+/g, '-')}-${connection}${delayMs === undefined ? '' : '-paced'}.lua`;
  return writeText(path.join(dir, file), `${lines.join('\n')}\n`);
}

/**
 * wrk for `seconds` with `connections` connections on one thread (the Flask README's flags), under
 * /usr/bin/time for its own CPU time; the server's and the machine's CPU are read from /proc around it.
 */
export async function runWrk(
  dir: string,
  server: BenchServer,
  connection: Connection,
  seconds: number,
  connections: number,
  /** At most this many requests a second (wrk's `delay()` per connection); the most it can otherwise. */
  paceRps?: number,
): Promise<WrkResult> {
  const delayMs = paceRps === undefined ? undefined : (connections * 1000) / paceRps;
  const script = wrkScript(dir, server, connection, delayMs);
  const pids = server.pids();
  const cpu0 = cpuOf(pids);
  const busy0 = machineBusy();
  const args = ['-f', 'WRK_TIME %U %S', 'wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '5s'];
  const { stdout, stderr, code } = await new Promise<{ stdout: string; stderr: string; code: number | null }>(
    (resolve) => {
      const child = spawn('/usr/bin/time', [...args, '-s', script, server.url]);
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('close', (c) => resolve({ stdout: out, stderr: err, code: c }));
    },
  );
  const serverCpu = cpuOf(pids) - cpu0;
  const busy = machineBusy() - busy0;
  const summary = /WRK_JSON (\{.*\})/.exec(stdout)?.[1];
  if (code !== 0 || !summary) throw new Error(`wrk failed (${code}): ${stdout}\n${stderr}`);
  const s = JSON.parse(summary) as { requests: number; us: number; failed: number; p50: number; p99: number };
  const [user, sys] = (/WRK_TIME (\S+) (\S+)/.exec(stderr) ?? []).slice(1).map(Number);
  const wrkCpu = (user ?? 0) + (sys ?? 0);
  return {
    rps: s.requests / (s.us / 1e6),
    requests: s.requests,
    failures: s.failed,
    p50: s.p50,
    p99: s.p99,
    serverCpu,
    wrkCpu,
    otherCpu: Math.max(0, busy - serverCpu - wrkCpu),
  };
}

export interface PacedResult {
  targetRps: number;
  sentRps: number;
  failures: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  /** CPU seconds the generator itself used (it shares the machine with the server). */
  generatorCpu: number;
  serverCpu: number;
}

/** The q-quantile of sorted values (nearest rank). */
const quantile = (sorted: Float64Array, q: number) =>
  sorted.length ? (sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0) : 0;

/**
 * An open-loop load: request i is due at start + i / rate whether or not earlier ones have answered, and
 * its latency runs from when it was due, not from when a free connection sent it (wrk2's correction for
 * coordinated omission: a stalled server is charged for every request it made wait). Every latency is
 * kept and sorted, so percentiles are exact. Connections come from a pool of `maxSockets`.
 */
export async function runPaced(
  server: BenchServer,
  connection: Connection,
  rate: number,
  seconds: number,
  maxSockets = 64,
): Promise<PacedResult> {
  const agent = new http.Agent({ keepAlive: connection === 'keep-alive', maxSockets });
  const target = new URL(server.url);
  const headers = {
    ...server.headers,
    'content-length': String(Buffer.byteLength(server.body)),
    ...(connection === 'close' ? { connection: 'close' } : {}),
  };
  const total = Math.round(rate * seconds);
  const latencies = new Float64Array(total);
  let done = 0;
  let failures = 0;
  let sent = 0;
  const pids = server.pids();
  const cpu0 = cpuOf(pids);
  const own0 = process.cpuUsage();
  const start = performance.now();
  let lastSent = start;

  const send = (i: number, due: number) => {
    const finish = (ok: boolean) => {
      latencies[i] = performance.now() - due;
      if (!ok) failures++;
      done++;
    };
    const req = http.request(
      { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers, agent },
      (res) => {
        res.on('end', () => finish(res.statusCode === 200));
        res.on('error', () => finish(false));
        res.resume();
      },
    );
    req.on('error', () => finish(false));
    req.end(server.body);
  };

  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      const dueCount = Math.min(total, Math.floor(((now - start) / 1000) * rate) + 1);
      while (sent < dueCount) {
        send(sent, start + (sent / rate) * 1000);
        sent++;
      }
      lastSent = now;
      if (sent < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  const deadline = performance.now() + 10_000;
  while (done < total && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  const own = process.cpuUsage(own0);
  agent.destroy();
  failures += total - done;
  const sorted = latencies.slice(0, done).sort();
  return {
    targetRps: rate,
    // Below the target when the generator itself fell behind (its event loop starved of CPU).
    sentRps: total / Math.max((lastSent - start) / 1000, seconds - 1 / rate),
    failures,
    p50: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    p99: quantile(sorted, 0.99),
    p999: quantile(sorted, 0.999),
    max: sorted[sorted.length - 1] ?? 0,
    generatorCpu: (own.user + own.system) / 1e6,
    serverCpu: cpuOf(pids) - cpu0,
  };
}
