// The gateway's server CPU per request (issue 11), a figure that a shared, noisy machine moves far less than
// throughput: each server in its own process is sent N keep-alive requests by a small raw-socket client at
// a fixed concurrency, and its CPU (utime + stime from /proc) over the run is divided by N. Cases: the bare
// Fastify route over the same ONNX session, Warden from this build, and optionally another Warden build
// (BENCH_BASE_BIN, e.g. a copy of main's bin/ + dist/) for before/after. Rounds interleave; medians.
// Also printed: the bytes of one response's status line and headers, and of its body, for each server.
//
// Usage: npm run build:server && tsx bench/gateway-cpu.bench.ts [-- --requests 20000 --runs 5 --connections 8 --batching --close]
//        BENCH_BASE_BIN=/tmp/main/bin/warden.js[,/tmp/other/bin/warden.js] tsx bench/gateway-cpu.bench.ts
//        BENCH_WARDEN_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' … (Warden's profile, written at stop)
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { median, requireBuild, wardenBin } from './bench-utils.js';
import { cpuOf } from './gateway-load.js';
import { type BenchServer, startBare, startWardenIris } from './gateway-servers.js';

const { values: opts } = parseArgs({
  options: {
    requests: { type: 'string', default: '20000' },
    runs: { type: 'string', default: '5' },
    connections: { type: 'string', default: '8' },
    // Also this build with iris opted into dynamic batching (gateway.batching.models), as `warden+batch`.
    batching: { type: 'boolean', default: false },
    // One connection per request (`Connection: close`), as wrk's close runs: the per-connection costs.
    close: { type: 'boolean', default: false },
  },
});
const close = opts.close;
const total = Number(opts.requests);
const runs = Number(opts.runs);
const connections = Number(opts.connections);

interface Sample {
  cpuUsPerRequest: number;
  rps: number;
  failures: number;
}

/** One response's bytes: head (status line and headers, with the blank line) and body. */
interface Shape {
  headBytes: number;
  bodyBytes: number;
  head: string;
}

