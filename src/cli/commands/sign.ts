import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  DEFAULT_SHARD_SIZE,
  keyFileNotFound,
  type Method,
  readFileOr,
  signModel,
} from '../../modules/signing/index.js';
import { badOptionValue } from '../cli-errors.js';
import type { CliContext } from '../context.js';
import { printJson } from '../output.js';
import { startProgress } from '../progress.js';

export interface SignOptions {
  key: string;
  passwordFile?: string;
  signature?: string;
  ignorePaths?: string[];
  ignoreGitPaths?: boolean;
  method?: string;
  shardSize?: string;
  json?: boolean;
}

/** The serialization the flags ask for: `--shard-size` alone implies the shards method. */
export function methodOf(options: { method?: string; shardSize?: string }): {
  method: Method;
  shardSize?: number;
} {
  const method = options.method ?? (options.shardSize !== undefined ? 'shards' : 'files');
  if (method !== 'files' && method !== 'shards') throw badOptionValue('--method', 'must be files or shards');
  if (method === 'files') {
    if (options.shardSize !== undefined) throw badOptionValue('--shard-size', 'needs --method shards');
    return { method };
  }
  const shardSize = options.shardSize === undefined ? DEFAULT_SHARD_SIZE : Number(options.shardSize);
  if (!Number.isSafeInteger(shardSize) || shardSize <= 0)
    throw badOptionValue('--shard-size', 'must be a positive whole number of bytes');
  return { method, shardSize };
}

/** Reads a password file, dropping one trailing newline (as `echo pw > file` leaves it). */
export async function readPassword(ctx: CliContext, file: string | undefined): Promise<string | undefined> {
  if (file === undefined) return undefined;
  const text = (await readFileOr(path.resolve(ctx.cwd, file), keyFileNotFound)).toString('utf8');
  return text.replace(/\r?\n$/, '');
}

/** Writes beside the target and renames, so a reader never sees half a signature. */
async function writeAtomically(target: string, text: string): Promise<void> {
  const temp = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    await writeFile(temp, text, { flag: 'wx', mode: 0o644 });
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/** Signs a model directory or file with an ECDSA key into a model-signing v1.0 Sigstore bundle (offline). */
export async function signCommand(ctx: CliContext, target: string, options: SignOptions): Promise<void> {
  const { method, shardSize } = methodOf(options);
  const signaturePath = path.resolve(ctx.cwd, options.signature ?? 'model.sig');
  const privateKeyPem = await readFileOr(path.resolve(ctx.cwd, options.key), keyFileNotFound);
  const password = await readPassword(ctx, options.passwordFile);
  let progress: ReturnType<typeof startProgress> | null = null;
  let last = 0;
  const signed = await signModel({
    modelPath: target,
    privateKeyPem,
    ...(password !== undefined ? { password } : {}),
    signaturePath,
    method,
    ...(shardSize !== undefined ? { shardSize } : {}),
    ignorePaths: options.ignorePaths ?? [],
    ignoreGitPaths: options.ignoreGitPaths ?? true,
    cwd: ctx.cwd,
    onProgress: (done, total) => {
      progress ??= startProgress(ctx.io, 'hashing', total, !options.json);
      progress.add(done - last);
      last = done;
    },
  });
  (progress as ReturnType<typeof startProgress> | null)?.stop();
  await writeAtomically(signaturePath, JSON.stringify(signed.bundle));
  if (options.json) {
    printJson(ctx.io, {
      signature: signaturePath,
      digest: `sha256:${signed.rootDigest}`,
      model: signed.statement.subject[0]?.name,
      method,
      resources: signed.statement.predicate.resources.length,
      signedBy: signed.signedBy,
    });
  } else {
    ctx.io.stdout.write(`Signing succeeded: ${signaturePath} (root digest ${signed.rootDigest})\n`);
  }
}
