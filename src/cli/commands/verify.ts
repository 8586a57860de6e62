import path from 'node:path';
import {
  keyFileNotFound,
  modelVerificationFailed,
  readFileOr,
  signatureNotFound,
  verifyModel,
} from '../../modules/signing/index.js';
import type { CliContext } from '../context.js';
import { printJson } from '../output.js';
import { startProgress } from '../progress.js';

export interface VerifyOptions {
  signature: string;
  key: string;
  ignorePaths?: string[];
  ignoreUnsignedFiles?: boolean;
  json?: boolean;
}

/**
 * Verifies a model against a model-signing signature and public key (offline). Exits 0 only when valid;
 * otherwise names every problem and exits with the integrity status.
 */
export async function verifyCommand(ctx: CliContext, target: string, options: VerifyOptions): Promise<void> {
  const signaturePath = path.resolve(ctx.cwd, options.signature);
  const signature = (await readFileOr(signaturePath, signatureNotFound)).toString('utf8');
  const publicKeyPem = await readFileOr(path.resolve(ctx.cwd, options.key), keyFileNotFound);
  let progress: ReturnType<typeof startProgress> | null = null;
  let last = 0;
  const result = await verifyModel({
    modelPath: target,
    signature,
    signaturePath,
    publicKeyPem,
    ignorePaths: options.ignorePaths ?? [],
    ignoreUnsignedFiles: options.ignoreUnsignedFiles ?? false,
    cwd: ctx.cwd,
    onProgress: (done, total) => {
      progress ??= startProgress(ctx.io, 'hashing', total, !options.json);
      progress.add(done - last);
      last = done;
    },
  });
  (progress as ReturnType<typeof startProgress> | null)?.stop();
  if (options.json) printJson(ctx.io, result);
  if (!result.ok) throw modelVerificationFailed(result.problems.length, result.problems);
  if (!options.json) ctx.io.stdout.write('Verification succeeded\n');
}
