import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root and the published entry point, built by global-setup.ts. */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const wardenBin = path.join(repoRoot, 'bin', 'warden.js');

const listeningLine = /^Warden (?:gateway )?is listening on (\S+) \(data: (.*)\)$/m;
const startTimeoutMs = 20_000;
const stopTimeoutMs = 20_000;
const commandTimeoutMs = 120_000;

/** Every child this module started and that has not exited yet, so that a failing test leaks none. */
const live = new Set<ChildProcess>();
/** Process groups led by children spawned with `detached: true`: cleanup() kills each whole. */
const groups = new Set<number>();
const temps = new Set<string>();

/**
 * The environment for a child: this process's, minus every WARDEN_* variable (the contract suites'
 * WARDEN_TEST_POSTGRES_URL must not reach a server, which refuses unknown WARDEN_ keys), plus `extra`.
 */
export function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('WARDEN_')) env[key] = value;
  }
  return { ...env, ...extra };
}

/** A fresh temporary folder, removed by cleanup(). */
export function tempDir(prefix = 'warden-e2e-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  temps.add(dir);
  return dir;
}

export const sha256Hex = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

/** The OMS root digest of a single file: SHA-256 over the raw bytes of the file's SHA-256. */
export function fileRootDigest(file: string): string {
  return createHash('sha256')
    .update(Buffer.from(sha256Hex(readFileSync(file)), 'hex'))
    .digest('hex');
}

export interface Spawned {
  child: ChildProcess;
  /** Everything written so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal's name) once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns a tracked child process and records its output. */
export function spawnTracked(
  command: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; detached?: boolean } = {},
): Spawned {
  const child = spawn(command, args, {
    cwd: options.cwd ?? repoRoot,
    env: options.env ?? childEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  live.add(child);
  if (options.detached && child.pid !== undefined) groups.add(child.pid);
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (s: string) => {
    out += s;
  });
  child.stderr?.setEncoding('utf8').on('data', (s: string) => {
    err += s;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', (e) => {
      live.delete(child);
      reject(e);
    });
    // 'close' (not 'exit') so that all output has been read.
    child.once('close', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
  });
  exited.catch(() => {});
  return { child, stdout: () => out, stderr: () => err, exited };
}

/**
 * For afterEach/afterAll, whatever happened: kills every child still running (and the process group of
 * detached ones), then removes the temporary folders.
 */
export async function cleanup(): Promise<void> {
  const children = [...live];
  const kill = (pid: number) => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  // A group outlives its leader when the leader (npm) exits before its children.
  for (const pgid of groups) kill(-pgid);
  groups.clear();
  for (const child of children) {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) kill(child.pid);
  }
  await Promise.all(children.map((c) => waitForExit(c, 10_000).catch(() => {})));
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  temps.clear();
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`process ${child.pid} did not exit`)), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Waits (at most `timeoutMs`) until the child prints `Warden is listening on URL (data: DIR)` on stdout;
 * fails early, with the child's output, if it exits first.
 */
