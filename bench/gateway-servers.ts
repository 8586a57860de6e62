// The three servers of the gateway bench, each a real process on loopback: Warden (`warden serve` from
// the build, the iris demo model pushed, signed and deployed to production), the seed's Flask design
// (../shared/peers/flask_seed under gunicorn) and a bare Fastify route over the same ONNX session.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot, startWarden, wardenBin } from './bench-utils.js';

/** A server under load: where to send what, and the processes whose CPU and memory it uses. */
export interface BenchServer {
  name: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  /** The server's processes now (a gunicorn master and its workers). */
  pids(): number[];
  stop(): Promise<void>;
}

/** The 1-row iris body of the V2 protocol (the demo model's input is `float_input`, FP32 [-1, 4]). */
export const v2Body = JSON.stringify({
  inputs: [{ name: 'float_input', shape: [1, 4], datatype: 'FP32', data: [5.1, 3.5, 1.4, 0.2] }],
});
/** The same row in the Flask design's own contract (its README, "API contract"). */
const flaskBody = JSON.stringify({ inputs: [[5.1, 3.5, 1.4, 0.2]], user_id: 'bench-user' });

export const irisDir = path.join(repoRoot, 'examples', 'iris', 'model');
export const flaskDir = path.resolve(repoRoot, '..', 'shared', 'peers', 'flask_seed');

function run(env: NodeJS.ProcessEnv, args: string[], bin = wardenBin): string {
  const res = spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`warden ${args.join(' ')} failed (${res.status}): ${res.stderr}`);
  return res.stdout;
}

/**
 * The configuration keys under `gateway.rateLimit` that this build knows, read from its own config
 * schema, each set far above what the bench sends so the guard runs but never refuses the bench's
 * principal. An empty map on a build without them (the limits are then the policy defaults, or none).
 */
async function rateLimitEnv(bin = wardenBin): Promise<Record<string, string>> {
  const schema = path.join(path.dirname(bin), '..', 'dist', 'config', 'config.schema.js');
  if (!existsSync(schema)) return {};
  const { envKeys } = (await import(pathToFileURL(schema).href)) as { envKeys?: Record<string, string> };
  const env: Record<string, string> = {};
  for (const [name, key] of Object.entries(envKeys ?? {})) {
    if (!key.startsWith('gateway.rateLimit.')) continue;
    const leaf = key.split('.').pop() ?? '';
    if (/burst/i.test(leaf)) env[name] = '1000000';
    else if (/rate|persecond|limit/i.test(leaf)) env[name] = '1000000';
  }
  return env;
}

/**
 * `warden serve` on a fresh data dir with production reduced to the signature gate and no approvals
 * (the bench measures serving, not governance); iris signed by a trusted signer, pushed and deployed; a
 * viewer token (it holds `inference:invoke`) as the bench's principal.
 */
export async function startWardenIris(
  dataRoot: string,
  intraOpThreads: number,
  bin = wardenBin,
  name = 'warden',
  /** More environment for the server, e.g. `WARDEN_GATEWAY_BATCHING_MODELS: 'iris'`. */
  extraEnv: Record<string, string> = {},
): Promise<BenchServer> {
  const limits = await rateLimitEnv(bin);
  if (Object.keys(limits).length === 0)
    console.log(
      "note: this build has no gateway.rateLimit.* settings, so the bench cannot raise its principal's limits (a limiter at the policy defaults would refuse part of its load: see the failed column)",
    );
  else console.log(`rate limits for the bench principal: ${JSON.stringify(limits)}`);
  const environments = {
    production: { approvals: 0, autoApply: true, gates: ['signature'], requireVulnReport: false },
  };
  const server = await startWarden(path.join(dataRoot, 'warden'), bin, {
    // BENCH_WARDEN_NODE_ARGS: Node flags for the server alone, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
    nodeArgs: (process.env.BENCH_WARDEN_NODE_ARGS ?? '').split(' ').filter(Boolean),
    env: {
      WARDEN_ENVIRONMENTS: JSON.stringify(environments),
      WARDEN_GATEWAY_INTRA_OP_THREADS: String(intraOpThreads),
      ...limits,
      ...extraEnv,
    },
  });
  const env = { ...process.env, WARDEN_URL: server.url, WARDEN_TOKEN: server.token };
  const cli = (e: NodeJS.ProcessEnv, args: string[]) => run(e, args, bin);
  const key = path.join(dataRoot, 'release');
  const signature = path.join(dataRoot, 'iris.sig');
  cli(env, ['keygen', '--out', key]);
  cli(env, ['signer', 'add', 'release', '--key', `${key}.pub`, '--env', 'production']);
  cli(env, ['model', 'create', 'iris', '--owner', 'ml-team']);
  cli(env, ['sign', irisDir, '--key', `${key}.pem`, '--signature', signature]);
  cli(env, ['model', 'push', irisDir, '--model', 'iris', '--signature', signature]);
  cli(env, ['deploy', 'request', 'production', 'iris@1', '--reason', 'gateway bench']);
  const token = /wdn_\S+/.exec(cli(env, ['token', 'create', '--name', 'bench', '--role', 'viewer']))?.[0];
  if (!token) throw new Error('token create printed no token');
  const url = `${server.url}/v2/models/iris/infer`;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  await untilAnswered(url, headers, v2Body);
  return { name, url, headers, body: v2Body, pids: () => [server.pid], stop: server.stop };
}

