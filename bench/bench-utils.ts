import { spawn, spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(new URL('..', import.meta.url).pathname);
// BENCH_WARDEN_BIN: another build's bin/warden.js, to measure before and after a change on one machine.
export const wardenBin = process.env.BENCH_WARDEN_BIN ?? path.join(repoRoot, 'bin', 'warden.js');
export const benchDir = path.join(repoRoot, '.bench');

/**
 * BENCH_BASE_BIN: other builds' bin/warden.js, separated by commas (e.g. a copy of main's bin/ and dist/
 * outside the repo), each measured beside this one in the same interleaved rounds; labelled by the folder
 * that holds bin/.
 */
export const baseBins = (process.env.BENCH_BASE_BIN ?? '')
  .split(',')
  .filter(Boolean)
  .map((bin) => ({ bin, label: path.basename(path.dirname(path.dirname(path.resolve(bin)))) }));

/** The 1, 5 and 15 minute load averages, to print beside figures from a shared machine. */
export const loadAverage = () =>
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`;

/**
 * A minimal Node hasher over the same files (synchronous 256 KiB reads into one buffer, then
 * `hash.update`): the floor for any Node process, Node's start included.
 */
export function nodeHashLoop(files: string[]): Run {
  const source = `const fs = require('node:fs'); const { createHash } = require('node:crypto');
    const buf = Buffer.allocUnsafe(256 * 1024);
    for (const f of process.argv.slice(1)) {
      const fd = fs.openSync(f, 'r'); const h = createHash('sha256');
      for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0; ) h.update(buf.subarray(0, n));
      fs.closeSync(fd); console.log(h.digest('hex'));
    }`;
  return timed(process.execPath, ['-e', source, ...files]);
}
export const GiB = 1024 ** 3;

/** A file of `bytes` pseudo-random bytes (made once and reused between runs). */
export function ensureFile(name: string, bytes: number): string {
  mkdirSync(benchDir, { recursive: true });
  const file = path.join(benchDir, name);
  if (existsSync(file) && statSync(file).size === bytes) return file;
  const fd = openSync(file, 'w');
  const chunk = Buffer.allocUnsafe(16 * 1024 * 1024);
  for (let written = 0; written < bytes; written += chunk.length) {
    randomFillSync(chunk);
    writeSync(fd, chunk, 0, Math.min(chunk.length, bytes - written));
  }
  closeSync(fd);
  return file;
}

export interface Run {
  seconds: number;
  /** User + system CPU seconds of the measured process (and of any extra process the case adds). */
  cpuSeconds: number;
  maxRssMiB: number;
}

/**
 * Runs a command under /usr/bin/time to get wall time, CPU time and the child's peak resident memory. CPU
 * time is reported beside wall time because on a shared machine the wall clock mostly measures the
 * neighbours: CPU seconds per byte move far less with the load.
 */
export function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Run {
  const started = process.hrtime.bigint();
  const res = spawnSync('/usr/bin/time', ['-f', '%M %U %S', cmd, ...args], {
    env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${res.status}): ${res.stderr}`);
  const [kib, user, system] = (res.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
  return { seconds, cpuSeconds: (user ?? 0) + (system ?? 0), maxRssMiB: (kib ?? 0) / 1024 };
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export interface Row {
  label: string;
  seconds: number;
  cpuSeconds: number;
  maxRssMiB: number;
}

/** Repeats a measurement; returns median seconds and peak memory. */
export function measure(label: string, runs: number, fn: () => Run): Row {
  const results: Run[] = [];
  for (let i = 0; i < runs; i++) results.push(fn());
  return {
    label,
    seconds: median(results.map((r) => r.seconds)),
    cpuSeconds: median(results.map((r) => r.cpuSeconds)),
    maxRssMiB: Math.max(...results.map((r) => r.maxRssMiB)),
  };
}

/**
 * Runs every case once per round, round after round, and returns medians in the order given. On a shared,
 * noisy machine interleaving matters: a burst of load then slows every case of a round, not just one, so
 * the ratios of medians stay meaningful.
 */
export function compare(runs: number, cases: Record<string, () => Run>): Row[] {
  const results = new Map<string, Run[]>(Object.keys(cases).map((k) => [k, []]));
  for (let i = 0; i < runs; i++)
    for (const [label, fn] of Object.entries(cases)) results.get(label)?.push(fn());
  return [...results].map(([label, rs]) => ({
    label,
    seconds: median(rs.map((r) => r.seconds)),
    cpuSeconds: median(rs.map((r) => r.cpuSeconds)),
    maxRssMiB: Math.max(...rs.map((r) => r.maxRssMiB)),
  }));
}

/** The two reference hashers over the same files: openssl (SHA extensions, the baseline) and sha256sum. */
export function hashBaselines(files: string[]): Record<string, () => Run> {
  return {
    [OPENSSL]: () => timed('openssl', ['dgst', '-sha256', ...files]),
    'sha256sum (for reference)': () => timed('sha256sum', files),
  };
}

export const OPENSSL = 'openssl dgst -sha256 (baseline)';

/** Reads the files once so every case reads from the page cache: benches compare CPU work, not the disk. */
export function warm(files: string[]): void {
  for (const f of files) timed('dd', [`if=${f}`, 'of=/dev/null', 'bs=4M', 'status=none']);
}

/**
 * Prints medians with, for each row, its wall time as a multiple of the baseline's (`x time`, lower is
 * better), its speed as a multiple of the baseline's (`x speed`, higher is better), and its CPU time as a
 * multiple of the baseline's (`x cpu`; above `x time` means several cores worked).
 */
export function report(bytes: number, rows: Row[], baseline: string): void {
  const base = rows.find((r) => r.label === baseline);
  const x = (a: number, b: number | undefined) => (b ? `${(a / b).toFixed(2)}x` : '-');
  console.log(
    `\n${'what'.padEnd(40)} ${'wall s'.padStart(7)} ${'MiB/s'.padStart(6)} ${'x time'.padStart(7)} ${'x speed'.padStart(8)} ${'cpu s'.padStart(6)} ${'x cpu'.padStart(6)} ${'peak RSS'.padStart(9)}`,
  );
  for (const r of rows) {
    console.log(
      `${r.label.padEnd(40)} ${r.seconds.toFixed(3).padStart(7)} ${(bytes / 1024 ** 2 / r.seconds).toFixed(0).padStart(6)} ${x(r.seconds, base?.seconds).padStart(7)} ${x(base?.seconds ?? 0, r.seconds).padStart(8)} ${r.cpuSeconds.toFixed(2).padStart(6)} ${x(r.cpuSeconds, base?.cpuSeconds).padStart(6)} ${`${r.maxRssMiB.toFixed(0)} MiB`.padStart(9)}`,
    );
  }
}

/** `count` files of `bytes / count` bytes each in a folder (made once and reused). */
export function ensureFolder(name: string, bytes: number, count: number): { dir: string; files: string[] } {
  const dir = path.join(benchDir, name);
  mkdirSync(dir, { recursive: true });
  const files = Array.from({ length: count }, (_, i) =>
    ensureFile(path.join(name, `part-${i}.bin`), Math.floor(bytes / count)),
  );
  return { dir, files };
}

/**
 * Starts `warden serve` on a free port with its own data dir; resolves once it is listening, with the
 * bootstrap admin token the first start wrote.
 */
export async function startWarden(
  dataDir: string,
  bin: string = wardenBin,
  extra: { args?: string[]; env?: NodeJS.ProcessEnv; nodeArgs?: string[] } = {},
): Promise<{
  url: string;
  token: string;
  pid: number;
  peakRssMiB(): number;
  cpuSeconds(): number;
  stop(): Promise<void>;
}> {
  const child = spawn(
    process.execPath,
    [
      ...(extra.nodeArgs ?? []),
      bin,
      'serve',
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--log-level',
      'warn',
      ...(extra.args ?? []),
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      // The suites' WARDEN_TEST_* variables are not settings: the server refuses unknown WARDEN_ keys.
      env: {
        ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('WARDEN_TEST_'))),
        ...extra.env,
      },
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`warden serve exited with ${code}`)));
  });
  return {
    url,
    token: readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim(),
    pid: child.pid as number,
    // VmHWM: the server's peak resident memory so far (Linux).
    // utime + stime (fields 14 and 15 of /proc/PID/stat, in clock ticks of 1/100 s on Linux).
    cpuSeconds: () => {
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    peakRssMiB: () =>
      Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024,
    stop: () =>
      new Promise<void>((resolve) => {
        child.on('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export function requireBuild(): void {
  if (!existsSync(path.join(repoRoot, 'dist', 'cli', 'main.js'))) {
    console.error('Build first: npm run build');
    process.exit(1);
  }
}
