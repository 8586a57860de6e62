import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { withClient } from './program-options.js';

/**
 * `warden monitor alerts [ENV]`: an environment's monitor alerts and the rollbacks they caused. Added
 * to the `monitor` command group (created here when no other part has made it yet).
 */
export function addMonitorAlertCommands(program: Command, ctx: CliContext): void {
  const monitor =
    program.commands.find((c) => c.name() === 'monitor') ??
    program.command('monitor').description('Monitoring: drift, anomalies, alerts');
  withClient(
    monitor
      .command('alerts')
      .argument('[env]', 'the environment', 'production')
      .description("An environment's monitor alerts, newest first, with the rollbacks they caused"),
  )
    .option('--model <name>', 'only this model')
    .option('--state <state>', 'firing or resolved')
    .option('--limit <n>', 'at most this many (1–500)', '50')
    .action(async (env: string, opts) =>
      (await import('./commands/monitor-alerts.js')).monitorAlerts(ctx, env, opts),
    );
}
