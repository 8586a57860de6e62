import { spawn, spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(new URL('..', import.meta.url).pathname);
export const wardenBin = path.join(repoRoot, 'bin', 'warden.js');
export const benchDir = path.join(repoRoot, '.bench');
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
  maxRssMiB: number;
}

/** Runs a command under /usr/bin/time to get wall time and the child's peak resident memory. */
export function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Run {
  const started = process.hrtime.bigint();
  const res = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], {
    env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${res.status}): ${res.stderr}`);
  const kib = Number(res.stderr.trim().split('\n').pop());
  return { seconds, maxRssMiB: kib / 1024 };
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Repeats a measurement, alternating nothing else; returns median seconds and peak memory. */
export function measure(
  label: string,
  runs: number,
  fn: () => Run,
): { label: string; seconds: number; maxRssMiB: number } {
  const results: Run[] = [];
  for (let i = 0; i < runs; i++) results.push(fn());
  return {
    label,
    seconds: median(results.map((r) => r.seconds)),
    maxRssMiB: Math.max(...results.map((r) => r.maxRssMiB)),
  };
}

export function report(
  bytes: number,
  rows: { label: string; seconds: number; maxRssMiB: number }[],
  baseline: string,
): void {
  const base = rows.find((r) => r.label === baseline);
  console.log(
    `\n${'what'.padEnd(44)} ${'median s'.padStart(9)} ${'MiB/s'.padStart(8)} ${'vs base'.padStart(8)} ${'peak RSS'.padStart(10)}`,
  );
  for (const r of rows) {
    const ratio = base ? (r.seconds / base.seconds).toFixed(2) : '-';
    console.log(
      `${r.label.padEnd(44)} ${r.seconds.toFixed(3).padStart(9)} ${(bytes / 1024 ** 2 / r.seconds).toFixed(0).padStart(8)} ${`${ratio}x`.padStart(8)} ${`${r.maxRssMiB.toFixed(0)} MiB`.padStart(10)}`,
    );
  }
}

/**
 * Starts `warden serve` on a free port with its own data dir; resolves once it is listening, with the
 * bootstrap admin token the first start wrote.
 */
export async function startWarden(
  dataDir: string,
): Promise<{ url: string; token: string; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    [wardenBin, 'serve', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
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
