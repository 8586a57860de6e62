import { Command } from 'commander';
import { wardenVersion } from '../platform/version.js';
import type { CliContext } from './context.js';
import { addAttestationCommands, addDeployCommands, addWebhookCommands } from './program-deploy.js';
import { addGuardCommands } from './program-guards.js';
import { addMonitorCommands } from './program-monitor.js';
import { addMonitorAlertCommands } from './program-monitor-alerts.js';
import { collect, withClient } from './program-options.js';
import { addReferenceCommands } from './program-reference.js';

export interface ProgramOptions {
  /** Shown after `warden serve --help`'s options: every setting, generated from the config schema. */
  serveSettingsHelp?: string;
}

/**
 * The command tree. Each action imports its command lazily, so `warden digest` never loads the server,
 * and every command gets the same context instead of reading globals.
 */
export function buildProgram(ctx: CliContext, options: ProgramOptions = {}): Command {
  const program = new Command('warden')
    .description('Warden: a secure registry of immutable, content-addressed ML model versions.')
    .version(wardenVersion, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => ctx.io.stdout.write(s), writeErr: (s) => ctx.io.stderr.write(s) })
    .exitOverride();

  const serve = program
    .command('serve')
    .description('Start the Warden server (SQLite + local artifact folder by default)')
    // Defaults and variables are applied by loadConfig (flags > WARDEN_* > config file > defaults); the
    // settings list after the options is generated from the config schema (run-cli.ts).
    .option('--host <host>', 'address to listen on (default: 127.0.0.1, env: WARDEN_HOST)')
    .option('--port <port>', 'TCP port (default: 8080, env: WARDEN_PORT)')
    .option(
      '--data-dir <dir>',
      'folder for the database and artifacts (default: ./warden-data, env: WARDEN_DATA_DIR)',
    )
    .option(
      '--database-url <url>',
      'postgres:// URL instead of the embedded SQLite (env: WARDEN_DATABASE_URL)',
    )
    .option('--config <file>', 'JSON configuration file (env: WARDEN_CONFIG)')
    .option(
      '--log-level <level>',
      'fatal|error|warn|info|debug|trace|silent (default: info, env: WARDEN_LOG_LEVEL)',
    )
    .option(
      '--fix-permissions',
      'first take group/other access away from what Warden wrote in the data directory (upgrades from releases that made it 0750/0644)',
    )
    .action(async (opts) => (await import('./commands/serve.js')).serve(ctx, opts));
  if (options.serveSettingsHelp) serve.addHelpText('after', options.serveSettingsHelp);

  const gateway = program
    .command('gateway')
    .description(
      "Start the inference gateway alone (data plane: /v2, /health, /metrics) on a `warden serve`'s database and data directory",
    )
    .option('--host <host>', 'address to listen on (default: 127.0.0.1, env: WARDEN_HOST)')
    .option('--port <port>', 'TCP port (default: 8080, env: WARDEN_PORT)')
    .option('--data-dir <dir>', "the server's data folder (default: ./warden-data, env: WARDEN_DATA_DIR)")
    .option('--database-url <url>', "the server's postgres:// URL (env: WARDEN_DATABASE_URL)")
    .option('--config <file>', 'JSON configuration file (env: WARDEN_CONFIG)')
    .option(
      '--log-level <level>',
      'fatal|error|warn|info|debug|trace|silent (default: info, env: WARDEN_LOG_LEVEL)',
    )
    .action(async (opts) => (await import('./commands/serve.js')).gateway(ctx, opts));
  if (options.serveSettingsHelp) gateway.addHelpText('after', options.serveSettingsHelp);

  program
    .command('digest')
    .description('Print the OpenSSF model-signing v1.0 root digest of a file or folder (offline)')
    .argument('<path>', 'model file or folder')
    .option('--ignore-paths <path>', 'leave this path out (repeatable)', collect)
    .option('--no-ignore-git-paths', 'include .git, .gitattributes, .github and .gitignore')
    .option('--json', 'machine-readable JSON output on stdout')
    .action(async (target, opts) => (await import('./commands/digest.js')).digest(ctx, target, opts));

  program
    .command('keygen')
    .description('Make an ECDSA key pair for model signing: OUT.pem (0600) and OUT.pub (offline)')
    .requiredOption('--out <path>', 'file name without extension; writes <path>.pem and <path>.pub')
    .option('--curve <curve>', 'p256|p384|p521', 'p256')
    .option('--password-file <file>', 'encrypt the private key with the password in this file')
    .option('--json', 'machine-readable JSON output on stdout')
    .action(async (opts) => (await import('./commands/keygen.js')).keygenCommand(ctx, opts));

  program
    .command('sign')
    .description('Sign a model file or folder (OpenSSF model signing v1.0, Sigstore bundle; offline)')
    .argument('<path>', 'model file or folder')
    .requiredOption('--key <file>', 'ECDSA private key (PEM; P-256, P-384 or P-521)')
    .option('--password-file <file>', 'password of an encrypted private key')
    .option('--signature <file>', 'where to write the signature', 'model.sig')
    .option('--ignore-paths <path>', 'leave this path out (repeatable)', collect)
    .option('--no-ignore-git-paths', 'include .git, .gitattributes, .github and .gitignore')
    .option('--method <method>', 'files (default) or shards')
    .option(
      '--shard-size <bytes>',
      'hash files in shards of this size, in parallel (implies --method shards)',
    )
    .option('--json', 'machine-readable JSON output on stdout')
    .action(async (target, opts) => (await import('./commands/sign.js')).signCommand(ctx, target, opts));

  program
    .command('verify')
    .description('Verify a model against its signature and public key; exits 0 only when valid (offline)')
    .argument('<path>', 'model file or folder')
    .requiredOption('--signature <file>', 'the signature (Sigstore bundle) to check')
    .requiredOption('--key <file>', 'ECDSA public key (PEM)')
    .option('--ignore-paths <path>', 'leave this path out too (repeatable)', collect)
    .option('--ignore-unsigned-files', 'do not fail on files the signature does not cover')
    .option('--json', 'machine-readable JSON output on stdout')
    .action(async (target, opts) => (await import('./commands/verify.js')).verifyCommand(ctx, target, opts));

  program
    .command('scan')
    .description('Scan pickle-based model files for dangerous imports, without unpickling them (offline)')
    .argument('<path>', 'model file or folder')
    .option(
      '--fail-on <severity>',
      'critical|high|medium|low|none: fail at or above this (default high; none only reports)',
    )
    .option('--ignore-paths <path>', 'leave this path out (repeatable)', collect)
    .option('--no-ignore-git-paths', 'include .git, .gitattributes, .github and .gitignore')
    .option('--json', 'the scan attestation as JSON on stdout')
    .action(async (target, opts) => (await import('./commands/scan.js')).scan(ctx, target, opts));

  const model = program.command('model').description('Models and their versions');
  withClient(
    model.command('create').description('Create a model').argument('<name>', 'a slug, e.g. iris-classifier'),
  )
    .option('--description <text>', 'what the model is for')
    .option('--owner <owner>', 'owning person or team (default: you)')
    .option('--tag <tag>', 'a tag (repeatable)', collect)
    .action(async (name, opts) => (await import('./commands/model-read.js')).modelCreate(ctx, name, opts));
  withClient(model.command('list').description('List models'))
    .option('--tag <tag>', 'only models with this tag')
    .option('--limit <n>', 'at most this many', '100')
    .action(async (opts) => (await import('./commands/model-read.js')).modelList(ctx, opts));
  withClient(
    model
      .command('show')
      .description('Show a model (NAME) or one version (NAME@VERSION|ALIAS|sha256:…)')
      .argument('<target>'),
  )
    .option('--deleted', 'list deleted versions (tombstones) too')
    .action(async (target, opts) => (await import('./commands/model-read.js')).modelShow(ctx, target, opts));
  withClient(
    model
      .command('delete')
      .description(
        "Delete a version (admin): a tombstone stays, its files' bytes are destroyed unless another live version holds them",
      )
      .argument('<target>', 'NAME@VERSION or NAME@sha256:… (a version an alias points at is refused)'),
  )
    .requiredOption('--reason <text>', 'why (kept on the tombstone and in the audit log)')
    .option('--yes', 'confirm: there is no undo')
    .action(async (target, opts) =>
      (await import('./commands/model-delete.js')).modelDelete(ctx, target, opts),
    );
  withClient(
    model.command('push').description('Push a file or folder as a new immutable version').argument('<path>'),
  )
    .requiredOption('--model <name>', 'the model to add the version to')
    .option('--metrics <file.json>', 'evaluation metrics: a JSON object of numbers')
    .option('--params <file.json>', 'training parameters: a JSON object')
    .option('--meta <key=value>', 'free metadata (repeatable)', collect)
    .option('--format <format>', 'override the detected format (onnx, safetensors, …)')
    .option('--alias <alias>', 'point this alias at the new version (repeatable)', collect)
    .option('--dataset <sha256:hex>', 'digest of a dataset it was trained on (repeatable)', collect)
    .option('--parent <model@version>', 'the version it was derived from')
    .option('--training-run <id>', 'the training run that produced it')
    .option('--source-commit <sha>', 'the source commit it was built from')
    .option('--ignore-paths <path>', 'leave this path out (repeatable)', collect)
    .option('--signature <model.sig>', 'a model-signing bundle to verify and attach with the version')
    .option('--reference <file>', 'then attach this reference dataset (CSV, JSON Lines or Parquet)')
    .option('--reference-role <col=role>', "a reference column's role (repeatable)", collect)
    .action(async (target, opts) =>
      (await import('./commands/model-transfer.js')).modelPush(ctx, target, opts),
    );
  withClient(
    model
      .command('attach-signature')
      .description('Attach a signature to a version; the server verifies it against a trusted signer')
      .argument('<target>', 'NAME@VERSION, NAME@ALIAS or NAME@sha256:…'),
  )
    .requiredOption('--signature <model.sig>', 'the model-signing bundle (from warden sign)')
    .action(async (target, opts) =>
      (await import('./commands/signer.js')).modelAttachSignature(ctx, target, opts),
    );
  withClient(
    model
      .command('pull')
      .description('Download and verify a version: NAME, NAME@VERSION or NAME@ALIAS')
      .argument('<target>'),
  )
    .requiredOption('--out <dir>', 'folder to write the files into (new or empty)')
    .option('--force', 'overwrite files in a non-empty folder')
    .option(
      '--require-signature [environment]',
      'refuse unless a signature verifies (by a signer for ENVIRONMENT, when given); nothing is written otherwise',
    )
    .action(async (target, opts) =>
      (await import('./commands/model-transfer.js')).modelPull(ctx, target, opts),
    );

  addReferenceCommands(model, ctx);
  addDeployCommands(program, ctx);

  const alias = program.command('alias').description('Aliases (champion, staging, …) and their history');
  withClient(
    alias
      .command('set')
      .description('Point an alias at a version')
      .argument('<model>')
      .argument('<alias>')
      .argument('<version>', 'number, sha256:… or another alias'),
  )
    .option('--reason <text>', 'why (kept in the history)')
    .action(async (m, a, v, opts) => (await import('./commands/alias.js')).aliasSet(ctx, m, a, v, opts));
  withClient(alias.command('list').description("List a model's aliases").argument('<model>')).action(
    async (m, opts) => (await import('./commands/alias.js')).aliasList(ctx, m, opts),
  );
  withClient(
    alias
      .command('history')
      .description("Show an alias's moves, newest first")
      .argument('<model>')
      .argument('<alias>'),
  )
    .option('--limit <n>', 'at most this many', '100')
    .action(async (m, a, opts) => (await import('./commands/alias.js')).aliasHistory(ctx, m, a, opts));
  withClient(
    alias
      .command('rm')
      .description('Remove an alias (kept in the history)')
      .argument('<model>')
      .argument('<alias>'),
  )
    .option('--reason <text>', 'why (kept in the history)')
    .action(async (m, a, opts) => (await import('./commands/alias.js')).aliasRemove(ctx, m, a, opts));

  addIdentityCommands(program, ctx);
  addSignerCommands(program, ctx);
  addAttestationCommands(program, ctx);
  addAuditCommands(program, ctx);
  addWebhookCommands(program, ctx);
  addGuardCommands(program, ctx);
  addMonitorCommands(program, ctx);
  addMonitorAlertCommands(program, ctx);
  addPolicyCommands(program, ctx);
  addKeyCommands(program, ctx);
  return program;
}

