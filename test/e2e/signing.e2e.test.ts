import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/cli/api-client.js';
import { pullVersion } from '../../src/cli/pull-version.js';
import type { VersionDetailView } from '../../src/modules/registry/index.js';
import { adminTokenOf, cleanup, type RunningWarden, startServer, tempDir, warden } from './helpers.js';

/**
 * The signing workflow a release pipeline runs, through the real CLI against a real `warden serve`: make a
 * key, trust it for an environment, sign, push with the signature (or attach it later), and pull only what
 * a trusted signer vouches for.
 */
describe('signed models through the CLI', { timeout: 90_000 }, () => {
  let server: RunningWarden;
  let work: string;
  const cli = (args: string[]) => warden(args, { url: server.url, cwd: work });
  const ok = async (args: string[]) => {
    const res = await cli(args);
    expect(res.code, `warden ${args.join(' ')}\n${res.stderr}`).toBe(0);
    return res;
  };
  const model = (name: string) => {
    const file = path.join(work, name);
    writeFileSync(file, randomBytes(8192));
    return file;
  };

  beforeAll(async () => {
    server = await startServer();
    work = tempDir();
    await ok(['keygen', '--out', 'release']);
    await ok(['signer', 'add', 'release-team', '--key', 'release.pub', '--env', 'production']);
    await ok(['model', 'create', 'fraud']);
  });
  afterAll(async () => {
    try {
      await server?.stop();
    } finally {
      await cleanup();
    }
  });

  it('pushes with a signature, shows it verified for its environments, and pulls with --require-signature', async () => {
    const file = model('v1.bin');
    await ok(['sign', file, '--key', 'release.pem', '--signature', 'v1.sig']);
    const pushed = await ok(['model', 'push', file, '--model', 'fraud', '--signature', 'v1.sig']);
    expect(pushed.stdout).toMatch(/Signature by release-team: verified/);

    const shown = await ok(['model', 'show', 'fraud@1']);
    expect(shown.stdout).toMatch(/signed for:\s+production/);
    expect(shown.stdout).toMatch(/release-team: verified \[production\]/);

    await ok(['model', 'pull', 'fraud@1', '--out', 'any', '--require-signature']);
    const pulled = await ok([
      'model',
      'pull',
      'fraud@1',
      '--out',
      'prod',
      '--require-signature',
      'production',
    ]);
    expect(pulled.stderr).not.toContain('warning');
    expect(readFileSync(path.join(work, 'prod', 'v1.bin')).equals(readFileSync(file))).toBe(true);

    const staging = await cli([
      'model',
      'pull',
      'fraud@1',
      '--out',
      'staging',
      '--require-signature',
      'staging',
    ]);
    expect(staging.code).toBe(4);
    expect(staging.stderr).toContain('signature_required');
    expect(staging.stderr).toContain('signed for production');
    expect(existsSync(path.join(work, 'staging'))).toBe(false);
  });

  it('refuses an unsigned version under --require-signature until a signature is attached', async () => {
    const file = model('v2.bin');
    await ok(['model', 'push', file, '--model', 'fraud']);
    const unsigned = await cli(['model', 'pull', 'fraud@2', '--out', 'v2', '--require-signature']);
    expect(unsigned.code).toBe(4);
    expect(unsigned.stderr).toContain('it has no signature');
    expect(existsSync(path.join(work, 'v2'))).toBe(false);

    // A signature over other content is refused, and nothing is attached.
    const wrong = await cli(['model', 'attach-signature', 'fraud@2', '--signature', 'v1.sig']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('signature_mismatch');

    await ok(['sign', file, '--key', 'release.pem', '--signature', 'v2.sig']);
    await ok(['model', 'attach-signature', 'fraud@2', '--signature', 'v2.sig']);
    await ok(['model', 'pull', 'fraud@2', '--out', 'v2', '--require-signature', 'production']);
  });

  it('re-checks every file answer: a version whose state changed since it was read is not written', async () => {
    const file = model('v-stale.bin');
    await ok(['model', 'push', file, '--model', 'fraud']);
    const client = createApiClient(server.url, { token: adminTokenOf(server.url) ?? '' });
    const latest = await client.json<{ items: { number: number }[] }>(
      'GET',
      '/api/v1/models/fraud/versions?limit=1',
    );
    const number = latest.items[0]?.number ?? 0;
    const view = await client.json<VersionDetailView>('GET', `/api/v1/models/fraud/versions/${number}`);
    // The decision is taken on each file's own answer (`x-warden-signatures`), not on the view read before
    // the download: here the server answers `none`, so nothing is written.
    const out = path.join(work, 'stale');
    await expect(
      pullVersion(client, view, out, {
        force: false,
        onBytes: () => {},
        requireVerifiedSignature: true,
      }),
    ).rejects.toMatchObject({ code: 'signature_required' });
    expect(existsSync(out)).toBe(false);
  });

  it('once the signer is revoked: pulls warn, and --require-signature refuses', async () => {
    await ok(['signer', 'revoke', 'release-team']);
    const shown = await ok(['model', 'show', 'fraud@1']);
    expect(shown.stdout).toMatch(/release-team: revoked/);
    expect(shown.stdout).toMatch(/signed for:\s+-\n/);

    const warned = await ok(['model', 'pull', 'fraud@1', '--out', 'after-revoke']);
    expect(warned.stderr).toContain('warning: fraud@1 has no valid signature (release-team: revoked)');
    const refused = await cli(['model', 'pull', 'fraud@1', '--out', 'refused', '--require-signature']);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('no signature verifies (release-team: revoked)');
    expect(existsSync(path.join(work, 'refused'))).toBe(false);

    // A revoked key is trusted for nothing new.
    const file = model('v3.bin');
    await ok(['sign', file, '--key', 'release.pem', '--signature', 'v3.sig']);
    const untrusted = await cli(['model', 'push', file, '--model', 'fraud', '--signature', 'v3.sig']);
    expect(untrusted.code).toBe(2);
    expect(untrusted.stderr).toContain('signature_untrusted');
  });
});
