import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { withClient } from './program-options.js';

/** `warden monitor policy show|set|reset ENV MODEL`: a deployment's monitor policy, added to `monitor`. */
export function addMonitorPolicyCommands(monitor: Command, ctx: CliContext): void {
  const policy = monitor
    .command('policy')
    .description(
      "A deployment's monitor policy: detector thresholds, alert rules, drift tests and thresholds",
    );
  const cmd = () => import('./commands/monitor-policy.js');
  const targeted = (c: Command) =>
    withClient(c).argument('<env>', 'the environment').argument('<model>', 'the model');
  targeted(
    policy
      .command('show')
      .description('The policy in force, what the stored document sets, who set it and why'),
  ).action(async (env: string, model: string, opts) =>
    (await cmd()).monitorPolicyShow(ctx, { ...opts, env, model }),
  );
  targeted(
    policy
      .command('set')
      .description(
        'Replace the policy with a JSON document (only the fields to set; see docs/monitoring.md); prints the warnings',
      ),
  )
    .argument('<file>', 'the policy document (JSON), or - to read it from standard input')
    .option('--reason <text>', 'why (recorded in the audit log)')
    .action(async (env: string, model: string, file: string, opts) =>
      (await cmd()).monitorPolicySet(ctx, { ...opts, env, model, file }),
    );
  targeted(policy.command('reset').description('Back to the defaults (a new revision, audited)'))
    .option('--reason <text>', 'why (recorded in the audit log)')
    .action(async (env: string, model: string, opts) =>
      (await cmd()).monitorPolicyReset(ctx, { ...opts, env, model }),
    );
}
