import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { seg } from '../api-client.js';
import { badOptionValue } from '../cli-errors.js';
import { type CliContext, type ClientOptions, clientFor } from '../context.js';
import { humanBytes, printJson } from '../output.js';
import { writeHashedStream } from '../write-hashed-stream.js';

export interface MonitorReportOptions extends ClientOptions {
  env: string;
  format?: string;
  out?: string;
}

/**
 * `warden monitor report WINDOW [ENV]`: one window's drift report written to a file (never over an existing
 * one): HTML by default, `--format json` for the data.
 */
export async function monitorReport(
  ctx: CliContext,
  window: string,
  options: MonitorReportOptions,
): Promise<void> {
  const format = options.format ?? 'html';
  if (format !== 'html' && format !== 'json') throw badOptionValue('--format', 'html or json');
  const file = options.out ?? `drift-${window}.${format}`;
  const route = `/api/v1/environments/${seg(options.env)}/monitor/windows/${seg(window)}/report?format=${format}`;
  const res = await clientFor(ctx, options).download(route);
  const out = path.resolve(ctx.cwd, file);
  const handle = await open(out, 'wx').catch(() => {
    res.cancel();
    throw badOptionValue('--out', `${file} exists already or cannot be created`);
  });
  let size: number;
  try {
    size = await writeHashedStream(res.body, handle, createHash('sha256'), () => {});
  } finally {
    await handle.close();
  }
  if (options.json) printJson(ctx.io, { file: out, format, size });
  else ctx.io.stdout.write(`Wrote ${file} (${humanBytes(size)})\n`);
}