function addSignerCommands(program: Command, ctx: CliContext): void {
  const signer = program.command('signer').description('Trusted signers of model versions (admins)');
  const signerCmd = async () => import('./commands/signer.js');
  withClient(signer.command('add').description('Trust a signer by its public key').argument('<name>'))
    .requiredOption('--key <key.pub>', 'the ECDSA public key (PEM)')
    .option('--env <environment>', 'an environment it may sign for (repeatable)', collect)
    .action(async (name, opts) => (await signerCmd()).signerAdd(ctx, name, opts));
  withClient(signer.command('list').description('List trusted signers, revoked ones included')).action(
    async (opts) => (await signerCmd()).signerList(ctx, opts),
  );
  withClient(signer.command('revoke').description('Revoke a signer').argument('<name>')).action(
    async (name, opts) => (await signerCmd()).signerRevoke(ctx, name, opts),
  );
}

function addIdentityCommands(program: Command, ctx: CliContext): void {
  const token = program.command('token').description('API tokens for service accounts (CI)');
  withClient(
    token.command('create').description('Issue a token for a service account; it is shown only once'),
  )
    .requiredOption('--name <name>', 'service account; the token acts as service:<name>')
    .requiredOption('--role <role>', 'viewer|contributor|deployer|approver|admin (repeatable)', collect)
    .option('--team <team>', 'limit it to this team (repeatable)', collect)
    .option('--expires <when>', '30d, 12h, 90m, 2026-12-31 or a date-time with zone (default 90d, max 400d)')
    .action(async (opts) => (await import('./commands/token.js')).tokenCreate(ctx, opts));
  withClient(token.command('list').description('List API tokens (never their secrets)')).action(
    async (opts) => (await import('./commands/token.js')).tokenList(ctx, opts),
  );
  withClient(
    token
      .command('revoke')
      .description('Revoke an API token')
      .argument('<id>', 'the 12 characters after wdn_'),
  ).action(async (id, opts) => (await import('./commands/token.js')).tokenRevoke(ctx, id, opts));
  withClient(
    program
      .command('login')
      .description('Check a server URL and token, then save them (0600) for later commands'),
  ).action(async (opts) => (await import('./commands/login.js')).login(ctx, opts));
}

