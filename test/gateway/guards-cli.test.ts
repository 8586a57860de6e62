import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { createModel } from '../fixtures/http-helpers.js';
import { memoryCtx } from '../fixtures/memory-cli.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';

// `warden guards` against a real server on loopback.
describe('warden guards', () => {
  let t: TestApp;
  let url: string;
  let dir: string;

  beforeAll(async () => {
    t = await createTestApp();
    await createModel(t, 'iris', { owner: 'ml' });
    await t.rawApp.listen({ port: 0, host: '127.0.0.1' });
    const address = t.rawApp.server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    dir = mkdtempSync(path.join(tmpdir(), 'warden-guards-'));
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function warden(args: string[], token = t.adminToken) {
    const { ctx, out, err } = memoryCtx(dir, { WARDEN_URL: url, WARDEN_TOKEN: token });
    const code = await runCli(args, ctx);
    return { code, out: out(), err: err() };
  }
  const target = ['--env', 'production', '--model', 'iris'];

  it('shows the defaults', async () => {
    const shown = await warden(['guards', 'show', ...target]);
    expect(shown, shown.err).toMatchObject({ code: 0 });
    expect(shown.out).toContain('0 (defaults)');
    expect(shown.out).toMatch(/coarsening\s+yes\s+\{"mode":"full","decimals":4\}/);
    const json = JSON.parse((await warden(['guards', 'show', ...target, '--json'])).out);
    expect(json.revision).toBe(0);
  });

  it('turns a guard off only with a reason, then from a file, then resets', async () => {
    const refused = await warden(['guards', 'set', ...target, '--off', 'screening']);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('weakens');
    const off = await warden([
      'guards',
      'set',
      ...target,
      '--off',
      'screening',
      '--reason',
      'batch scoring only',
    ]);
    expect(off, off.err).toMatchObject({ code: 0 });
    expect(off.out).toMatch(/screening\s+NO/);
    expect(off.err).toContain('revision 1');

    // Flags change the stored document: screening stays off, decimals are added.
    const more = await warden([
      'guards',
      'set',
      ...target,
      '--decimals',
      '2',
      '--reason',
      'still batch only',
    ]);
    expect(more, more.err).toMatchObject({ code: 0 });
    expect(more.out).toContain('coarsening.config.decimals, screening.enabled');

    const file = path.join(dir, 'policy.json');
    writeFileSync(file, JSON.stringify({ coarsening: { config: { mode: 'labels-only' } } }));
    const fromFile = await warden(['guards', 'set', ...target, '--file', file, '--json']);
    expect(fromFile, fromFile.err).toMatchObject({ code: 0 });
    expect(JSON.parse(fromFile.out)).toMatchObject({ revision: 3, overridden: ['coarsening.config.mode'] });

    writeFileSync(file, JSON.stringify({ coarsening: { config: { decimals: 42 } } }));
    const bad = await warden(['guards', 'set', ...target, '--file', file]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('decimals must be an integer from 0 to 6');
    expect((await warden(['guards', 'set', ...target, '--off', 'firewall', '--reason', 'x'])).code).toBe(2);

    const reset = await warden(['guards', 'reset', ...target, '--reason', 'done']);
    expect(reset, reset.err).toMatchObject({ code: 0 });
    expect(reset.err).toContain('reset to the defaults (revision 4)');
  });

  it('refuses a viewer', async () => {
    const viewer = await t.tokenFor({ name: 'ml-viewer', roles: ['viewer'], teams: ['ml'] });
    expect((await warden(['guards', 'show', ...target], viewer)).code).toBe(0);
    expect((await warden(['guards', 'reset', ...target], viewer)).code).toBe(6);
  });
});
