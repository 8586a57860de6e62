import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { GuardPolicyView } from '../../modules/gateway/index.js';
import { seg } from '../api-client.js';
import { badOptionValue } from '../cli-errors.js';
import { type CliContext, type ClientOptions, clientFor } from '../context.js';
import { printFields, printJson, printTable } from '../output.js';

const guards = ['rateLimit', 'screening', 'redaction', 'coarsening', 'extraction'] as const;

export interface GuardTargetOptions extends ClientOptions {
  env: string;
  model: string;
}

export interface GuardSetOptions extends GuardTargetOptions {
  /** A JSON policy document (replaces the stored one; flags are laid over it). */
  file?: string;
  off?: string[];
  on?: string[];
  screeningMode?: string;
  decimals?: string;
  reason?: string;
}

const target = (o: GuardTargetOptions) => `/api/v1/environments/${seg(o.env)}/models/${seg(o.model)}/guards`;

function printView(ctx: CliContext, view: GuardPolicyView): void {
  const p = view.policy;
  printFields(ctx.io, [
    ['Deployment', `${view.environment}/${view.model}`],
    ['Revision', view.revision === 0 ? '0 (defaults)' : view.revision],
    ['Set', view.setAt ? `${view.setAt} by ${view.setByName ?? view.setBy}` : null],
    ['Reason', view.reason],
    ['Overridden', view.overridden.length > 0 ? view.overridden.join(', ') : 'nothing (defaults)'],
  ]);
  ctx.io.stdout.write('\n');
  printTable(
    ctx.io,
    ['GUARD', 'ON', 'SETTINGS'],
    guards.map((g) => {
      const section = p[g] as { enabled: boolean; config?: unknown };
      const settings =
        g === 'rateLimit'
          ? { perPrincipal: p.rateLimit.perPrincipal, perAddress: p.rateLimit.perAddress }
          : (section.config ?? {});
      return [g, section.enabled ? 'yes' : 'NO', JSON.stringify(settings)];
    }),
  );
}

export async function guardsShow(ctx: CliContext, options: GuardTargetOptions): Promise<void> {
  const view = await clientFor(ctx, options).json<GuardPolicyView>('GET', target(options));
  if (options.json) return printJson(ctx.io, view);
  printView(ctx, view);
}

/** The document to send: the file (or the stored document, when no file), with the flags laid over it. */
async function documentOf(ctx: CliContext, options: GuardSetOptions): Promise<Record<string, unknown>> {
  let doc: Record<string, Record<string, unknown>>;
  if (options.file !== undefined) {
    let text: string;
    try {
      text = await readFile(path.resolve(ctx.cwd, options.file), 'utf8');
    } catch (err) {
      throw badOptionValue('--file', `cannot read ${options.file}: ${(err as NodeJS.ErrnoException).code}`);
    }
    try {
      doc = JSON.parse(text);
    } catch (err) {
      throw badOptionValue('--file', `${options.file} is not JSON: ${(err as Error).message}`);
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
      throw badOptionValue('--file', `${options.file} must hold a JSON object`);
  } else {
    doc = (await clientFor(ctx, options).json<GuardPolicyView>('GET', target(options))).document as never;
  }
  const section = (name: string) => {
    const current = doc[name];
    doc[name] = typeof current === 'object' && current !== null ? current : {};
    return doc[name] as Record<string, unknown>;
  };
  const config = (name: string) => {
    const s = section(name);
    s.config = typeof s.config === 'object' && s.config !== null ? s.config : {};
    return s.config as Record<string, unknown>;
  };
  for (const [flag, names, enabled] of [
    ['--off', options.off ?? [], false],
    ['--on', options.on ?? [], true],
  ] as const)
    for (const name of names.flatMap((n) => n.split(',')).map((n) => n.trim())) {
      if (!(guards as readonly string[]).includes(name))
        throw badOptionValue(flag, `"${name}" is not a guard (${guards.join(', ')})`);
      section(name).enabled = enabled;
    }
  if (options.screeningMode !== undefined) {
    if (options.screeningMode !== 'enforce' && options.screeningMode !== 'monitor')
      throw badOptionValue('--screening-mode', 'must be enforce or monitor');
    config('screening').mode = options.screeningMode;
  }
  if (options.decimals !== undefined) {
    const n = Number(options.decimals);
    if (!Number.isInteger(n) || n < 0 || n > 6)
      throw badOptionValue('--decimals', 'must be a whole number 0–6');
    config('coarsening').decimals = n;
  }
  return doc;
}

/** Replaces the deployment's policy (the server checks it; turning a guard off needs --reason). */
export async function guardsSet(ctx: CliContext, options: GuardSetOptions): Promise<void> {
  const policy = await documentOf(ctx, options);
  const view = await clientFor(ctx, options).json<GuardPolicyView>('PUT', target(options), {
    policy,
    ...(options.reason !== undefined ? { reason: options.reason } : {}),
  });
  if (options.json) return printJson(ctx.io, view);
  ctx.io.stderr.write(
    `Guard policy of ${view.environment}/${view.model} is now revision ${view.revision}.\n`,
  );
  printView(ctx, view);
}

export async function guardsReset(
  ctx: CliContext,
  options: GuardTargetOptions & { reason?: string },
): Promise<void> {
  const view = await clientFor(ctx, options).json<GuardPolicyView>(
    'DELETE',
    target(options),
    options.reason !== undefined ? { reason: options.reason } : {},
  );
  if (options.json) return printJson(ctx.io, view);
  ctx.io.stderr.write(
    `Guard policy of ${view.environment}/${view.model} reset to the defaults (revision ${view.revision}).\n`,
  );
  printView(ctx, view);
}

export async function guardsAlerts(ctx: CliContext, options: GuardTargetOptions): Promise<void> {
  const page = await clientFor(ctx, options).json<{
    items: {
      principal: string;
      state: string;
      stage: number;
      rateFactor: number;
      signals: string[];
      since: string;
    }[];
  }>('GET', `${target(options)}/alerts`);
  if (options.json) return printJson(ctx.io, page);
  printTable(
    ctx.io,
    ['PRINCIPAL', 'STATE', 'STAGE', 'RATE', 'SIGNALS', 'SINCE'],
    page.items.map((a) => [a.principal, a.state, a.stage, a.rateFactor, a.signals.join(','), a.since]),
  );
}
