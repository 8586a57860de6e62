import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { createModel } from '../fixtures/http-helpers.js';
import { memoryCtx } from '../fixtures/memory-cli.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';

const example = (p: string) => fileURLToPath(new URL(`../../examples/iris/${p}`, import.meta.url));

// `warden model push --reference` and `warden model reference …` against a real server on loopback.
describe('warden model reference', () => {
  let t: TestApp;
  let url: string;
  let dir: string;

  beforeAll(async () => {
    t = await createTestApp();
    await createModel(t, 'iris');
    await t.rawApp.listen({ port: 0, host: '127.0.0.1' });
    const address = t.rawApp.server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    dir = mkdtempSync(path.join(tmpdir(), 'warden-reference-'));
    mkdirSync(path.join(dir, 'model'));
    copyFileSync(example('model/iris.onnx'), path.join(dir, 'model', 'iris.onnx'));
    copyFileSync(example('data/reference.csv'), path.join(dir, 'reference.csv'));
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function warden(args: string[]) {
    const { ctx, out, err } = memoryCtx(dir, { WARDEN_URL: url, WARDEN_TOKEN: t.adminToken });
    const code = await runCli(args, ctx);
    return { code, out: out(), err: err() };
  }

  it('pushes the iris model with its reference, shows and downloads it', async () => {
    const pushed = await warden([
      'model',
      'push',
      'model/iris.onnx',
      '--model',
      'iris',
      '--reference',
      'reference.csv',
      '--reference-role',
      'species=target',
    ]);
    expect(pushed, pushed.err).toMatchObject({ code: 0 });
    expect(pushed.out).toMatch(/Reference attached: 120 rows, sha256:[0-9a-f]{64}/);

    const shown = await warden(['model', 'reference', 'show', 'iris', '1']);
    expect(shown.out).toMatch(/petal_width\s+feature\s+numeric\s+input:float_input\[3\]\s+120\s+0/);
    expect(shown.out).toMatch(/species\s+target\s+categorical/);

    const got = await warden(['model', 'reference', 'download', 'iris', '1', '--out', 'copy.csv']);
    expect(got, got.err).toMatchObject({ code: 0 });
    expect(readFileSync(path.join(dir, 'copy.csv')).equals(readFileSync(example('data/reference.csv')))).toBe(
      true,
    );
  });

  it('says the version was pushed and how to retry when the reference does not attach', async () => {
    writeFileSync(path.join(dir, 'bad.csv'), 'a,b\n1,2\n');
    writeFileSync(path.join(dir, 'model', 'README.md'), 'iris, again\n');
    const pushed = await warden(['model', 'push', 'model', '--model', 'iris', '--reference', 'bad.csv']);
    expect(pushed.code).not.toBe(0);
    expect(pushed.err).toMatch(/Version 2 of "iris" was pushed, but its reference was not attached/);
    expect(pushed.err).toContain('warden model reference set iris 2 bad.csv');

    const set = await warden([
      'model',
      'reference',
      'set',
      'iris',
      '2',
      'reference.csv',
      '--role',
      'species=boss',
    ]);
    expect(set.code).not.toBe(0);
    expect(set.err).toMatch(/not one of feature, prediction/);
    const json = await warden([
      'model',
      'reference',
      'set',
      'iris',
      '2',
      'reference.csv',
      '--role',
      'species=target',
      '--json',
    ]);
    expect(json, json.err).toMatchObject({ code: 0 });
    expect(JSON.parse(json.out)).toMatchObject({ version: 2, rows: 120 });
  });
});