/** The bare Fastify route (bench/gateway-bare-server.ts) in its own process. */
export async function startBare(intraOpThreads: number): Promise<BenchServer> {
  const child = spawn(
    process.execPath,
    [
      // BENCH_BARE_NODE_ARGS: Node flags for the bare server, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
      ...(process.env.BENCH_BARE_NODE_ARGS ?? '').split(' ').filter(Boolean),
      '--import',
      'tsx',
      path.join(repoRoot, 'bench', 'gateway-bare-server.ts'),
      path.join(irisDir, 'iris.onnx'),
      String(intraOpThreads),
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const base = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
  });
  const url = `${base}/v2/models/iris/infer`;
  const headers = { 'content-type': 'application/json' };
  await untilAnswered(url, headers, v2Body);
  return {
    name: 'bare fastify',
    url,
    headers,
    body: v2Body,
    pids: () => [child.pid as number],
    stop: () =>
      new Promise<void>((resolve) => {
        child.on('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Why the Flask peer cannot run here, or null when it can. */
export function flaskMissing(): string | null {
  if (!existsSync(flaskDir)) return `${flaskDir} is absent (the shared folder is not checked out here)`;
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import flask, jwt, flask_limiter, numpy'], {
    encoding: 'utf8',
  });
  if (probe.status !== 0)
    return 'its Debian packages are missing: apt-get install python3-flask python3-jwt python3-flask-limiter python3-numpy gunicorn';
  if (!existsSync('/usr/bin/gunicorn')) return '/usr/bin/gunicorn is missing (apt-get install gunicorn)';
  return null;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

/** The seed's Flask design as its README runs it: gunicorn, 2 sync workers, run and stop scripts. */
export async function startFlask(runDir: string): Promise<BenchServer> {
  const port = await freePort();
  const env = {
    ...process.env,
    PEER_JWT_SECRET: 'gateway-bench-secret-not-for-production',
    PORT: String(port),
    WORKERS: '2',
    RUN_DIR: runDir,
    RESULTS_DIR: runDir,
    PIDFILE: path.join(runDir, 'gunicorn.pid'),
  };
  const run = spawnSync(path.join(flaskDir, 'run.sh'), [], { env, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`flask_seed run.sh failed: ${run.stderr}`);
  const token = spawnSync('/usr/bin/python3', [path.join(flaskDir, 'make_token.py'), '--ttl', '86400'], {
    env,
    encoding: 'utf8',
  }).stdout.trim();
  const master = Number(readFileSync(env.PIDFILE, 'utf8').trim());
  const url = `http://127.0.0.1:${port}/predict`;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  await untilAnswered(url, headers, flaskBody);
  return {
    name: 'flask seed',
    url,
    headers,
    body: flaskBody,
    pids: () => [master, ...childrenOf(master)],
    stop: async () => {
      spawnSync(path.join(flaskDir, 'stop.sh'), [], { env, encoding: 'utf8' });
    },
  };
}

/** The processes whose parent is `pid` (from /proc). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]?.split(' ')[1] === String(pid);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** One request must answer 200 before a server is measured (a 4xx would be measured as speed). */
async function untilAnswered(url: string, headers: Record<string, string>, body: string): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${text}`);
}

/** Writes a file and returns its path (the wrk scripts). */
export function writeText(file: string, text: string): string {
  writeFileSync(file, text);
  return file;
}
