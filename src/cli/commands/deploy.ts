import type {
  DeploymentView,
  EnvironmentView,
  GateResult,
  LiveView,
  RequestView,
} from '../../modules/deploy/index.js';
import type { ModelStatus } from '../../modules/gateway/index.js';
import type { Page } from '../../modules/registry/index.js';
import { splitModelRef } from '../../modules/registry/index.js';
import { actorLabel } from '../actor-label.js';
import { type ApiClient, seg } from '../api-client.js';
import { deployCheckFailed, modelRefRequired } from '../cli-errors.js';
import { type CliContext, type ClientOptions, clientFor } from '../context.js';
import { printFields, printJson, printTable, shortDigest } from '../output.js';

const api = '/api/v1';
type Reason = { reason?: string };

function target(text: string): { model: string; version: string | number } {
  const { model, ref } = splitModelRef(text);
  if (!ref) throw modelRefRequired(text);
  return { model, version: /^\d+$/.test(ref) ? Number(ref) : ref };
}

function printGates(ctx: CliContext, gates: GateResult): void {
  printTable(
    ctx.io,
    ['GATE', 'VERDICT', 'POLICIES', 'WHY'],
    gates.gates.map((g) => [
      g.gate,
      g.passed ? 'pass' : 'FAIL',
      g.policies.join(', '),
      g.errors.length ? g.errors.join('; ') : summarize(g.gate, g.evidence),
    ]),
  );
}

/** One line of evidence per built-in gate, as an operator reads it. */
function summarize(gate: string, e: Record<string, unknown>): string {
  switch (gate) {
    case 'signature':
      return `signed for: ${(e.signedFor as string[]).join(', ') || 'nothing'}`;
    case 'scan':
      return `scan severity ${e.severity} (allowed up to ${e.maxAllowed})`;
    case 'metrics': {
      const t = e.thresholds as {
        metric: string;
        value: number | null;
        min?: number;
        max?: number;
        ok: boolean;
      }[];
      return t.length
        ? t
            .map(
              (m) =>
                `${m.metric}=${m.value ?? 'missing'}${m.min !== undefined ? ` ≥${m.min}` : ''}${m.max !== undefined ? ` ≤${m.max}` : ''}`,
            )
            .join(', ')
        : 'no thresholds';
    }
    case 'provenance':
      return `datasets ${e.datasets}, run ${e.trainingRun ?? '-'}, commit ${e.sourceCommit ?? '-'}`;
    case 'vulnerabilities':
      return `${e.reports} report(s), ${e.findings} finding(s), worst ${e.severity} (allowed up to ${e.maxAllowed})`;
    default:
      return '';
  }
}

function printRequest(ctx: CliContext, r: RequestView): void {
  printFields(ctx.io, [
    ['request', r.id],
    ['target', `${r.environment}/${r.model} (${r.slot}${r.percent !== null ? ` ${r.percent}%` : ''})`],
    ['version', `${r.version} (${r.digest})`],
    ['state', r.state],
    ['approvals', `${r.approvalsCounted} of ${r.approvalsNeeded}`],
    ['requested by', actorLabel(r.requestedBy, r.requestedByName)],
    ['expires', r.expiresAt],
    ...(r.closedReason ? ([['closed', r.closedReason]] as [string, string][]) : []),
  ]);
  for (const a of r.approvals)
    ctx.io.stdout.write(
      `  ${a.decision === 'approve' ? 'approved' : 'rejected'} by ${actorLabel(a.approver, a.approverName)}: ${a.reason}${a.ignored ? ` (does not count: ${a.ignored})` : ''}\n`,
    );
}

const deploymentLine = (d: DeploymentView) =>
  `${d.environment}/${d.model}: ${d.action} version ${d.version} (${shortDigest(d.digest)}) as ${d.slot}, revision ${d.revision}`;

export async function envList(ctx: CliContext, options: ClientOptions): Promise<void> {
  const envs = await clientFor(ctx, options).json<EnvironmentView[]>('GET', `${api}/environments`);
  if (options.json) return printJson(ctx.io, envs);
  printTable(
    ctx.io,
    ['ENVIRONMENT', 'APPROVALS', 'SELF-APPROVAL', 'AUTO-APPLY', 'GATES'],
    envs.map((e) => [
      e.name,
      e.approvals,
      e.selfApproval ? 'yes' : 'no',
      e.autoApply ? 'yes' : 'no',
      e.gates.join(','),
    ]),
  );
}

