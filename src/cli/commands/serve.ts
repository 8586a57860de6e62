import { loadConfig } from '../../config/index.js';
import { startServer } from '../../server.js';
import type { CliContext } from '../context.js';

export interface ServeOptions {
  host?: string;
  port?: string;
  dataDir?: string;
  databaseUrl?: string;
  config?: string;
  logLevel?: string;
  fixPermissions?: boolean;
}

/** Starts the server and runs until SIGINT/SIGTERM, then closes cleanly. */
export function serve(ctx: CliContext, options: ServeOptions): Promise<void> {
  return run(ctx, options, 'server');
}

/**
 * `warden gateway`: the data plane alone (inference routes, /health, /metrics) on the database and data
 * directory of a `warden serve`, so gateway replicas scale apart from the control plane.
 */
export function gateway(ctx: CliContext, options: Omit<ServeOptions, 'fixPermissions'>): Promise<void> {
  return run(ctx, options, 'gateway');
}

async function run(ctx: CliContext, options: ServeOptions, role: 'server' | 'gateway'): Promise<void> {
  const flags: Record<string, unknown> = {
    host: options.host,
    port:
      options.port === undefined
        ? undefined
        : /^\d+$/.test(options.port)
          ? Number(options.port)
          : options.port,
    dataDir: options.dataDir,
    databaseUrl: options.databaseUrl,
    logLevel: options.logLevel,
  };
  const config = loadConfig({
    env: ctx.env,
    flags,
    cwd: ctx.cwd,
    ...(options.config ? { file: options.config } : {}),
  });
  // Signals are taken from here on, start-up included: a SIGTERM while the server starts (migrations, the
  // legacy encryption pass) ends it cleanly once it is up, and one arriving while it closes is absorbed
  // rather than killing the process half way through its close. A second signal during a start that
  // hangs (a database that does not answer) ends the process the default way.
  let stopRequested = false;
  let starting = true;
  let wake: (() => void) | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopRequested && starting) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.kill(process.pid, signal);
      return;
    }
    stopRequested = true;
    wake?.();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    if (options.fixPermissions) await fixPermissions(ctx, config.dataDir);
    const server = await startServer(config, { role });
    starting = false;
    const what = role === 'server' ? 'Warden' : 'Warden gateway';
    const listening = `${what} is listening on ${server.url} (data: ${config.dataDir})\n`;
    const first = server.firstAdminToken;
    // The first start's token is shown this once, on stdout only (never logged); the 0600 file keeps it for
    // the operator. One write with the listening line: a pipe delivers it whole (it is under PIPE_BUF), so
    // whoever waits for "listening" has the token too.
    ctx.io.stdout.write(
      first
        ? `${listening}\nFirst start: created an admin API token, saved to ${first.file} (mode 0600). It is shown only this once:\n\n` +
            `  ${first.token}\n\n` +
            `Use it: export WARDEN_TOKEN=$(cat ${first.file})   or   warden login --url ${server.url} --token <token>\n\n`
        : listening,
    );
    if (!stopRequested)
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    await server.close();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** `--fix-permissions`: narrows what Warden wrote in the data directory before the start-up check. */
async function fixPermissions(ctx: CliContext, dataDir: string): Promise<void> {
  const { fixDataDirPermissions } = await import('../../adapters/local/fix-data-dir-permissions.js');
  const fix = await fixDataDirPermissions(dataDir);
  const say = (line: string) => ctx.io.stderr.write(`warden: ${line}\n`);
  if (!fix.recognised) say(`--fix-permissions: ${dataDir} holds no Warden data; nothing changed`);
  for (const c of fix.changed) say(`tightened ${c.path} from ${c.from} to ${c.to}`);
  for (const s of fix.skipped)
    say(
      `left ${s.path} as it is (${s.reason === 'not_owner' ? 'owned by another user' : s.reason === 'symlink' ? 'a symlink' : 'unreadable'})`,
    );
}
