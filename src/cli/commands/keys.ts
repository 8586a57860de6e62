import { stat } from 'node:fs/promises';
import { openKeyAdministration } from '../../blob-keys.js';
import { loadConfig } from '../../config/index.js';
import {
  kekUsage,
  type ObjectStore,
  type RewrapResult,
  retireKek,
  rewrapBlobs,
  rotateKeys,
} from '../../modules/artifacts/index.js';
import type { KeyProvider } from '../../modules/keys/index.js';
import { defineError } from '../../platform/errors.js';
import { badOptionValue } from '../cli-errors.js';
import type { CliContext } from '../context.js';
import { printJson, printTable } from '../output.js';

export const rewrapIncomplete = defineError('rewrap_incomplete', 'integrity', (failed: number) => ({
  message: `${failed} blob(s) could not be re-wrapped and were left as they were (listed above); the old key must not be retired until they are dealt with.`,
  details: { failed },
}));

export interface KeysOptions {
  dataDir?: string;
  config?: string;
  json?: boolean;
}

interface KeysDeps {
  objects: ObjectStore;
  keys: KeyProvider;
}

/**
 * Runs `work` offline on the data directory, holding its lock throughout: key files and blob headers are
 * rewritten in place, which must not race a running server.
 */
async function offline<T>(ctx: CliContext, options: KeysOptions, work: (deps: KeysDeps) => Promise<T>) {
  const config = loadConfig({
    env: ctx.env,
    flags: { dataDir: options.dataDir },
    cwd: ctx.cwd,
    ...(options.config ? { file: options.config } : {}),
  });
  const isDir = await stat(config.dataDir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) throw badOptionValue('--data-dir', `${config.dataDir} is not a Warden data directory`);
  if (config.databaseUrl)
    ctx.io.stderr.write(
      'warden: with PostgreSQL the server does not lock the data directory; make sure no server is running.\n',
    );
  const { objects, keys, close } = await openKeyAdministration(config);
  try {
    return await work({ objects, keys });
  } finally {
    await close();
  }
}

function report(ctx: CliContext, options: KeysOptions, result: RewrapResult): void {
  if (options.json) printJson(ctx.io, result);
  else {
    ctx.io.stdout.write(
      `current key: ${result.kekId}\nre-wrapped: ${result.rewrapped}, already current: ${result.unchanged}, failed: ${result.failed.length}\n`,
    );
    for (const f of result.failed) ctx.io.stdout.write(`  sha256:${f.digest}  ${f.code}: ${f.reason}\n`);
  }
  if (result.failed.length > 0) throw rewrapIncomplete(result.failed.length);
}

/** `warden keys list`: every key-encryption key and how many blobs each wraps. */
export async function keysList(ctx: CliContext, options: KeysOptions): Promise<void> {
  await offline(ctx, options, async ({ objects, keys }) => {
    const [keks, { usage, unreadable }] = await Promise.all([keys.listKeks(), kekUsage(objects)]);
    type Row = { id: string; createdAt: string; state: string; blobs: number };
    const rows: Row[] = keks.map((k) => ({
      id: k.id,
      createdAt: k.createdAt,
      state: k.current ? 'current' : k.retired ? 'retired' : 'old',
      blobs: usage.get(k.id) ?? 0,
    }));
    // Blobs under a key this keyring does not have are listed too: that is the wrong-key symptom.
    for (const [id, blobs] of usage)
      if (!keks.some((k) => k.id === id)) rows.push({ id, createdAt: '', state: 'not-in-keyring', blobs });
    if (options.json) printJson(ctx.io, { keys: rows, unreadable });
    else {
      printTable(
        ctx.io,
        ['ID', 'CREATED', 'STATE', 'BLOBS'],
        rows.map((r) => [r.id, r.createdAt, r.state, r.blobs]),
      );
      if (unreadable.length > 0)
        ctx.io.stderr.write(`warden: ${unreadable.length} blob header(s) unreadable\n`);
    }
  });
}

/** `warden keys rotate`: a new current KEK, then every data key re-wrapped under it (bodies untouched). */
export async function keysRotate(ctx: CliContext, options: KeysOptions): Promise<void> {
  const result = await offline(ctx, options, (deps) => rotateKeys(deps));
  report(ctx, options, result);
}

/** `warden keys rewrap`: finishes an interrupted rotation (re-wraps what is not yet under the current KEK). */
export async function keysRewrap(ctx: CliContext, options: KeysOptions): Promise<void> {
  const result = await offline(ctx, options, (deps) => rewrapBlobs(deps));
  report(ctx, options, result);
}

/** `warden keys retire ID`: destroys an old KEK once no blob depends on it. */
export async function keysRetire(ctx: CliContext, kekId: string, options: KeysOptions): Promise<void> {
  await offline(ctx, options, (deps) => retireKek(deps, kekId));
  if (options.json) printJson(ctx.io, { retired: kekId });
  else ctx.io.stdout.write(`retired ${kekId}\n`);
}