export async function envShow(ctx: CliContext, name: string, options: ClientOptions): Promise<void> {
  const e = await clientFor(ctx, options).json<EnvironmentView>('GET', `${api}/environments/${seg(name)}`);
  if (options.json) return printJson(ctx.io, e);
  printFields(ctx.io, [
    ['environment', e.name],
    ['approvals', e.approvals],
    ['self-approval', e.selfApproval ? 'allowed' : 'never'],
    ['approval lifetime', `${e.approvalTtlSeconds} s`],
    ['request lifetime', `${e.requestTtlSeconds} s`],
    ['auto-apply', e.autoApply ? 'yes (when the gates pass and no approval is needed)' : 'no'],
    ['gates', e.gates.join(', ')],
    ['scan severity allowed', e.maxScanSeverity],
    ['vulnerability severity allowed', e.maxVulnSeverity],
    ['vulnerability report required', e.requireVulnReport ? 'yes' : 'no'],
    [
      'metric thresholds',
      Object.entries(e.metrics)
        .map(
          ([m, t]) =>
            `${m}${t.min !== undefined ? ` ≥ ${t.min}` : ''}${t.max !== undefined ? ` ≤ ${t.max}` : ''}`,
        )
        .join(', '),
    ],
    [
      'provenance required',
      [
        e.requireDatasets && 'datasets',
        e.requireTrainingRun && 'training run',
        e.requireSourceCommit && 'source commit',
      ]
        .filter(Boolean)
        .join(', '),
    ],
  ]);
}

export async function deployCheck(
  ctx: CliContext,
  env: string,
  ref: string,
  options: ClientOptions,
): Promise<void> {
  const result = await clientFor(ctx, options).json<{ version: number; digest: string; gates: GateResult }>(
    'POST',
    `${api}/environments/${seg(env)}/check`,
    target(ref),
  );
  if (options.json) printJson(ctx.io, result);
  else {
    ctx.io.stdout.write(`${ref} → version ${result.version} (${result.digest}) in ${env}\n`);
    printGates(ctx, result.gates);
  }
  const failed = result.gates.gates.filter((g) => !g.passed).map((g) => g.gate);
  if (failed.length > 0) throw deployCheckFailed(env, failed);
}

export async function deployRequest(
  ctx: CliContext,
  env: string,
  ref: string,
  options: ClientOptions & Reason & { slot?: 'stable' | 'canary' | 'shadow'; percent?: string },
): Promise<void> {
  const body: Record<string, unknown> = { ...target(ref), slot: options.slot ?? 'stable' };
  if (options.percent !== undefined) body.percent = Number(options.percent);
  if (options.reason) body.reason = options.reason;
  const result = await clientFor(ctx, options).json<{
    request: RequestView;
    deployment: DeploymentView | null;
  }>('POST', `${api}/environments/${seg(env)}/requests`, body);
  if (options.json) return printJson(ctx.io, result);
  printRequest(ctx, result.request);
  if (result.deployment)
    ctx.io.stdout.write(`${deploymentLine(result.deployment)} (applied automatically)\n`);
  else if (result.request.state === 'pending')
    ctx.io.stdout.write(
      `Waiting for ${result.request.approvalsNeeded} approval(s): warden deploy approve ${result.request.id} --reason …\n`,
    );
  else ctx.io.stdout.write(`Approved; apply with: warden deploy apply ${result.request.id}\n`);
}

export async function deployDecide(
  ctx: CliContext,
  verb: 'approve' | 'reject' | 'cancel',
  id: string,
  options: ClientOptions & Reason,
): Promise<void> {
  const r = await clientFor(ctx, options).json<RequestView>(
    'POST',
    `${api}/deploy-requests/${seg(id)}/${verb}`,
    options.reason ? { reason: options.reason } : {},
  );
  if (options.json) return printJson(ctx.io, r);
  printRequest(ctx, r);
}

export async function deployApply(ctx: CliContext, id: string, options: ClientOptions): Promise<void> {
  const d = await clientFor(ctx, options).json<DeploymentView>(
    'POST',
    `${api}/deploy-requests/${seg(id)}/apply`,
  );
  if (options.json) return printJson(ctx.io, d);
  ctx.io.stdout.write(`${deploymentLine(d)}\n`);
}

export async function deployShow(ctx: CliContext, id: string, options: ClientOptions): Promise<void> {
  const r = await clientFor(ctx, options).json<RequestView>('GET', `${api}/deploy-requests/${seg(id)}`);
  if (options.json) return printJson(ctx.io, r);
  printRequest(ctx, r);
  printGates(ctx, r.gates);
}

export async function deployRequests(
  ctx: CliContext,
  env: string,
  options: ClientOptions & { model?: string; state?: string; limit?: string },
): Promise<void> {
  const query = new URLSearchParams({ limit: options.limit ?? '50' });
  if (options.model) query.set('model', options.model);
  if (options.state) query.set('state', options.state);
  const page = await clientFor(ctx, options).json<Page<RequestView>>(
    'GET',
    `${api}/environments/${seg(env)}/requests?${query}`,
  );
  if (options.json) return printJson(ctx.io, page);
  printTable(
    ctx.io,
    ['REQUEST', 'MODEL', 'VERSION', 'SLOT', 'STATE', 'APPROVALS', 'BY', 'CREATED'],
    page.items.map((r) => [
      r.id,
      r.model,
      r.version,
      r.percent !== null ? `${r.slot} ${r.percent}%` : r.slot,
      r.state,
      `${r.approvalsCounted}/${r.approvalsNeeded}`,
      actorLabel(r.requestedBy, r.requestedByName),
      r.createdAt,
    ]),
  );
}

