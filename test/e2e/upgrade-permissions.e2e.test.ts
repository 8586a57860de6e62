import { chmodSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { modesUnder } from '../fixtures/file-modes.js';
import { childEnv, cleanup, spawnTracked, startServer, wardenBin } from './helpers.js';

afterAll(cleanup);

/** What releases before the secrets work left: the folders 0750, every file 0644. */
function loosenAsAnOldRelease(root: string): void {
  for (const [rel, mode] of Object.entries(modesUnder(root))) {
    const full = path.join(root, rel);
    chmodSync(full, statSync(full).isDirectory() ? 0o750 : 0o644);
    expect(mode).toMatch(/^0[67]00$/);
  }
}

describe('upgrading a data directory an older release left group-readable', () => {
  it('is refused with the one-line fix named, and `serve --fix-permissions` tightens it and starts', async () => {
    const first = await startServer();
    const dataDir = first.dataDir;
    await first.stop();
    loosenAsAnOldRelease(dataDir);

    const refused = spawnTracked(
      process.execPath,
      [wardenBin, 'serve', '--port', '0', '--data-dir', dataDir],
      {
        env: childEnv(),
      },
    );
    const { code } = await refused.exited;
    expect(code).not.toBe(0);
    expect(refused.stderr()).toContain('data_dir_insecure');
    expect(refused.stderr()).toContain('warden serve --fix-permissions');
    expect(modesUnder(dataDir)['warden.db']).toBe('0644');

    const fixed = await startServer({ dataDir, args: ['--fix-permissions'] });
    expect(fixed.proc.stderr()).toContain(`tightened ${path.join(dataDir, 'warden.db')} from 0644 to 0600`);
    const modes = modesUnder(dataDir);
    for (const [rel, mode] of Object.entries(modes))
      expect(mode, rel).toBe(statSync(path.join(dataDir, rel)).isDirectory() ? '0700' : '0600');
    await fixed.stop();

    // The next start needs no flag.
    const again = await startServer({ dataDir });
    await again.stop();
  });
});
