import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { collect, withClient } from './program-options.js';

/** `warden env` and `warden deploy`: environments and governed deployments. */
export function addDeployCommands(program: Command, ctx: CliContext): void {
  const env = program.command('env').description('Deployment environments: approvals, gates, thresholds');
  withClient(env.command('list').description('List the deployment environments')).action(async (opts) =>
    (await import('./commands/deploy.js')).envList(ctx, opts),
  );
  withClient(env.command('show').description("Show an environment's settings").argument('<env>')).action(
    async (e, opts) => (await import('./commands/deploy.js')).envShow(ctx, e, opts),
  );

  const deploy = program
    .command('deploy')
    .description('Governed deployments: request, check, approve, apply, canary, promote, abort, rollback');
  const deployCmd = () => import('./commands/deploy.js');
  withClient(
    deploy
      .command('check')
      .description("Dry run: every gate's verdict and determining policies (exit 4 when a gate fails)")
      .argument('<env>')
      .argument('<target>', 'NAME@VERSION (a number, an alias or sha256:…)'),
  ).action(async (e, t, opts) => (await deployCmd()).deployCheck(ctx, e, t, opts));
  withClient(
    deploy
      .command('request')
      .description('Request a stable deployment of one version (resolved to its digest now)')
      .argument('<env>')
      .argument('<target>', 'NAME@VERSION')
      .option('--reason <text>', 'why (kept with the request)'),
  ).action(async (e, t, opts) => (await deployCmd()).deployRequest(ctx, e, t, { ...opts, slot: 'stable' }));
  for (const slot of ['canary', 'shadow'] as const)
    withClient(
      deploy
        .command(slot)
        .description(
          slot === 'canary'
            ? 'Request a canary beside stable: PERCENT % of callers (sticky per caller) are served by it'
            : 'Request a shadow beside stable: a copy of PERCENT % of the traffic, its answers discarded',
        )
        .argument('<env>')
        .argument('<target>', 'NAME@VERSION')
        .requiredOption('--percent <percent>', slot === 'canary' ? '1–99' : '1–100')
        .option('--reason <text>', 'why (kept with the request)'),
    ).action(async (e, t, opts) => (await deployCmd()).deployRequest(ctx, e, t, { ...opts, slot }));
  for (const verb of ['approve', 'reject'] as const)
    withClient(
      deploy
        .command(verb)
        .description(
          verb === 'approve'
            ? 'Approve a request (bound to its digest and gate results; never your own)'
            : 'Reject a request (ends it)',
        )
        .argument('<request>', 'request id')
        .requiredOption('--reason <text>', 'why (recorded)'),
    ).action(async (id, opts) => (await deployCmd()).deployDecide(ctx, verb, id, opts));
  withClient(
    deploy
      .command('cancel')
      .description('Withdraw a pending request')
      .argument('<request>')
      .option('--reason <text>'),
  ).action(async (id, opts) => (await deployCmd()).deployDecide(ctx, 'cancel', id, opts));
  withClient(
    deploy
      .command('apply')
      .description('Apply an approved request (everything re-checked as it goes live)')
      .argument('<request>'),
  ).action(async (id, opts) => (await deployCmd()).deployApply(ctx, id, opts));
  withClient(
    deploy.command('show').description('A request, its approvals and gates').argument('<request>'),
  ).action(async (id, opts) => (await deployCmd()).deployShow(ctx, id, opts));
  withClient(
    deploy
      .command('requests')
      .description("An environment's requests, newest first")
      .argument('<env>')
      .option('--model <name>')
      .option('--state <state>', 'pending|approved|applied|rejected|cancelled|expired|superseded')
      .option('--limit <n>'),
  ).action(async (e, opts) => (await deployCmd()).deployRequests(ctx, e, opts));
  withClient(
    deploy
      .command('status')
      .description('What is live in an environment, and its revision')
      .argument('<env>'),
  ).action(async (e, opts) => (await deployCmd()).deployStatus(ctx, e, opts));
  withClient(
    deploy
      .command('history')
      .description("A model's deployments in an environment, newest first")
      .argument('<env>')
      .requiredOption('--model <name>')
      .option('--limit <n>'),
  ).action(async (e, opts) => (await deployCmd()).deployHistory(ctx, e, opts));
  for (const verb of ['promote', 'abort', 'rollback'] as const)
    withClient(
      deploy
        .command(verb)
        .description(
          {
            promote: 'Promote the canary (or shadow) to stable (gates re-checked)',
            abort: 'End the canary or shadow; stable keeps serving',
            rollback: 'Return to the last known-good stable deployment (signature re-checked)',
          }[verb],
        )
        .argument('<env>')
        .requiredOption('--model <name>')
        [verb === 'rollback' ? 'requiredOption' : 'option']('--reason <text>', 'why (recorded)'),
    ).action(async (e, opts) => (await deployCmd()).deployTargetAction(ctx, verb, e, opts));
}