export async function waitForListening(
  proc: Spawned,
  timeoutMs = startTimeoutMs,
): Promise<{ url: string; dataDir: string }> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void proc.exited.then(
    () => {
      exited = true;
    },
    () => {
      exited = true;
    },
  );
  for (;;) {
    const match = listeningLine.exec(proc.stdout());
    if (match) return { url: match[1] as string, dataDir: match[2] as string };
    if (exited || Date.now() > deadline) {
      const why = exited ? 'exited before listening' : `did not listen within ${timeoutMs} ms`;
      throw new Error(`warden serve ${why}\nstdout:\n${proc.stdout()}\nstderr:\n${proc.stderr()}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface RunningWarden {
  url: string;
  dataDir: string;
  proc: Spawned;
  /** SIGTERM, then waits for the exit and fails unless the shutdown was graceful (exit code 0). */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Extra child environment (on top of process.env without WARDEN_*). */
  env?: Record<string, string>;
  /** Extra `serve` arguments, after the defaults. */
  args?: string[];
  /** The data directory; a fresh temporary one when left out. */
  dataDir?: string;
  cwd?: string;
  /** Start under this umask (e.g. '000'), set by a shell that then execs the server. */
  umask?: string;
}

/** Starts `node bin/warden.js serve --port 0 --data-dir DIR --log-level warn` and waits until it listens. */
export async function startServer(options: StartOptions = {}): Promise<RunningWarden> {
  const dataDir = options.dataDir ?? tempDir('warden-e2e-data-');
  const serve = [
    wardenBin,
    'serve',
    '--port',
    '0',
    '--data-dir',
    dataDir,
    '--log-level',
    'warn',
    ...(options.args ?? []),
  ];
  const spawnOptions = { cwd: options.cwd ?? repoRoot, env: childEnv(options.env) };
  const proc = options.umask
    ? spawnTracked(
        '/bin/sh',
        ['-c', `umask ${options.umask} && exec "$@"`, 'sh', process.execPath, ...serve],
        spawnOptions,
      )
    : spawnTracked(process.execPath, serve, spawnOptions);
  const { url } = await waitForListening(proc);
  const tokenFile = path.join(dataDir, 'admin-token');
  if (existsSync(tokenFile)) adminTokens.set(url, readFileSync(tokenFile, 'utf8').trim());
  return { url, dataDir, proc, stop: () => stopGracefully(proc) };
}

/** The bootstrap admin token of each server these tests started, by URL: the CLI's default credential. */
const adminTokens = new Map<string, string>();

export const adminTokenOf = (url: string): string | undefined => adminTokens.get(url);

/** Sends SIGTERM (to the whole process group when `group`) and waits, bounded, for the exit. */
export async function terminate(
  proc: Spawned,
  group = false,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const pid = proc.child.pid;
  if (pid === undefined) throw new Error('process has no pid');
  if (proc.child.exitCode === null && proc.child.signalCode === null) {
    process.kill(group ? -pid : pid, 'SIGTERM');
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`process ${pid} did not exit within ${stopTimeoutMs} ms of SIGTERM`)),
      stopTimeoutMs,
    );
  });
  return Promise.race([proc.exited, timeout]).finally(() => clearTimeout(timer));
}

/** SIGTERM to `warden serve`, which must shut down gracefully: exit code 0. */
export async function stopGracefully(proc: Spawned): Promise<void> {
  const { code, signal } = await terminate(proc);
  if (code !== 0) {
    throw new Error(
      `warden exited with ${code ?? signal} on SIGTERM, expected 0\nstdout:\n${proc.stdout()}\nstderr:\n${proc.stderr()}`,
    );
  }
}

/** A loopback port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Polls (bounded) until nothing accepts connections on 127.0.0.1:port any more. */
export async function waitForPortClosed(port: number, timeoutMs = stopTimeoutMs): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (!open) return;
    if (Date.now() > deadline)
      throw new Error(`port ${port} still accepts connections after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node bin/warden.js ARGS` with WARDEN_URL set to `url` (and WARDEN_TOKEN to that server's admin
 * token unless the caller's env names a token, or `anonymous` is set), and returns its exit code and output.
 */
export async function warden(
  args: string[],
  options: { url?: string; cwd?: string; env?: Record<string, string>; anonymous?: boolean } = {},
): Promise<CliResult> {
  const token = options.url && !options.anonymous ? adminTokens.get(options.url) : undefined;
  const proc = spawnTracked(process.execPath, [wardenBin, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: childEnv({
      ...(options.url ? { WARDEN_URL: options.url } : {}),
      ...(token ? { WARDEN_TOKEN: token } : {}),
      ...options.env,
    }),
  });
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), commandTimeoutMs);
  try {
    const { code } = await proc.exited;
    return { code, stdout: proc.stdout(), stderr: proc.stderr() };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs a command that must succeed with `--json`, and returns its parsed stdout. */
export async function wardenJson<T = Record<string, unknown>>(
  args: string[],
  options: { url?: string; cwd?: string; env?: Record<string, string> } = {},
): Promise<T> {
  const result = await warden([...args, '--json'], options);
  if (result.code !== 0) {
    throw new Error(
      `warden ${args.join(' ')} exited ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`,
    );
  }
  return JSON.parse(result.stdout) as T;
}

/** `warden digest PATH`: the root digest, bare hex, as the CLI prints it. */
export async function digestOf(target: string): Promise<string> {
  const result = await warden(['digest', target]);
  if (result.code !== 0) throw new Error(`warden digest ${target} exited ${result.code}: ${result.stderr}`);
  return result.stdout.trim();
}
