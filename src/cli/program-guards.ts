import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { collect, withClient } from './program-options.js';

/** `warden guards`: each deployment's guard policy, and the extraction alerts on it. */
export function addGuardCommands(program: Command, ctx: CliContext): void {
  const guards = program
    .command('guards')
    .description(
      "A deployment's inference guards: screening, redaction, coarsening, extraction watch, limits",
    );
  const cmd = () => import('./commands/guards.js');
  const targeted = (c: Command) =>
    withClient(c)
      .requiredOption('--env <env>', 'the environment')
      .requiredOption('--model <name>', 'the model');
  targeted(
    guards
      .command('show')
      .description('The policy in force, what overrides the defaults, who set it and why'),
  ).action(async (opts) => (await cmd()).guardsShow(ctx, opts));
  targeted(
    guards
      .command('set')
      .description(
        'Replace the policy: a JSON file (--file), or the stored one changed by flags; turning a guard off needs --reason',
      ),
  )
    .option('--file <policy.json>', 'the policy document (only the fields to set; see docs/guards.md)')
    .option(
      '--off <guard>',
      'turn a guard off (repeatable): rateLimit, screening, redaction, coarsening, extraction',
      collect,
    )
    .option('--on <guard>', 'turn a guard back on (repeatable)', collect)
    .option('--screening-mode <mode>', 'enforce (block) or monitor (flag only)')
    .option('--decimals <n>', 'round probabilities to this many decimals (0–6)')
    .option('--reason <text>', 'why (recorded in the audit log; required to weaken a guard)')
    .action(async (opts) => (await cmd()).guardsSet(ctx, opts));
  targeted(guards.command('reset').description('Back to the defaults: every guard on'))
    .option('--reason <text>', 'why (recorded in the audit log)')
    .action(async (opts) => (await cmd()).guardsReset(ctx, opts));
  targeted(
    guards
      .command('alerts')
      .description('Callers the extraction watch holds as suspect or throttled (admins)'),
  ).action(async (opts) => (await cmd()).guardsAlerts(ctx, opts));
}
