import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { collectModelFiles, validateVersionPaths } from '../../modules/manifest/index.js';
import type { ModelView, Page, VersionDetailView, VersionView } from '../../modules/registry/index.js';
import { splitModelRef } from '../../modules/registry/index.js';
import { readFileOr, signatureNotFound } from '../../modules/signing/index.js';
import { seg } from '../api-client.js';
import { badOptionValue, signatureRequired } from '../cli-errors.js';
import { type CliContext, type ClientOptions, clientFor } from '../context.js';
import { humanBytes, printJson } from '../output.js';
import { startProgress } from '../progress.js';
import { pullVersion } from '../pull-version.js';
import { encodePush } from '../push-upload.js';

export interface PushOptions extends ClientOptions {
  model: string;
  metrics?: string;
  params?: string;
  meta?: string[];
  format?: string;
  alias?: string[];
  dataset?: string[];
  parent?: string;
  trainingRun?: string;
  sourceCommit?: string;
  ignorePaths?: string[];
  /** A model-signing bundle (model.sig) to verify and attach with the version. */
  signature?: string;
  /** A reference dataset to attach once the version is pushed, with its column roles (`col=role`). */
  reference?: string;
  referenceRole?: string[];
}

/** Pushes a file or folder as a new immutable version of a model. */
export async function modelPush(ctx: CliContext, target: string, options: PushOptions): Promise<void> {
  const client = clientFor(ctx, options);
  const model = await collectModelFiles(path.resolve(ctx.cwd, target), {
    cwd: ctx.cwd,
    ignorePaths: options.ignorePaths ?? [],
  });
  // The server's path rules, applied before anything is sent: a single file goes by its own name.
  validateVersionPaths(model.kind === 'file' ? [path.basename(model.root)] : model.files.map((f) => f.path));
  const metadata = {
    kind: model.kind,
    ...(options.format ? { format: options.format } : {}),
    ...(options.metrics ? { metrics: await readJsonObject(ctx, '--metrics', options.metrics) } : {}),
    ...(options.params ? { params: await readJsonObject(ctx, '--params', options.params) } : {}),
    ...(options.meta?.length ? { metadata: parseMeta(options.meta) } : {}),
    ...(options.alias?.length ? { aliases: options.alias } : {}),
    ...(options.signature
      ? {
          signature: (await readFileOr(path.resolve(ctx.cwd, options.signature), signatureNotFound)).toString(
            'utf8',
          ),
        }
      : {}),
    lineage: {
      ...(options.dataset?.length ? { datasetDigests: options.dataset } : {}),
      ...(options.parent ? { parent: options.parent } : {}),
      ...(options.trainingRun ? { trainingRun: options.trainingRun } : {}),
      ...(options.sourceCommit ? { sourceCommit: options.sourceCommit } : {}),
    },
  };
  // Fail fast, before any bytes move, when the model does not exist.
  await client.json<ModelView>('GET', `/api/v1/models/${seg(options.model)}`);
  const total = model.files.reduce((n, f) => n + f.size, 0);
  const progress = startProgress(ctx.io, 'uploading', total, !options.json);
  const body = encodePush(metadata, model, (n) => progress.add(n));
  let version: VersionDetailView;
  try {
    version = await client.upload<VersionDetailView>(
      `/api/v1/models/${seg(options.model)}/versions`,
      body.stream,
      {
        'content-type': body.contentType,
        'content-length': String(body.contentLength),
      },
    );
  } finally {
    progress.stop();
  }
  if (options.reference) {
    const { attachAfterPush } = await import('./model-reference.js');
    const reference = await attachAfterPush(ctx, version, options.reference, {
      ...(options.url ? { url: options.url } : {}),
      ...(options.token ? { token: options.token } : {}),
      role: options.referenceRole ?? [],
    });
    if (options.json) return printJson(ctx.io, { ...version, reference });
    ctx.io.stdout.write(`Reference attached: ${reference.rows} rows, ${reference.digest}\n`);
  }
  if (options.json) return printJson(ctx.io, version);
  ctx.io.stdout.write(
    `Pushed ${version.model}@${version.number} ${version.digest} (${version.fileCount} file${version.fileCount === 1 ? '' : 's'}, ${humanBytes(version.size)}, ${version.format})\n`,
  );
  for (const s of version.signatures)
    ctx.io.stdout.write(`Signature by ${s.signer}: ${s.status} (${s.detail})\n`);
}

