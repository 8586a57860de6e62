import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { memoryCtx } from '../fixtures/memory-cli.js';
import {
  type CliResult,
  cleanup,
  type RunningWarden,
  repoRoot,
  startServer,
  tempDir,
  warden,
} from './helpers.js';
import {
  matchesInvocation,
  runScripts,
  showInvocation,
  wardenInvocations,
  workflowWardenCommands,
} from './workflow-commands.js';

const ciDir = path.join(repoRoot, 'examples', 'ci');
const workflow = readFileSync(path.join(ciDir, 'deploy-model.yml'), 'utf8');
const config = path.join(ciDir, 'warden.json');
/** A real `npm audit --json` shape with one low and one moderate finding: within production's "medium". */
const auditReport = path.join(repoRoot, 'test', 'fixtures', 'vuln-reports', 'npm-audit-medium.json');

/** What GitHub would put in ${{ github.run_id }} and ${{ github.sha }}. */
const runId = '9876543210';
const sha = '3f786850e387550fdab836ed7e6dc881de23001b';

interface RequestJson {
  id: string;
  state: string;
  digest: string;
  approvalsNeeded: number;
  approvalsCounted: number;
  gates: { passed: boolean; gates: { gate: string; passed: boolean }[] };
}
interface LiveJson {
  environment: string;
  revision: number;
  models: { model: string; stable: { digest: string; version: number } | null }[];
}

/**
 * The command a CLI argument list runs (`deploy request`), found in the real command tree; a group's default
 * subcommand (`warden attest NAME@REF …` is `attest add`) when no subcommand is named.
 */
function commandOf(program: Command, args: string[]): { command: Command; path: string[] } {
  let command = program;
  const names: string[] = [];
  for (const arg of args) {
    const sub = command.commands.find((c) => c.name() === arg || c.aliases().includes(arg));
    if (!sub) break;
    command = sub;
    names.push(arg);
  }
  // Commander keeps the default subcommand's name on its parent (`command('add', { isDefault: true })`).
  const fallback = (command as unknown as { _defaultCommandName?: string | null })._defaultCommandName;
  const sub = fallback ? command.commands.find((c) => c.name() === fallback) : undefined;
  return sub ? { command: sub, path: [...names, sub.name()] } : { command, path: names };
}

