import path from 'node:path';
import { digestModel, hashFileHere } from '../../modules/manifest/index.js';
import type { CliContext } from '../context.js';
import { printJson } from '../output.js';
import type { Progress } from '../progress.js';

export interface DigestOptions {
  ignorePaths?: string[];
  ignoreGitPaths?: boolean;
  json?: boolean;
}

/** Prints the OpenSSF model-signing v1.0 root digest of a file or folder, as `model_signing digest` does. */
export async function digest(ctx: CliContext, target: string, options: DigestOptions): Promise<void> {
  // The bar (cli-progress) is loaded only where it can show: a terminal, no --json. Scripts and pipes
  // skip its load (about 5 ms of a one-file digest's start-up).
  const bar = !options.json && ctx.io.stderr.isTTY ? await import('../progress.js') : null;
  let progress: Progress | null = null;
  let last = 0;
  const result = await digestModel(path.resolve(ctx.cwd, target), {
    cwd: ctx.cwd,
    ignorePaths: options.ignorePaths ?? [],
    ignoreGitPaths: options.ignoreGitPaths ?? true,
    // One file: synchronous reads on this thread, the fastest way here (the OMS digest of one file is a
    // single SHA-256 and cannot be split).
    hashFile: (file, onProgress) => hashFileHere(file, onProgress ? { onProgress } : {}),
    // Several files: one hashing thread per core (this one included), whole files, largest first. The
    // signing module is loaded only then: it costs a single-file digest about 0.015 s of start-up.
    hashFiles: async (paths, onProgress, sizes) =>
      (await import('../../modules/signing/index.js')).hashRanges(
        paths.map((p, i) => ({ path: p, start: 0, end: -1, ...(sizes ? { size: sizes[i] as number } : {}) })),
        { algorithm: 'sha256', ...(onProgress ? { onProgress } : {}) },
      ),
    ...(bar
      ? {
          onProgress: (done: number, total: number) => {
            progress ??= bar.startProgress(ctx.io, 'hashing', total, true);
            progress.add(done - last);
            last = done;
          },
        }
      : {}),
  });
  (progress as Progress | null)?.stop();
  if (options.json) {
    printJson(ctx.io, {
      digest: `sha256:${result.rootDigest}`,
      kind: result.kind,
      size: result.totalSize,
      ignorePaths: result.ignorePaths,
      resources: result.resources,
    });
  } else {
    ctx.io.stdout.write(`${result.rootDigest}\n`);
  }
}
