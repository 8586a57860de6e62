import path from 'node:path';
import {
  isSeverity,
  reachesThreshold,
  type ScanFinding,
  type Severity,
  scanModelPath,
  unsafeModel,
} from '../../modules/scanning/index.js';
import { badOptionValue } from '../cli-errors.js';
import type { CliContext } from '../context.js';
import { printJson, printTable } from '../output.js';
import { startProgress } from '../progress.js';

export interface ScanOptions {
  failOn?: string;
  ignorePaths?: string[];
  ignoreGitPaths?: boolean;
  json?: boolean;
}

const describe = (f: ScanFinding) =>
  `${f.severity}: ${f.global ?? f.kind}${f.member ? ` in ${f.member}` : ''} (${f.reason})`;

/**
 * Scans a model's pickle-based files offline, without unpickling anything, and prints what each would
 * import. Throws `unsafe_model` (exit 4) when the worst finding reaches --fail-on (default high).
 */
export async function scan(ctx: CliContext, target: string, options: ScanOptions): Promise<void> {
  const failOn = options.failOn ?? 'high';
  if (!isSeverity(failOn)) throw badOptionValue('--fail-on', 'expected critical, high, medium, low or none');
  const threshold: Severity = failOn;
  let progress: ReturnType<typeof startProgress> | null = null;
  let last = 0;
  const attestation = await scanModelPath(path.resolve(ctx.cwd, target), {
    cwd: ctx.cwd,
    ignorePaths: options.ignorePaths ?? [],
    ignoreGitPaths: options.ignoreGitPaths ?? true,
    onProgress: (done, total) => {
      progress ??= startProgress(ctx.io, 'scanning', total, !options.json);
      progress.add(done - last);
      last = done;
    },
  });
  (progress as ReturnType<typeof startProgress> | null)?.stop();
  if (options.json) {
    printJson(ctx.io, attestation);
  } else if (attestation.files.length === 0) {
    ctx.io.stdout.write('No file could hold a pickle; nothing to scan.\n');
  } else {
    const rows = attestation.files.map((f) => [
      f.path,
      f.format === 'not-pickle' ? 'not-pickle' : f.severity,
      f.findings.length === 0 ? '' : f.findings.map(describe).join('; '),
    ]);
    printTable(ctx.io, ['FILE', 'SEVERITY', 'FINDING(S)'], rows);
  }
  if (reachesThreshold(attestation.severity, threshold)) {
    const flagged = attestation.files
      .filter((f) => reachesThreshold(f.severity, threshold))
      .map((f) => f.path);
    throw unsafeModel(attestation.severity, threshold, flagged);
  }
}
