import { CommanderError } from 'commander';
import { AppError } from '../platform/errors.js';
import type { CliContext } from './context.js';
import { exitCodeOfKind, exitUsage } from './exit-codes.js';
import { buildProgram } from './program.js';

/** Runs one CLI invocation and returns its exit status; the one place errors become exit codes. */
export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  // `serve`'s help lists every setting from the config schema, which no other command needs to load.
  const serveSettingsHelp = argv.includes('serve')
    ? (await import('./serve-settings-help.js')).serveSettingsHelp()
    : undefined;
  const program = buildProgram(ctx, serveSettingsHelp ? { serveSettingsHelp } : {});
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; commander already printed usage errors.
      return err.exitCode === 0 ? 0 : exitUsage;
    }
    if (err instanceof AppError) {
      reportError(ctx, err);
      return exitCodeOfKind[err.kind];
    }
    ctx.io.stderr.write(`warden: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
    return 1;
  }
}

function reportError(ctx: CliContext, err: AppError): void {
  const details = (err.details ?? {}) as { errors?: { path: string; message: string }[]; requestId?: string };
  const lines = [`warden: ${err.message}`];
  for (const e of details.errors ?? []) lines.push(`  - ${e.path}: ${e.message}`);
  lines.push(`  (code: ${err.code}${details.requestId ? `, request id: ${details.requestId}` : ''})`);
  ctx.io.stderr.write(`${lines.join('\n')}\n`);
}