type ServingView = { environment: string; ready: boolean; revision: number; models: ModelStatus[] };

/** What the server's own gateway serves of `env`; null when its gateway serves another environment. */
async function servingOf(client: ApiClient, env: string): Promise<ServingView | null> {
  try {
    return await client.json<ServingView>('GET', `${api}/environments/${seg(env)}/serving`);
  } catch (err) {
    if ((err as { kind?: string }).kind === 'not_found') return null;
    throw err;
  }
}

function gatewayCell(status: ModelStatus | undefined): string {
  if (!status) return 'not loaded';
  const parts = [];
  if (status.stable?.loaded) parts.push(`serving ${status.stable.version}`);
  if (status.candidate?.loaded) parts.push(`${status.candidate.mode} ${status.candidate.version}`);
  if (status.candidate && !status.candidate.loaded)
    parts.push(`${status.candidate.mode} ${status.candidate.version} REFUSED`);
  if (status.refused) parts.push(`${status.refused.version} REFUSED`);
  return parts.join(', ') || 'not loaded';
}

export async function deployStatus(ctx: CliContext, env: string, options: ClientOptions): Promise<void> {
  const client = clientFor(ctx, options);
  const live = await client.json<LiveView>('GET', `${api}/environments/${seg(env)}/live`);
  const serving = await servingOf(client, env);
  if (options.json) return printJson(ctx.io, serving ? { ...live, serving } : live);
  ctx.io.stdout.write(`${live.environment}: revision ${live.revision}\n`);
  const byName = new Map(serving?.models.map((m) => [m.name, m]));
  printTable(
    ctx.io,
    ['MODEL', 'STABLE', 'CANARY/SHADOW', 'SINCE', ...(serving ? ['GATEWAY'] : [])],
    live.models.map((m) => [
      m.model,
      m.stable ? `${m.stable.version} (${shortDigest(m.stable.digest)})` : null,
      m.candidate
        ? `${m.candidate.mode} ${m.candidate.percent}%: ${m.candidate.version} (${shortDigest(m.candidate.digest)})`
        : null,
      m.updatedAt,
      ...(serving ? [gatewayCell(byName.get(m.model))] : []),
    ]),
  );
  // Why a version is not served: the check that refused it, in the gateway's words.
  for (const m of serving?.models ?? [])
    for (const slot of [m.refused, m.candidate?.loaded === false ? m.candidate : null])
      if (slot?.failure)
        ctx.io.stdout.write(
          `${m.name} version ${slot.version} refused by the gateway (${slot.failure.check}): ${slot.failure.reason}\n`,
        );
}

export async function deployHistory(
  ctx: CliContext,
  env: string,
  options: ClientOptions & { model: string; limit?: string },
): Promise<void> {
  const page = await clientFor(ctx, options).json<Page<DeploymentView>>(
    'GET',
    `${api}/environments/${seg(env)}/models/${seg(options.model)}/history?limit=${encodeURIComponent(options.limit ?? '50')}`,
  );
  if (options.json) return printJson(ctx.io, page);
  printTable(
    ctx.io,
    ['WHEN', 'ACTION', 'SLOT', 'VERSION', 'DIGEST', 'BY', 'REQUESTED BY', 'APPROVED BY', 'REQUEST', 'REASON'],
    page.items.map((d) => [
      d.at,
      d.action,
      d.percent !== null ? `${d.slot} ${d.percent}%` : d.slot,
      d.version,
      shortDigest(d.digest),
      actorLabel(d.actor, d.actorName),
      d.requestedBy ? actorLabel(d.requestedBy.id, d.requestedBy.name) : null,
      d.approvedBy.map((a) => actorLabel(a.id, a.name)).join(', '),
      d.request,
      d.reason,
    ]),
  );
}

export async function deployTargetAction(
  ctx: CliContext,
  verb: 'promote' | 'abort' | 'rollback',
  env: string,
  options: ClientOptions & Reason & { model: string },
): Promise<void> {
  const d = await clientFor(ctx, options).json<DeploymentView>(
    'POST',
    `${api}/environments/${seg(env)}/models/${seg(options.model)}/${verb}`,
    options.reason ? { reason: options.reason } : {},
  );
  if (options.json) return printJson(ctx.io, d);
  ctx.io.stdout.write(`${deploymentLine(d)}\n`);
}
