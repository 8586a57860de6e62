import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scan } from '../../src/cli/commands/scan.js';
import type { CliContext } from '../../src/cli/context.js';
import { exitCodeOfKind } from '../../src/cli/exit-codes.js';
import { unsafeModel } from '../../src/modules/scanning/index.js';
import { AppError } from '../../src/platform/errors.js';
import { benignOrderedDict, maliciousProtocol4 } from './pickle-builder.js';

function context(cwd: string): { ctx: CliContext; stdout: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let text = '';
  stdout.on('data', (c: Buffer) => {
    text += c.toString('utf8');
  });
  return { ctx: { cwd, env: {}, io: { stdout, stderr } }, stdout: () => text };
}

describe('warden scan', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'warden-scan-cli-'));
    await writeFile(path.join(dir, 'model.pkl'), benignOrderedDict());
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints a table and succeeds for a clean model', async () => {
    const { ctx, stdout } = context(dir);
    await scan(ctx, '.', {});
    expect(stdout()).toMatch(/^FILE\s+SEVERITY\s+FINDING\(S\)\nmodel\.pkl\s+none\s+-\n$/);
  });

  it('fails with unsafe_model (exit 4) at or above --fail-on, and prints the attestation with --json', async () => {
    await writeFile(path.join(dir, 'evil.pt'), maliciousProtocol4('builtins', 'exec'));
    const { ctx, stdout } = context(dir);
    const err = await scan(ctx, dir, { json: true }).catch((e: unknown) => e);
    expect(unsafeModel.is(err)).toBe(true);
    expect((err as AppError).details).toEqual({
      severity: 'critical',
      threshold: 'high',
      files: ['evil.pt'],
    });
    expect(exitCodeOfKind[(err as AppError).kind]).toBe(4);
    const printed = JSON.parse(stdout());
    expect(printed).toMatchObject({ scanner: 'warden-pickle-scan', severity: 'critical' });
    expect(printed.files[0]).toMatchObject({ path: 'evil.pt', findings: [{ global: 'builtins.exec' }] });
  });

  it('reports without failing under --fail-on none, and rejects an unknown level', async () => {
    await writeFile(path.join(dir, 'evil.pkl'), maliciousProtocol4());
    const { ctx, stdout } = context(dir);
    await scan(ctx, '.', { failOn: 'none' });
    expect(stdout()).toMatch(/evil\.pkl\s+critical\s+critical: os\.system \(/);
    const err = await scan(ctx, '.', { failOn: 'severe' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('invalid_option');
  });
});