/** The raw HTTP/1.1 request the server's bench headers and body make. */
function rawRequest(s: BenchServer): Buffer {
  const url = new URL(s.url);
  const headers = {
    host: url.host,
    ...s.headers,
    ...(close ? { connection: 'close' } : {}),
    'content-length': String(Buffer.byteLength(s.body)),
  };
  const lines = [`POST ${url.pathname} HTTP/1.1`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${s.body}`);
}

/**
 * Sends `count` requests over `conns` keep-alive connections, one in flight per connection (with --close,
 * `conns` connections at a time, each opened for one request and closed by the server after its answer);
 * answers are framed by Content-Length (both servers send it). Resolves with failures (non-200) and the
 * first response.
 */
function drive(s: BenchServer, count: number, conns: number): Promise<{ failures: number; first: Shape }> {
  const request = rawRequest(s);
  const url = new URL(s.url);
  let sent = 0;
  let done = 0;
  let failures = 0;
  let first: Shape | null = null;
  return new Promise((resolve, reject) => {
    const open = () => {
      const socket = net.connect(Number(url.port), url.hostname);
      socket.setNoDelay(true);
      let buf: Buffer = Buffer.alloc(0);
      let asked = false;
      const next = () => {
        if (sent >= count || (close && asked)) {
          socket.end();
          if (close && sent < count) open();
          return;
        }
        sent++;
        asked = true;
        socket.write(request);
      };
      socket.on('connect', next);
      socket.on('error', reject);
      socket.on('data', (chunk: Buffer) => {
        buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
        for (;;) {
          const end = buf.indexOf('\r\n\r\n');
          if (end < 0) return;
          const head = buf.subarray(0, end + 4).toString('latin1');
          const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? Number.NaN);
          if (!Number.isFinite(length)) return reject(new Error(`no content-length in ${head}`));
          if (buf.length < end + 4 + length) return;
          if (!head.startsWith('HTTP/1.1 200')) failures++;
          first ??= { headBytes: end + 4, bodyBytes: length, head };
          buf = buf.subarray(end + 4 + length);
          done++;
          if (done === count) {
            socket.end();
            resolve({ failures, first: first as Shape });
            return;
          }
          next();
        }
      });
    };
    for (let i = 0; i < conns; i++) open();
  });
}

async function measure(s: BenchServer): Promise<Sample & { first: Shape }> {
  const pids = s.pids();
  const cpu0 = cpuOf(pids);
  const t0 = performance.now();
  const { failures, first } = await drive(s, total, connections);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuOf(pids) - cpu0;
  return { cpuUsPerRequest: (cpu * 1e6) / total, rps: total / seconds, failures, first };
}

requireBuild();
const work = mkdtempSync(path.join(os.tmpdir(), 'warden-gateway-cpu-'));
const servers: BenchServer[] = [];
try {
  console.log(
    `${os.cpus().length} cores, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  servers.push(await startBare(1));
  // BENCH_BASE_BIN: one or more other builds' bin/warden.js, separated by commas, named by their folder.
  for (const [i, bin] of (process.env.BENCH_BASE_BIN ?? '').split(',').filter(Boolean).entries()) {
    const name = `w ${path.basename(path.dirname(path.dirname(bin)))}`.slice(0, 14);
    servers.push(await startWardenIris(path.join(work, `base-${i}`), 1, bin, name));
  }
  servers.push(await startWardenIris(path.join(work, 'this'), 1, wardenBin, 'warden'));
  if (opts.batching)
    servers.push(
      await startWardenIris(path.join(work, 'batch'), 1, wardenBin, 'warden+batch', {
        WARDEN_GATEWAY_BATCHING_MODELS: 'iris',
      }),
    );
  for (const s of servers) await drive(s, Math.min(total, 5000), connections); // warm-up (JIT), not counted

  const samples = new Map<string, Sample[]>(servers.map((s) => [s.name, []]));
  const shapes = new Map<string, Shape>();
  for (let round = 0; round < runs; round++)
    for (const s of servers) {
      const r = await measure(s);
      samples.get(s.name)?.push(r);
      shapes.set(s.name, r.first);
    }

  console.log(
    `\n${total} requests per run, ${connections} ${close ? 'connections at a time, one per request (close)' : 'keep-alive connections'}, ${runs} interleaved rounds, medians`,
  );
  console.log(
    `${'server'.padEnd(14)} ${'cpu us/req'.padStart(10)} ${'x bare'.padStart(7)} ${'rps'.padStart(7)} ${'failed'.padStart(7)} ${'head B'.padStart(7)} ${'body B'.padStart(7)}`,
  );
  const bare = median((samples.get('bare fastify') ?? []).map((r) => r.cpuUsPerRequest));
  for (const s of servers) {
    const rs = samples.get(s.name) ?? [];
    const cpu = median(rs.map((r) => r.cpuUsPerRequest));
    const shape = shapes.get(s.name);
    console.log(
      `${s.name.padEnd(14)} ${cpu.toFixed(1).padStart(10)} ${`${(cpu / bare).toFixed(2)}x`.padStart(7)} ${median(
        rs.map((r) => r.rps),
      )
        .toFixed(0)
        .padStart(7)} ${String(Math.max(...rs.map((r) => r.failures))).padStart(7)} ${String(
        shape?.headBytes ?? 0,
      ).padStart(7)} ${String(shape?.bodyBytes ?? 0).padStart(7)}`,
    );
  }
  console.log(`  per-run cpu us/req:`);
  for (const s of servers)
    console.log(
      `    ${s.name.padEnd(14)} ${(samples.get(s.name) ?? []).map((r) => r.cpuUsPerRequest.toFixed(1)).join(' ')}`,
    );
  for (const s of servers) console.log(`\n${s.name} response head:\n${shapes.get(s.name)?.head.trimEnd()}`);
  console.log(
    `\nload average at the end: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
} finally {
  for (const s of servers) await s.stop().catch((err: unknown) => console.error(`stopping ${s.name}:`, err));
  rmSync(work, { recursive: true, force: true });
}