describe('the CI example (examples/ci), run with the real CLI against a real server', {
  timeout: 120_000,
}, () => {
  let server: RunningWarden;
  let work: string;
  const tokens: Record<'ci' | 'alice' | 'bob', string> = { ci: '', alice: '', bob: '' };
  /** The warden commands the pipeline ran, as the CI token, in order: compared with the workflow's. */
  const ciSteps: string[][] = [];

  /** Runs warden as one of the tokens (the admin's when none), from the repository root as CI does. */
  const as = (who: keyof typeof tokens | 'admin', args: string[]): Promise<CliResult> =>
    warden(args, {
      url: server.url,
      cwd: repoRoot,
      ...(who === 'admin' ? {} : { env: { WARDEN_TOKEN: tokens[who] } }),
    });
  const ok = async (who: keyof typeof tokens | 'admin', args: string[]): Promise<CliResult> => {
    const res = await as(who, args);
    expect(res.code, `warden ${args.join(' ')}\n${res.stdout}\n${res.stderr}`).toBe(0);
    return res;
  };
  /** A step of the workflow, run as the CI service token: must succeed, and is recorded. */
  const step = async (args: string[]): Promise<CliResult> => {
    ciSteps.push(args);
    return ok('ci', args);
  };
  const refused = async (who: keyof typeof tokens, args: string[], exit: number, code: string) => {
    const res = await as(who, args);
    expect(res.code, `warden ${args.join(' ')}\n${res.stdout}\n${res.stderr}`).toBe(exit);
    expect(res.stderr).toContain(`code: ${code}`);
    return res;
  };

  beforeAll(async () => {
    server = await startServer({ args: ['--config', config] });
    work = tempDir('warden-ci-');
  });
  afterAll(async () => {
    try {
      await server?.stop();
    } finally {
      await cleanup();
    }
  });

  it('the server runs with the example configuration: staging zero-touch, production two people', async () => {
    const staging = JSON.parse((await ok('admin', ['env', 'show', 'staging', '--json'])).stdout);
    expect(staging).toMatchObject({ approvals: 0, autoApply: true, selfApproval: false });
    const production = JSON.parse((await ok('admin', ['env', 'show', 'production', '--json'])).stdout);
    expect(production).toMatchObject({
      approvals: 2,
      selfApproval: false,
      autoApply: false,
      metrics: { accuracy: { min: 0.9 } },
      maxVulnSeverity: 'medium',
      requireVulnReport: true,
      requireDatasets: true,
      requireTrainingRun: true,
      requireSourceCommit: true,
    });
    expect(production.gates).toEqual(['signature', 'scan', 'metrics', 'provenance', 'vulnerabilities']);
    const names = JSON.parse((await ok('admin', ['env', 'list', '--json'])).stdout).map(
      (e: { name: string }) => e.name,
    );
    expect(names).toEqual(['staging', 'production']);
  });

  it('an admin sets up once: the CI token, two approvers, the trusted signer and the model', async () => {
    const issue = async (name: string, roles: string[]) => {
      const res = await ok('admin', [
        'token',
        'create',
        '--name',
        name,
        ...roles.flatMap((r) => ['--role', r]),
      ]);
      return res.stdout.trim();
    };
    tokens.ci = await issue('ci-iris', ['contributor', 'deployer']);
    tokens.alice = await issue('approver-alice', ['approver']);
    tokens.bob = await issue('approver-bob', ['approver']);
    for (const t of Object.values(tokens)) expect(t).toMatch(/^wdn_/);

    await warden(['keygen', '--out', path.join(work, 'release')]).then((r) =>
      expect(r.code, r.stderr).toBe(0),
    );
    const added = await ok('admin', [
      'signer',
      'add',
      'release',
      '--key',
      path.join(work, 'release.pub'),
      '--env',
      'staging',
      '--env',
      'production',
    ]);
    expect(added.stdout).toContain('environments: production, staging');
    await ok('admin', ['model', 'create', 'iris', '--owner', 'ml-team', '--description', 'Iris classifier']);
  });

  let digest = '';
  let version = 0;
  let productionRequest = '';

  it('CI: digest the data, sign, push with metrics and lineage, attach the vulnerability report', async () => {
    const dataset = (await step(['digest', 'examples/iris/data'])).stdout.trim();
    expect(dataset).toMatch(/^[0-9a-f]{64}$/);
    const signature = path.join(work, 'iris.sig');
    await step([
      'sign',
      'examples/iris/model',
      '--key',
      path.join(work, 'release.pem'),
      '--signature',
      signature,
    ]);
    const pushed = await step([
      'model',
      'push',
      'examples/iris/model',
      '--model',
      'iris',
      '--metrics',
      'examples/iris/model/metrics.json',
      '--params',
      'examples/iris/model/params.json',
      '--dataset',
      `sha256:${dataset}`,
      '--training-run',
      runId,
      '--source-commit',
      sha,
      '--signature',
      signature,
      '--json',
    ]);
    const v = JSON.parse(pushed.stdout);
    expect(v).toMatchObject({
      model: 'iris',
      number: 1,
      lineage: { datasetDigests: [`sha256:${dataset}`], trainingRun: runId, sourceCommit: sha },
      signedFor: ['production', 'staging'],
    });
    expect(v.metrics.accuracy).toBeGreaterThanOrEqual(0.9);
    version = v.number;
    digest = v.digest;

    const attested = await step([
      'attest',
      `iris@${version}`,
      '--type',
      'vuln-report',
      '--file',
      auditReport,
    ]);
    expect(attested.stdout).toContain(`to iris@${version}: 2 findings, max severity medium`);
  });

  it('CI: staging applies itself when the gates pass (approvals 0, autoApply)', async () => {
    const requested = await step([
      'deploy',
      'request',
      'staging',
      `iris@${version}`,
      '--reason',
      `CI run ${runId} (${sha})`,
      '--json',
    ]);
    const { request, deployment } = JSON.parse(requested.stdout);
    expect(request).toMatchObject({ state: 'applied', digest, approvalsNeeded: 0 });
    expect(deployment).toMatchObject({ action: 'applied', slot: 'stable', version, digest });

    const status = await step(['deploy', 'status', 'staging']);
    expect(status.stdout).toMatch(new RegExp(`^iris\\s+${version} \\(${digest.slice(7, 19)}\\)`, 'm'));
    const live = JSON.parse((await ok('ci', ['deploy', 'status', 'staging', '--json'])).stdout) as LiveJson;
    expect(live.models).toEqual([
      expect.objectContaining({ model: 'iris', stable: expect.objectContaining({ digest, version }) }),
    ]);
  });

  it('CI: production is requested and waits; apply is refused until the second distinct approval', async () => {
    const requested = await step([
      'deploy',
      'request',
      'production',
      `iris@${version}`,
      '--reason',
      `CI run ${runId} (${sha})`,
      '--json',
    ]);
    const { request, deployment } = JSON.parse(requested.stdout) as {
      request: RequestJson;
      deployment: unknown;
    };
    expect(deployment).toBeNull();
    expect(request).toMatchObject({ state: 'pending', digest, approvalsNeeded: 2, approvalsCounted: 0 });
    expect(request.gates.passed).toBe(true);
    expect(request.gates.gates.map((g) => [g.gate, g.passed])).toEqual([
      ['signature', true],
      ['scan', true],
      ['metrics', true],
      ['provenance', true],
      ['vulnerabilities', true],
    ]);
    productionRequest = request.id;
    const id = productionRequest;

    await refused('ci', ['deploy', 'apply', id], 4, 'deploy_approvals_missing');
    const first = await ok('alice', ['deploy', 'approve', id, '--reason', 'metrics and lineage reviewed']);
    expect(first.stdout).toMatch(/approvals:\s+1 of 2/);
    await refused('ci', ['deploy', 'apply', id], 4, 'deploy_approvals_missing');
    await refused(
      'alice',
      ['deploy', 'approve', id, '--reason', 'approving twice'],
      4,
      'deploy_already_decided',
    );
    // The pipeline's own token cannot approve what it requested: it has no approver role.
    await refused('ci', ['deploy', 'approve', id, '--reason', 'self-service'], 6, 'forbidden');
    await refused('ci', ['deploy', 'apply', id], 4, 'deploy_approvals_missing');
    const second = await ok('bob', ['deploy', 'approve', id, '--reason', 'vulnerability report reviewed']);
    expect(second.stdout).toMatch(/state:\s+approved/);
    expect(second.stdout).toMatch(/approvals:\s+2 of 2/);

    const live = JSON.parse(
      (await ok('ci', ['deploy', 'status', 'production', '--json'])).stdout,
    ) as LiveJson;
    expect(live.models).toEqual([]);
  });

  it('CI (production job): show, apply, status and history', async () => {
    const id = productionRequest;
    const shown = await step(['deploy', 'show', id]);
    expect(shown.stdout).toMatch(/state:\s+approved/);
    const applied = await step(['deploy', 'apply', id]);
    expect(applied.stdout).toContain(
      `production/iris: applied version ${version} (${digest.slice(7, 19)}) as stable`,
    );
    const status = await step(['deploy', 'status', 'production']);
    expect(status.stdout).toMatch(new RegExp(`^iris\\s+${version} \\(${digest.slice(7, 19)}\\)`, 'm'));
    const live = JSON.parse(
      (await ok('ci', ['deploy', 'status', 'production', '--json'])).stdout,
    ) as LiveJson;
    expect(live).toMatchObject({ environment: 'production', revision: 1 });
    expect(live.models).toEqual([
      expect.objectContaining({ model: 'iris', stable: expect.objectContaining({ digest, version }) }),
    ]);
    const history = await step(['deploy', 'history', 'production', '--model', 'iris', '--limit', '5']);
    const rows = history.stdout.trim().split('\n').slice(1);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(
      new RegExp(`\\sapplied\\s+stable\\s+${version}\\s+${digest.slice(7, 19)}\\s.*ci-iris.*${id}`),
    );

    await refused('ci', ['deploy', 'apply', id], 4, 'deploy_request_closed');
  });

  it('the audit log verifies and records both applies, the automatic one and the approved one', async () => {
    await ok('admin', ['audit', 'verify']);
    const applies = JSON.parse(
      (await ok('admin', ['audit', 'list', '--action', 'deploy:apply', '--order', 'asc', '--json'])).stdout,
    ).items as { resource: string; actorName: string; details: Record<string, unknown> }[];
    expect(applies.map((e) => [e.resource, e.actorName, e.details.automatic, e.details.digest])).toEqual([
      ['deployment:staging/iris', 'ci-iris', true, digest],
      ['deployment:production/iris', 'ci-iris', false, digest],
    ]);
    const decisions = JSON.parse(
      (await ok('admin', ['audit', 'list', '--action', 'deploy:approve', '--order', 'asc', '--json'])).stdout,
    ).items as { actorName: string; outcome: string; details?: { approvals?: number } }[];
    // The CI token's attempt is there too, denied; the second approval by alice never reached the log's
    // success entries (deploy_already_decided is refused before anything is written).
    expect(decisions.map((e) => [e.actorName, e.outcome, e.details?.approvals])).toEqual([
      ['approver-alice', 'success', 1],
      ['ci-iris', 'denied', undefined],
      ['approver-bob', 'success', 2],
    ]);
  });

  it('runs exactly the warden commands of examples/ci/deploy-model.yml, in its order', () => {
    const expected = workflowWardenCommands(workflow);
    expect(expected.length).toBeGreaterThan(0);
    expect(
      ciSteps.map((args) => args.join(' ')),
      `the workflow runs:\n${expected.map(showInvocation).join('\n')}`,
    ).toHaveLength(expected.length);
    expected.forEach((pattern, i) => {
      const args = ciSteps[i] as string[];
      expect(
        matchesInvocation(pattern, args),
        `step ${i + 1}: warden ${args.join(' ')}\n  vs ${showInvocation(pattern)}`,
      ).toBe(true);
    });

    // Every command and option the workflow uses exists in the CLI, so it cannot name a retired one.
    const program = buildProgram(memoryCtx(repoRoot).ctx);
    for (const pattern of expected) {
      const words = pattern.map((w) => w.text);
      const { command, path: names } = commandOf(program, words);
      expect(names.length, showInvocation(pattern)).toBeGreaterThan(0);
      expect(command.commands, `${showInvocation(pattern)} names no command`).toEqual([]);
      for (const flag of words.filter((w) => w.startsWith('--')).map((w) => w.split('=')[0] as string))
        expect(
          command.options.some((o) => o.long === flag),
          `${showInvocation(pattern)}: ${flag} is not an option of warden ${names.join(' ')}`,
        ).toBe(true);
    }
  });

  it('reads the workflow the way a shell would (the structural check itself)', () => {
    expect(
      runScripts(
        'jobs:\n  a:\n    steps:\n      - run: warden env list\n      - name: x\n        run: |\n          a=1\n          warden deploy status \\\n            staging\n      - run: echo\n',
      ),
    ).toEqual(['warden env list', 'a=1\nwarden deploy status \\\n  staging\n', 'echo']);
    const read = (script: string) => wardenInvocations(script).map(showInvocation);
    expect(read('v=$(warden model push m --json | jq -r .number)')).toEqual(['warden model push m --json']);
    expect(read('warden attest "iris@$V" --file "$T/a.json" > out.txt || true')).toEqual([
      'warden attest * --file *',
    ]);
    expect(
      read(
        'echo "run warden deploy approve $id" # warden deploy apply\nif ! warden deploy show x; then exit 1; fi',
      ),
    ).toEqual(['warden deploy show x']);
    expect(read("echo 'warden deploy approve' && FOO=1 warden env list")).toEqual(['warden env list']);
  });
});