function addAuditCommands(program: Command, ctx: CliContext): void {
  const audit = program.command('audit').description('The tamper-evident audit log: search, export, verify');
  const auditCmd = async () => import('./commands/audit.js');
  withClient(audit.command('list').description('Search audit entries, newest first'))
    .option('--principal <id>', 'e.g. user:alice')
    .option('--action <action>', 'e.g. registry:alias:set')
    .option('--resource <resource>', 'e.g. model:iris')
    .option('--outcome <outcome>', 'success, denied or failed')
    .option('--since <time>', 'RFC 3339, inclusive')
    .option('--until <time>', 'RFC 3339, exclusive')
    .option('--order <order>', 'desc (default) or asc')
    .option('--limit <n>', 'at most this many', '100')
    .option('--after <seq>', 'continue after this entry')
    .action(async (opts) => (await auditCmd()).auditList(ctx, opts));
  withClient(
    audit.command('pubkey').description('Print the audit verifier key (then any retired ones)'),
  ).action(async (opts) => (await auditCmd()).auditPubkey(ctx, opts));
  withClient(audit.command('export').description('Write the log as JSON Lines ending on a signed checkpoint'))
    .requiredOption('--out <file>', 'file to write (atomically)')
    .action(async (opts) => (await auditCmd()).auditExport(ctx, opts));
  withClient(
    audit.command('verify').description('Verify the chain and every checkpoint (offline with --file)'),
  )
    .option('--file <file>', 'an export to verify offline, without a server')
    .option('--key <file>', 'verifier key file from `warden audit pubkey` (required with --file)')
    .option(
      '--checkpoint <file>',
      'a checkpoint kept elsewhere: a signed note or an earlier export (repeatable)',
      collect,
    )
    .option(
      '--trusted-checkpoint <file>',
      'a checkpoint note saved earlier by `warden audit checkpoint` (repeatable): the log must still hold it',
      collect,
    )
    .action(async (opts) => (await auditCmd()).auditVerify(ctx, opts));
  withClient(
    audit
      .command('checkpoint')
      .description('Verify the export here, then save its final checkpoint note (for --trusted-checkpoint)'),
  )
    .requiredOption('--out <file>', 'file to write the signed note to (atomically)')
    .option('--key <file>', "verifier key file (default: the server's key)")
    .option('--trusted-checkpoint <file>', 'an earlier saved checkpoint the log must still hold', collect)
    .action(async (opts) => (await auditCmd()).auditCheckpoint(ctx, opts));
}