export function addAttestationCommands(program: Command, ctx: CliContext): void {
  const attest = program
    .command('attest')
    .description(
      'Attestations on versions: vulnerability reports (npm audit, pip-audit, OSV-Scanner, Trivy JSON)',
    );
  const attestCmd = async () => import('./commands/attest.js');
  const version = 'NAME@VERSION, NAME@ALIAS or NAME@sha256:…';
  withClient(
    attest
      .command('add', { isDefault: true })
      .description('Attach a report to a version (the default: `warden attest NAME@REF --type … --file …`)')
      .argument('<target>', version),
  )
    .requiredOption('--type <type>', 'what the document is: vuln-report')
    .requiredOption('--file <report.json>', "the scanner's JSON output")
    .option(
      '--format <format>',
      'npm-audit|pip-audit|osv-scanner|trivy (detected when left out; the report must match when given)',
    )
    .action(async (target, opts) => (await attestCmd()).attestAdd(ctx, target, opts));
  withClient(
    attest
      .command('list')
      .description("List a version's attestations, oldest first")
      .argument('<target>', version),
  ).action(async (target, opts) => (await attestCmd()).attestList(ctx, target, opts));
  withClient(
    attest
      .command('show')
      .description('Show one attestation (--json: with the report itself)')
      .argument('<target>', version)
      .argument('<id>', 'the attestation id'),
  ).action(async (target, id, opts) => (await attestCmd()).attestShow(ctx, target, id, opts));
}

export function addWebhookCommands(program: Command, ctx: CliContext): void {
  const webhook = program
    .command('webhook')
    .description('Signed webhooks: endpoints that receive events, and their delivery log (admins)');
  const webhookCmd = async () => import('./commands/webhook.js');
  withClient(
    webhook
      .command('add')
      .description('Register an endpoint; its signing secret is shown only once')
      .argument(
        '<url>',
        'http(s) URL of the receiver (public addresses only, unless the server allows private ones)',
      ),
  )
    .requiredOption(
      '--events <events>',
      "comma-separated event types (repeatable), or '*' for all: version.pushed, deployment.requested, deployment.approval_needed, deployment.applied, deployment.rejected, deployment.rolled_back, canary.changed",
      collect,
    )
    .option('--description <text>', 'what the endpoint is for')
    .action(async (url, opts) => (await webhookCmd()).webhookAdd(ctx, url, opts));
  withClient(
    webhook.command('list').description('List endpoints (a hint of each secret, never the secret)'),
  ).action(async (opts) => (await webhookCmd()).webhookList(ctx, opts));
  withClient(
    webhook
      .command('remove')
      .description('Remove an endpoint: its secret is destroyed, pending deliveries cancelled')
      .argument('<id>', 'the endpoint id (from webhook list)'),
  ).action(async (id, opts) => (await webhookCmd()).webhookRemove(ctx, id, opts));
  withClient(
    webhook
      .command('deliveries')
      .description('Show the delivery log, newest first: attempts, status, error, next attempt')
      .argument('[id]', 'only this endpoint (removed ones too)'),
  )
    .option('--limit <n>', 'at most this many (1-500)', '50')
    .action(async (id, opts) => (await webhookCmd()).webhookDeliveries(ctx, id, opts));
}
