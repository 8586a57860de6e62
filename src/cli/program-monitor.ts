import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { addMonitorPolicyCommands } from './program-monitor-policy.js';
import { withClient } from './program-options.js';

/** `warden monitor`: each deployment's monitoring (windows, drift; alerts are added beside these). */
export function addMonitorCommands(program: Command, ctx: CliContext): void {
  const monitor = program
    .command('monitor')
    .description("A deployment's monitoring: windows over its traffic, drift against its reference data");
  const cmd = () => import('./commands/monitor.js');
  const targeted = (c: Command) =>
    withClient(c)
      .argument('[env]', 'the environment', 'production')
      .option('--model <name>', 'one model (default: every model live in the environment)');
  targeted(
    monitor
      .command('status')
      .description('Open windows, the last closed one, summaries waiting to be written and windows lost'),
  ).action(async (env, opts) => (await cmd()).monitorStatus(ctx, { ...opts, env }));
  targeted(
    monitor
      .command('drift')
      .description('Drift per column of a window (the latest by default): test, value, threshold, verdict'),
  )
    .option('--window <id>', 'a window id (from `warden monitor status` or the API)')
    .action(async (env, opts) => (await cmd()).monitorDrift(ctx, { ...opts, env }));
  withClient(
    monitor
      .command('report')
      .description("Download a window's drift report: a self-contained HTML page, or JSON")
      .argument('<window>', 'the window id (from `warden monitor drift` or `warden monitor status`)')
      .argument('[env]', 'the environment', 'production')
      .option('--format <format>', 'html or json', 'html')
      .option('--out <file>', 'where to write it (default: drift-<window>.<format>; never overwritten)'),
  ).action(async (window, env, opts) =>
    (await import('./commands/monitor-report.js')).monitorReport(ctx, window, { ...opts, env }),
  );
  addMonitorPolicyCommands(monitor, ctx);
}