function addPolicyCommands(program: Command, ctx: CliContext): void {
  const policy = program.command('policy').description('Cedar authorization policies (offline)');
  policy
    .command('validate')
    .description('Validate policy files against the schema, beside the built-in roles')
    .argument('<files...>', 'policy files or folders of *.cedar')
    .option('--json', 'machine-readable JSON output on stdout')
    .action(async (files, opts) => (await import('./commands/policy.js')).policyValidate(ctx, files, opts));
  policy
    .command('explain')
    .description('Decide one request offline and name the policies that determined it')
    .requiredOption('--principal <id>', 'token:ID, oidc:ISSUER#SUBJECT or service:ID')
    .option('--role <role>', 'a built-in role (repeatable)', collect)
    .option('--team <team>', 'a team the principal is scoped to (repeatable; none: unscoped)', collect)
    .requiredOption('--action <action>', 'e.g. registry:version:push')
    .requiredOption(
      '--resource <resource>',
      'registry | audit | model:NAME | version:NAME@N | alias:NAME@ALIAS | token:ID',
    )
    .option('--owner <team>', "the model's owner (model, version, alias)")
    .option('--tag <tag>', 'a model tag (repeatable)', collect)
    .option('--format <format>', "a version's format")
    .option('--digest <hex>', "a version's digest")
    .option('--token-principal <id>', 'whom a token resource authenticates as (default: --principal)')
    .option('--policy <file>', 'an operator policy file or folder to load too (repeatable)', collect)
    .option('--json', 'the whole decision as JSON on stdout')
    .action(async (opts) => (await import('./commands/policy.js')).policyExplain(ctx, opts));
}

function addKeyCommands(program: Command, ctx: CliContext): void {
  const keys = program
    .command('keys')
    .description('Key-encryption keys of the encrypted artifact store (offline: stop the server first)');
  const keysCmd = async () => import('./commands/keys.js');
  const offline = (c: Command) =>
    c
      .option('--data-dir <dir>', 'data directory (env WARDEN_DATA_DIR; default ./warden-data)')
      .option('--config <file>', 'JSON configuration file')
      .option('--json', 'machine-readable JSON output on stdout');
  offline(keys.command('list').description('List key-encryption keys and how many blobs each wraps')).action(
    async (o) => (await keysCmd()).keysList(ctx, o),
  );
  offline(
    keys
      .command('rotate')
      .description('Make a new current key, then re-wrap every data key (bodies untouched)'),
  ).action(async (o) => (await keysCmd()).keysRotate(ctx, o));
  offline(keys.command('rewrap').description('Finish an interrupted rotation')).action(async (o) =>
    (await keysCmd()).keysRewrap(ctx, o),
  );
  offline(keys.command('retire').description('Destroy an old key that no blob uses').argument('<id>')).action(
    async (id, o) => (await keysCmd()).keysRetire(ctx, id, o),
  );
}
