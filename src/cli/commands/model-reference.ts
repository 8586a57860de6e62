import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { datasetFormat, parseRoleOverrides, type ReferenceView } from '../../modules/monitor/index.js';
import { AppError } from '../../platform/errors.js';
import { seg } from '../api-client.js';
import { badOptionValue } from '../cli-errors.js';
import { type CliContext, type ClientOptions, clientFor } from '../context.js';
import { humanBytes, printJson, printTable } from '../output.js';
import { writeHashedStream } from '../write-hashed-stream.js';

export interface ReferenceSetOptions extends ClientOptions {
  /** `col=role`, repeatable. */
  role?: string[];
  /** `col=tensor[:index]`, repeatable. */
  source?: string[];
  format?: string;
}

const contentTypes = {
  csv: 'text/csv',
  jsonl: 'application/x-ndjson',
  parquet: 'application/vnd.apache.parquet',
};
const base = (model: string, version: string) =>
  `/api/v1/models/${seg(model)}/versions/${seg(version)}/reference`;

/** Streams a dataset file to a version as its reference (roles checked here first, as the server parses them). */
export async function referenceSet(
  ctx: CliContext,
  model: string,
  version: string,
  file: string,
  options: ReferenceSetOptions,
  print = true,
): Promise<ReferenceView> {
  const roles = options.role?.length ? options.role.join(',') : undefined;
  const sources = options.source?.length ? options.source.join(',') : undefined;
  parseRoleOverrides(roles, sources);
  const format = datasetFormat({ ...(options.format ? { format: options.format } : {}), fileName: file });
  const full = path.resolve(ctx.cwd, file);
  const info = await stat(full).catch(() => null);
  if (!info?.isFile()) throw badOptionValue('reference', `${file} is not a readable file`);
  const query = new URLSearchParams({ format });
  if (roles) query.set('roles', roles);
  if (sources) query.set('sources', sources);
  const view = await clientFor(ctx, options).upload<ReferenceView>(
    `${base(model, version)}?${query}`,
    createReadStream(full, { highWaterMark: 1024 * 1024 }),
    { 'content-type': contentTypes[format], 'content-length': String(info.size) },
    'PUT',
  );
  if (print && options.json) printJson(ctx.io, view);
  else if (print) printReference(ctx, view);
  return view;
}

/** After a push: attaches the reference, and on failure says the version is pushed and how to retry. */
export async function attachAfterPush(
  ctx: CliContext,
  pushed: { model: string; number: number },
  file: string,
  options: ReferenceSetOptions,
): Promise<ReferenceView> {
  try {
    return await referenceSet(ctx, pushed.model, String(pushed.number), file, options, false);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const retry = `warden model reference set ${pushed.model} ${pushed.number} ${file}`;
    throw new AppError(
      err.code,
      err.kind,
      `Version ${pushed.number} of "${pushed.model}" was pushed, but its reference was not attached: ${err.message} Retry with: ${retry}`,
      { ...err.details, pushedVersion: pushed.number },
    );
  }
}

function printReference(ctx: CliContext, v: ReferenceView): void {
  ctx.io.stdout.write(
    `Reference of ${v.model}@${v.version}: ${v.rows} rows, ${v.format}, ${humanBytes(v.size)}, ${v.digest}\n`,
  );
  printTable(
    ctx.io,
    ['COLUMN', 'ROLE', 'KIND', 'SOURCE', 'PRESENT', 'MISSING'],
    v.columns.map((c) => [
      c.name,
      c.role,
      c.kind,
      c.source
        ? `${c.source.side}:${c.source.tensor}${c.source.index === null ? '' : `[${c.source.index}]`}`
        : '',
      c.count,
      c.missing,
    ]),
  );
}

export async function referenceShow(ctx: CliContext, model: string, version: string, options: ClientOptions) {
  const view = await clientFor(ctx, options).json<ReferenceView>('GET', base(model, version));
  if (options.json) printJson(ctx.io, view);
  else printReference(ctx, view);
}

/** Downloads the dataset to `--out` (a new file), checking its SHA-256 against the server's digest. */
export async function referenceDownload(
  ctx: CliContext,
  model: string,
  version: string,
  options: ClientOptions & { out: string },
) {
  const res = await clientFor(ctx, options).download(`${base(model, version)}/data`);
  const out = path.resolve(ctx.cwd, options.out);
  const handle = await open(out, 'wx').catch(() => {
    res.cancel();
    throw badOptionValue('--out', `${options.out} exists already or cannot be created`);
  });
  const hash = createHash('sha256');
  let size: number;
  try {
    size = await writeHashedStream(res.body, handle, hash, () => {});
  } finally {
    await handle.close();
  }
  const digest = `sha256:${hash.digest('hex')}`;
  if (digest !== res.header('x-warden-digest')) {
    throw badOptionValue('download', `the bytes received do not match ${res.header('x-warden-digest')}`);
  }
  if (options.json) printJson(ctx.io, { file: out, digest, size });
  else ctx.io.stdout.write(`Wrote ${options.out} (${humanBytes(size)}, ${digest})\n`);
}