/** A warning line naming a version's signature state, or null when at least one signature verifies (or none exist). */
export function signatureWarning(
  version: Pick<VersionView, 'model' | 'number' | 'signatures'>,
): string | null {
  const sigs = version.signatures;
  if (sigs.length === 0 || sigs.some((s) => s.status === 'verified')) return null;
  const states = sigs.map((s) => `${s.signer}: ${s.status}`).join(', ');
  return `warning: ${version.model}@${version.number} has no valid signature (${states})\n`;
}

/** --require-signature [ENV]: a signature must verify now (and, with ENV, one whose signer may sign for ENV). */
function checkRequiredSignature(version: VersionView, env: true | string): void {
  const target = `${version.model}@${version.number}`;
  if (!version.signatures.some((s) => s.status === 'verified')) {
    const states = version.signatures.map((s) => `${s.signer}: ${s.status}`).join(', ');
    throw signatureRequired(target, states ? `no signature verifies (${states})` : 'it has no signature');
  }
  if (env !== true && !version.signedFor.includes(env)) {
    const vouched = version.signedFor.length ? version.signedFor.join(', ') : 'no environment';
    throw signatureRequired(
      target,
      `no verified signature is by a signer for "${env}" (signed for ${vouched})`,
    );
  }
}

/** Pulls a version's files into a folder, verifying every digest before anything takes its final name. */
export async function modelPull(
  ctx: CliContext,
  target: string,
  options: ClientOptions & { out: string; force?: boolean; requireSignature?: boolean | string },
): Promise<void> {
  const client = clientFor(ctx, options);
  const { model, ref } = splitModelRef(target);
  let resolved = ref;
  if (!resolved) {
    const latest = await client.json<Page<VersionView>>(
      'GET',
      `/api/v1/models/${seg(model)}/versions?limit=1`,
    );
    if (!latest.items[0]) throw badOptionValue(target, `model "${model}" has no versions yet`);
    resolved = String(latest.items[0].number);
  }
  const version = await client.json<VersionDetailView>(
    'GET',
    `/api/v1/models/${seg(model)}/versions/${seg(resolved)}`,
  );
  const required = options.requireSignature;
  if (required !== undefined && required !== false) checkRequiredSignature(version, required);
  // Without --require-signature the files are still pulled: the warning says, on stderr, that no
  // signature vouches for them.
  const warning = signatureWarning(version);
  if (warning) ctx.io.stderr.write(warning);
  const progress = startProgress(ctx.io, 'downloading', version.size, !options.json);
  const result = await pullVersion(client, version, path.resolve(ctx.cwd, options.out), {
    force: options.force ?? false,
    onBytes: (n) => progress.add(n),
    requireVerifiedSignature: required !== undefined && required !== false,
  }).finally(() => progress.stop());
  if (options.json)
    return printJson(ctx.io, { model, version: version.number, digest: version.digest, ...result });
  ctx.io.stdout.write(
    `Pulled ${model}@${version.number} ${version.digest} into ${result.out} (${result.files.length} file${result.files.length === 1 ? '' : 's'}, ${humanBytes(version.size)}, all digests verified)\n`,
  );
}

async function readJsonObject(
  ctx: CliContext,
  option: string,
  file: string,
): Promise<Record<string, unknown>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path.resolve(ctx.cwd, file), 'utf8'));
  } catch (err) {
    throw badOptionValue(option, `cannot read ${file} as JSON (${(err as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw badOptionValue(option, `${file} must hold a JSON object`);
  return parsed as Record<string, unknown>;
}

function parseMeta(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw badOptionValue('--meta', `"${pair}" is not key=value`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}
