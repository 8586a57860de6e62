import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DriftTestOptions, MonitorPolicyView } from '../../modules/monitor/index.js';
import { seg } from '../api-client.js';
import { badOptionValue } from '../cli-errors.js';
import { type CliContext, type ClientOptions, clientFor } from '../context.js';
import { printFields, printJson, printTable } from '../output.js';

export interface MonitorPolicyTarget extends ClientOptions {
  env: string;
  model: string;
}

export interface MonitorPolicySetOptions extends MonitorPolicyTarget {
  /** A JSON policy document, or `-` for standard input. */
  file: string;
  reason?: string;
}

/** A policy document is small; a larger input is a mistake (a wrong file), not a policy. */
const maxDocumentBytes = 1024 * 1024;

const target = (o: MonitorPolicyTarget) =>
  `/api/v1/environments/${seg(o.env)}/deployments/${seg(o.model)}/monitor-policy`;

const setOrDefault = (set: boolean) => (set ? 'policy' : 'default');

function printView(ctx: CliContext, view: MonitorPolicyView): void {
  const doc = view.document;
  printFields(ctx.io, [
    ['Deployment', `${view.environment}/${view.model}`],
    ['Revision', view.revision === 0 ? '0 (defaults)' : view.revision],
    ['Set', view.setAt ? `${view.setAt} by ${view.setByName ?? view.setBy}` : null],
    ['Reason', view.reason],
    ['Document', Object.keys(doc).length > 0 ? JSON.stringify(doc) : 'nothing (defaults)'],
  ]);
  ctx.io.stdout.write('\n');
  printTable(
    ctx.io,
    ['DETECTOR', 'THRESHOLD', 'FROM'],
    Object.entries(view.policy.thresholds).map(([name, value]) => [
      name,
      value,
      setOrDefault(doc.thresholds !== undefined && name in doc.thresholds),
    ]),
  );
  ctx.io.stdout.write('\n');
  printTable(
    ctx.io,
    ['RULE', 'ON', 'SEVERITY', 'FOR', 'RESOLVE AFTER', 'FROM'],
    Object.entries(view.policy.rules).map(([name, r]) => [
      name,
      r.enabled ? 'yes' : 'NO',
      r.severity,
      r.forWindows,
      r.resolveAfter,
      setOrDefault(doc.rules !== undefined && name in doc.rules),
    ]),
  );
  ctx.io.stdout.write('\n');
  const drift = view.policy.drift;
  const row = (scope: string, o: DriftTestOptions | undefined) => [
    scope,
    o?.test ?? 'default',
    o?.threshold ?? 'default',
  ];
  printTable(
    ctx.io,
    ['DRIFT', 'TEST', 'THRESHOLD'],
    [
      row('every column', drift),
      row('numeric', drift.numeric),
      row('categorical', drift.categorical),
      ...Object.entries(drift.columns ?? {}).map(([column, o]) => row(`column ${column}`, o)),
    ],
  );
}

function printWarnings(ctx: CliContext, view: MonitorPolicyView): void {
  for (const w of view.warnings) ctx.io.stderr.write(`warning: ${w.path}: ${w.message}\n`);
}

export async function monitorPolicyShow(ctx: CliContext, options: MonitorPolicyTarget): Promise<void> {
  const view = await clientFor(ctx, options).json<MonitorPolicyView>('GET', target(options));
  if (options.json) return printJson(ctx.io, view);
  printView(ctx, view);
}

async function readStdin(ctx: CliContext): Promise<string> {
  if (!ctx.stdin) throw badOptionValue('FILE', 'no standard input to read - from');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > maxDocumentBytes) throw badOptionValue('FILE', 'standard input holds more than 1 MiB');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The policy document: the file's (or standard input's) JSON object, sent as it is for the server to check. */
async function documentOf(ctx: CliContext, file: string): Promise<Record<string, unknown>> {
  const name = file === '-' ? 'standard input' : file;
  let text: string;
  if (file === '-') text = await readStdin(ctx);
  else
    try {
      text = await readFile(path.resolve(ctx.cwd, file), 'utf8');
    } catch (err) {
      throw badOptionValue('FILE', `cannot read ${file}: ${(err as NodeJS.ErrnoException).code}`);
    }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw badOptionValue('FILE', `${name} is not JSON: ${(err as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw badOptionValue('FILE', `${name} must hold a JSON object (the policy document)`);
  return doc as Record<string, unknown>;
}

/** Replaces the deployment's monitor policy (the server checks every field); warnings go to stderr. */
export async function monitorPolicySet(ctx: CliContext, options: MonitorPolicySetOptions): Promise<void> {
  const policy = await documentOf(ctx, options.file);
  const view = await clientFor(ctx, options).json<MonitorPolicyView>('PUT', target(options), {
    policy,
    ...(options.reason !== undefined ? { reason: options.reason } : {}),
  });
  if (options.json) return printJson(ctx.io, view);
  ctx.io.stderr.write(
    `Monitor policy of ${view.environment}/${view.model} is now revision ${view.revision}.\n`,
  );
  printWarnings(ctx, view);
  printView(ctx, view);
}

export async function monitorPolicyReset(
  ctx: CliContext,
  options: MonitorPolicyTarget & { reason?: string },
): Promise<void> {
  const view = await clientFor(ctx, options).json<MonitorPolicyView>(
    'DELETE',
    target(options),
    options.reason !== undefined ? { reason: options.reason } : {},
  );
  if (options.json) return printJson(ctx.io, view);
  ctx.io.stderr.write(
    `Monitor policy of ${view.environment}/${view.model} reset to the defaults (revision ${view.revision}).\n`,
  );
  printView(ctx, view);
}
