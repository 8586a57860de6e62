import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { type FileHandle, mkdtemp, open, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import {
  type AuditEntry,
  auditErrors,
  type Checkpoint,
  type NoteVerifier,
  parseCheckpointText,
  parseExportLine,
  parseVerifierKey,
  type VerifyReport,
  verifyChain,
} from '../../modules/audit/index.js';
import type { Page } from '../../modules/registry/index.js';
import type { ApiClient } from '../api-client.js';
import { badOptionValue } from '../cli-errors.js';
import { type CliContext, type ClientOptions, clientFor } from '../context.js';
import { printJson, printTable } from '../output.js';

export interface AuditListOptions extends ClientOptions {
  principal?: string;
  action?: string;
  resource?: string;
  outcome?: string;
  since?: string;
  until?: string;
  limit?: string;
  after?: string;
  order?: string;
}

export async function auditList(ctx: CliContext, options: AuditListOptions): Promise<void> {
  const query = new URLSearchParams({ limit: options.limit ?? '100' });
  for (const key of [
    'principal',
    'action',
    'resource',
    'outcome',
    'since',
    'until',
    'after',
    'order',
  ] as const) {
    const value = options[key];
    if (value !== undefined) query.set(key, value);
  }
  const page = await clientFor(ctx, options).json<Page<AuditEntry>>('GET', `/api/v1/audit?${query}`);
  if (options.json) return printJson(ctx.io, page);
  printTable(
    ctx.io,
    ['SEQ', 'AT', 'PRINCIPAL', 'ACTION', 'RESOURCE', 'OUTCOME'],
    page.items.map((e) => [e.seq, e.at, e.principal, e.action, e.resource, e.outcome]),
  );
  if (page.next) ctx.io.stderr.write(`(more: --after ${page.next})\n`);
}

/** Prints the audit verifier key (then any retired ones): save it where the server cannot change it. */
export async function auditPubkey(ctx: CliContext, options: ClientOptions): Promise<void> {
  const keys = await fetchVkeys(clientFor(ctx, options));
  if (options.json) return printJson(ctx.io, keys);
  ctx.io.stdout.write(`${[keys.vkey, ...keys.retired].join('\n')}\n`);
}

/** Writes the export (JSON Lines ending on a signed checkpoint) to `out`, atomically. */
export async function auditExport(ctx: CliContext, options: ClientOptions & { out: string }): Promise<void> {
  const out = path.resolve(ctx.cwd, options.out);
  const { last: _last, ...counts } = await downloadExport(clientFor(ctx, options), out);
  if (options.json) return printJson(ctx.io, { out, ...counts });
  ctx.io.stdout.write(
    `Exported ${counts.entries} entries and ${counts.checkpoints} checkpoints to ${out} (signed head: ${counts.size})\n`,
  );
}

/**
 * With --file: verifies an export offline against the key file, touching no server. Without: verifies the
 * server's export locally (against --key, else the key the server names) and asks the server to verify
 * its own database; both must hold.
 */
export async function auditVerify(
  ctx: CliContext,
  options: ClientOptions & VerifyOptions & { file?: string },
): Promise<void> {
  const kept = await keptCheckpoints(ctx, options);
  if (options.file) {
    if (!options.key)
      throw badOptionValue('--key', 'is required with --file: the key saved from `warden audit pubkey`');
    const file = path.resolve(ctx.cwd, options.file);
    const verifiers = await readKeyFile(path.resolve(ctx.cwd, options.key));
    const report = await verifyExportFile(file, verifiers, kept);
    if (options.json) printJson(ctx.io, report);
    else printReport(ctx, 'Export', report);
    if (!report.ok) throw brokenError(`in ${file}`, report);
    return;
  }

  const client = clientFor(ctx, options);
  const { report: exported } = await verifyServerExport(ctx, client, options.key, kept);
  const server = await client.json<VerifyReport>('GET', '/api/v1/audit/verify');
  if (options.json) printJson(ctx.io, { server, export: exported });
  else {
    printReport(ctx, 'Server', server);
    printReport(ctx, 'Export', exported);
  }
  if (!server.ok) throw brokenError('on the server', server);
  if (!exported.ok) throw brokenError('exported by the server', exported);
}

interface VerifyOptions {
  key?: string;
  /** Checkpoints kept elsewhere (`--checkpoint`, `--trusted-checkpoint`): the log must still hold them. */
  checkpoint?: string[];
  trustedCheckpoint?: string[];
}

/**
 * Saves a checkpoint note of the server's log, for a later `audit verify --trusted-checkpoint`: it
 * downloads the export, verifies it here (against the key file or the server's key, and any earlier
 * trusted checkpoint, so a monitor never trusts a log that dropped what it saw before), then writes the
 * export's final checkpoint, which signs the current head.
 */
export async function auditCheckpoint(
  ctx: CliContext,
  options: ClientOptions & VerifyOptions & { out: string },
): Promise<void> {
  const out = path.resolve(ctx.cwd, options.out);
  const kept = await keptCheckpoints(ctx, options);
  const { report, last } = await verifyServerExport(ctx, clientFor(ctx, options), options.key, kept);
  if (!report.ok || !last) {
    if (!options.json) printReport(ctx, 'Export', report);
    throw brokenError('exported by the server', report);
  }
  await writeAtomically(out, last.note);
  if (options.json) return printJson(ctx.io, { out, size: last.size, hash: last.hash });
  ctx.io.stdout.write(`Saved the checkpoint of entry ${last.size} (${last.hash.slice(0, 12)}) to ${out}\n`);
}

async function keptCheckpoints(ctx: CliContext, options: VerifyOptions): Promise<Checkpoint[]> {
  const files = [...(options.checkpoint ?? []), ...(options.trustedCheckpoint ?? [])];
  return readKeptCheckpoints(files.map((f) => path.resolve(ctx.cwd, f)));
}

/** Downloads the server's export to a private temporary folder and verifies it against keys kept here. */
async function verifyServerExport(
  ctx: CliContext,
  client: ApiClient,
  key: string | undefined,
  kept: Checkpoint[],
): Promise<{ report: VerifyReport; last: Checkpoint | null }> {
  const verifiers = key
    ? await readKeyFile(path.resolve(ctx.cwd, key))
    : (({ vkey, retired }) => [vkey, ...retired].map(parseVerifierKey))(await fetchVkeys(client));
  const dir = await mkdtemp(path.join(tmpdir(), 'warden-audit-'));
  try {
    const file = path.join(dir, 'export.jsonl');
    const { last } = await downloadExport(client, file);
    return { report: await verifyExportFile(file, verifiers, kept), last };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function writeAtomically(out: string, text: string): Promise<void> {
  const temp = path.join(path.dirname(out), `.${path.basename(out)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, out);
  } catch (err) {
    await rm(temp, { force: true });
    throw auditErrors.auditFileUnreadable(out, (err as NodeJS.ErrnoException).code ?? 'cannot write');
  }
}

/** Streams the server's export into a private temporary file, checks every line, then renames it. */
async function downloadExport(client: ApiClient, out: string) {
  const res = await client.raw('GET', '/api/v1/audit/export');
  const temp = path.join(path.dirname(out), `.${path.basename(out)}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: FileHandle;
  try {
    handle = await open(temp, 'wx', 0o600);
  } catch (err) {
    throw auditErrors.auditFileUnreadable(out, (err as NodeJS.ErrnoException).code ?? 'cannot write');
  }
  const counts = { entries: 0, checkpoints: 0, size: 0 };
  let last: Checkpoint | null = null;
  try {
    let buffer = '';
    let lineNo = 0;
    let lastType = '';
    if (!res.body) throw auditErrors.auditExportMalformed(0, 'the server sent no body');
    for await (const line of lines(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>))) {
      const record = parseExportLine(line, ++lineNo);
      lastType = record.type;
      if (record.type === 'entry') counts.entries++;
      else {
        counts.checkpoints++;
        counts.size = record.checkpoint.size;
        last = record.checkpoint;
      }
      buffer += `${line}\n`;
      if (buffer.length >= 64 * 1024) {
        await handle.write(buffer);
        buffer = '';
      }
    }
    if (lastType !== 'checkpoint') throw auditErrors.auditExportMalformed(lineNo, 'the export was cut short');
    await handle.write(buffer);
    await handle.sync();
    await handle.close();
    await rename(temp, out);
    return { ...counts, last };
  } catch (err) {
    await handle.close().catch(() => {});
    await rm(temp, { force: true });
    throw err;
  }
}

async function fetchVkeys(client: ApiClient) {
  return client.json<{ vkey: string; retired: string[] }>('GET', '/api/v1/audit/pubkey');
}

/** Reads verifier keys, one per line (blank lines and # comments skipped). */
async function readKeyFile(file: string): Promise<NoteVerifier[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw auditErrors.auditFileUnreadable(file, (err as NodeJS.ErrnoException).code ?? 'read failed');
  }
  const keys = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map(parseVerifierKey);
  if (keys.length === 0) throw auditErrors.auditVkeyInvalid(`${file} holds no key`);
  return keys;
}

/**
 * Checkpoints kept outside the server (a signed note, or an earlier export's checkpoint lines): the log
 * must still hold what they signed, which is what catches entries cut off after them.
 */
async function readKeptCheckpoints(files: string[]): Promise<Checkpoint[]> {
  const kept: Checkpoint[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw auditErrors.auditFileUnreadable(file, (err as NodeJS.ErrnoException).code ?? 'read failed');
    }
    if (text.trimStart().startsWith('{')) {
      for await (const record of readExport(file))
        if (record.type === 'checkpoint') kept.push(record.checkpoint);
      continue;
    }
    const split = text.lastIndexOf('\n\n');
    const body = split < 0 ? null : parseCheckpointText(text.slice(0, split + 1));
    if (!body) throw auditErrors.auditFileUnreadable(file, 'not a checkpoint note nor an audit export');
    kept.push({ size: body.size, hash: body.hash, note: text, at: '' });
  }
  return kept;
}

/** Two streaming passes: the checkpoints (at the end of the file) first, then the entries. */
async function verifyExportFile(
  file: string,
  verifiers: NoteVerifier[],
  kept: Checkpoint[],
): Promise<VerifyReport> {
  const checkpoints: Checkpoint[] = [...kept];
  for await (const record of readExport(file))
    if (record.type === 'checkpoint') checkpoints.push(record.checkpoint);
  async function* entries() {
    let lineNo = 0;
    let inCheckpoints = false;
    for await (const record of readExport(file)) {
      lineNo++;
      if (record.type === 'checkpoint') inCheckpoints = true;
      else if (inCheckpoints)
        throw auditErrors.auditExportMalformed(lineNo, 'an entry after the checkpoints');
      else yield record.entry;
    }
  }
  return verifyChain(entries(), checkpoints, { verifiers, requireSignedHead: true });
}

async function* readExport(file: string) {
  const input = createReadStream(file);
  const opened = new Promise<void>((resolve, reject) => {
    input.once('open', () => resolve());
    input.once('error', reject);
  });
  try {
    await opened;
  } catch (err) {
    throw auditErrors.auditFileUnreadable(file, (err as NodeJS.ErrnoException).code ?? 'read failed');
  }
  let lineNo = 0;
  for await (const line of lines(input)) yield parseExportLine(line, ++lineNo);
}

/** Lines of a byte stream, read with bounded memory; a final unterminated line counts too. */
function lines(input: Readable): AsyncIterable<string> {
  return createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
}

function printReport(ctx: CliContext, label: string, r: VerifyReport): void {
  const status = r.ok ? 'ok' : 'FAILED';
  ctx.io.stdout.write(
    `${label}: ${status} — ${r.entries} entries, ${r.checkpoints} checkpoints, head ${r.head.seq} (${r.head.hash.slice(0, 12)})\n`,
  );
  if (r.firstBad)
    ctx.io.stdout.write(
      `  first bad entry: ${r.firstBad.seq} (${r.firstBad.reason}): ${r.firstBad.message}\n`,
    );
  for (const p of r.checkpointProblems)
    ctx.io.stdout.write(`  checkpoint ${p.size}: ${p.reason}: ${p.message}\n`);
}

function brokenError(where: string, r: VerifyReport) {
  return auditErrors.auditChainBroken(where, r.firstBad, r.checkpointProblems.length);
}
