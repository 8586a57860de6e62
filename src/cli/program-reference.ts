import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { collect, withClient } from './program-options.js';

/** `warden model reference set|show|download`: a version's reference dataset (monitoring's baseline). */
export function addReferenceCommands(model: Command, ctx: CliContext): void {
  const reference = model.command('reference').description("A version's reference dataset (drift baseline)");
  const cmd = () => import('./commands/model-reference.js');
  withClient(
    reference
      .command('set')
      .description('Attach or replace the reference dataset (CSV, JSON Lines or Parquet)')
      .argument('<model>')
      .argument('<version>', 'number, alias or sha256:…')
      .argument('<file>'),
  )
    .option(
      '--role <col=role>',
      'a column role: feature|prediction|probability|target|ignored (repeatable)',
      collect,
    )
    .option('--source <col=tensor[:index]>', "where a feature is in the model's input (repeatable)", collect)
    .option('--format <format>', 'csv, jsonl or parquet (default: from the extension)')
    .action(async (m, v, f, opts) => {
      await (await cmd()).referenceSet(ctx, m, v, f, opts);
    });
  withClient(
    reference
      .command('show')
      .description("Show the reference's columns, roles and counts")
      .argument('<model>')
      .argument('<version>'),
  ).action(async (m, v, opts) => (await cmd()).referenceShow(ctx, m, v, opts));
  withClient(
    reference
      .command('download')
      .description('Download the reference dataset (its digest checked)')
      .argument('<model>')
      .argument('<version>'),
  )
    .requiredOption('--out <file>', 'a new file to write')
    .action(async (m, v, opts) => (await cmd()).referenceDownload(ctx, m, v, opts));
}
