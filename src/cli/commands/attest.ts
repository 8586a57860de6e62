import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  type AttestationDetailView,
  type AttestationView,
  attestationErrors,
  attestationTypes,
  readVulnReportText,
  type VulnSummary,
  vulnReportLimits,
} from '../../modules/attestations/index.js';
import { splitModelRef } from '../../modules/registry/index.js';
import { actorLabel } from '../actor-label.js';
import { seg } from '../api-client.js';
import { badOptionValue } from '../cli-errors.js';
import { type CliContext, type ClientOptions, clientFor } from '../context.js';
import { printFields, printJson, printTable } from '../output.js';

export interface AttestOptions extends ClientOptions {
  type: string;
  file: string;
  format?: string;
}

/** A file larger than this is not read: even pretty-printed, its report could not fit the server's limit. */
const maxFileBytes = 4 * vulnReportLimits.maxBytes;

const versionOf = (target: string) => {
  const { model, ref } = splitModelRef(target);
  if (!ref) throw badOptionValue(target, 'name the version: NAME@VERSION, NAME@ALIAS or NAME@sha256:…');
  return { model, ref, path: `/api/v1/models/${seg(model)}/versions/${seg(ref)}/attestations` };
};

/** "12 findings, max high (critical 0, high 4, medium 6, low 2)". */
export function describeSummary(s: VulnSummary): string {
  const counts = `critical ${s.counts.critical}, high ${s.counts.high}, medium ${s.counts.medium}, low ${s.counts.low}`;
  return `${s.findings} finding${s.findings === 1 ? '' : 's'}, max severity ${s.maxSeverity} (${counts})`;
}

/** Reads the report file, parses it here (so a file that is not JSON never leaves) and sends it compact. */
async function readReport(ctx: CliContext, file: string, format: string | undefined): Promise<unknown> {
  const where = path.resolve(ctx.cwd, file);
  let size: number;
  try {
    const info = await stat(where);
    if (!info.isFile()) throw attestationErrors.vulnReportFileNotFound(file);
    size = info.size;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw attestationErrors.vulnReportFileNotFound(file);
    throw err;
  }
  if (size > maxFileBytes) throw attestationErrors.vulnReportTooLarge(vulnReportLimits.maxBytes);
  const report = readVulnReportText(await readFile(where, 'utf8'), format);
  if (Buffer.byteLength(JSON.stringify(report) ?? '') > vulnReportLimits.maxBytes)
    throw attestationErrors.vulnReportTooLarge(vulnReportLimits.maxBytes);
  return report;
}

/** `warden attest NAME@REF --type vuln-report --file report.json [--format F]`. */
export async function attestAdd(ctx: CliContext, target: string, options: AttestOptions): Promise<void> {
  const version = versionOf(target);
  if (!(attestationTypes as readonly string[]).includes(options.type))
    throw attestationErrors.attestationTypeUnsupported(options.type);
  const report = await readReport(ctx, options.file, options.format);
  const view = await clientFor(ctx, options).json<AttestationView>('POST', version.path, {
    type: options.type,
    ...(options.format !== undefined ? { format: options.format } : {}),
    report,
  });
  if (options.json) return printJson(ctx.io, view);
  ctx.io.stdout.write(
    `Attached ${view.type} ${view.id} (${view.summary.tool}) to ${view.model}@${view.version}: ${describeSummary(view.summary)}\n`,
  );
}

/** `warden attest list NAME@REF`: the version's attestations, oldest first. */
export async function attestList(ctx: CliContext, target: string, options: ClientOptions): Promise<void> {
  const version = versionOf(target);
  const views = await clientFor(ctx, options).json<AttestationView[]>('GET', version.path);
  if (options.json) return printJson(ctx.io, views);
  if (views.length === 0) {
    ctx.io.stdout.write(`${version.model}@${version.ref} has no attestations\n`);
    return;
  }
  printTable(
    ctx.io,
    ['ID', 'TYPE', 'TOOL', 'FINDINGS', 'MAX', 'CRIT', 'HIGH', 'MED', 'LOW', 'ATTACHED'],
    views.map((v) => [
      v.id,
      v.type,
      v.summary.tool,
      v.summary.findings,
      v.summary.maxSeverity,
      v.summary.counts.critical,
      v.summary.counts.high,
      v.summary.counts.medium,
      v.summary.counts.low,
      `${v.createdAt} by ${actorLabel(v.createdBy, v.createdByName)}`,
    ]),
  );
}

/** `warden attest show NAME@REF ID`: one attestation; `--json` includes the report itself. */
export async function attestShow(
  ctx: CliContext,
  target: string,
  id: string,
  options: ClientOptions,
): Promise<void> {
  const version = versionOf(target);
  const view = await clientFor(ctx, options).json<AttestationDetailView>('GET', `${version.path}/${seg(id)}`);
  if (options.json) return printJson(ctx.io, view);
  printFields(ctx.io, [
    ['attestation', view.id],
    ['version', `${view.model}@${view.version} (${view.versionDigest})`],
    ['type', view.type],
    ['format', view.format],
    ['tool', view.summary.tool],
    ['findings', describeSummary(view.summary)],
    ['ids', view.summary.ids.join(' ')],
    ['digest', view.digest],
    ['attached', `${view.createdAt} by ${actorLabel(view.createdBy, view.createdByName)}`],
  ]);
}
