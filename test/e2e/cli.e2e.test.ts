import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cleanup,
  digestOf,
  fileRootDigest,
  freePort,
  type RunningWarden,
  repoRoot,
  sha256Hex,
  startServer,
  tempDir,
  warden,
  wardenJson,
} from './helpers.js';

interface FileView {
  path: string;
  digest: string;
  size: number;
}
interface VersionJson {
  model: string;
  number: number;
  digest: string;
  kind: 'file' | 'directory';
  format: string;
  size: number;
  fileCount: number;
  ioSignature: {
    inputs: { name: string; dtype: string; shape: unknown[] | null }[];
    outputs: { name: string; dtype: string; shape: unknown[] | null }[];
  } | null;
  metrics: Record<string, number>;
  params: Record<string, unknown>;
  metadata: Record<string, string>;
  lineage: {
    datasetDigests: string[];
    trainingRun: string | null;
    parent: { model: string; number: number; digest: string } | null;
    sourceCommit: string | null;
  };
  aliases: string[];
  files: FileView[];
}
interface AliasEvent {
  alias: string;
  from: number | null;
  to: number | null;
  reason: string | null;
  at: string;
}

const irisDir = path.join(repoRoot, 'examples', 'iris', 'model');
const irisOnnx = path.join(irisDir, 'iris.onnx');
const metricsFile = path.join(irisDir, 'metrics.json');
const paramsFile = path.join(irisDir, 'params.json');
const referenceCsv = path.join(repoRoot, 'examples', 'iris', 'data', 'reference.csv');
const sourceCommit = '0123456789abcdef0123456789abcdef01234567';

const slow = { timeout: 120_000 };

/** Relative path → bytes of every file under `dir`. */
function snapshot(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (rel: string) => {
    for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else out.set(child, readFileSync(path.join(dir, child)));
    }
  };
  walk('');
  return out;
}

function expectSameBytes(actual: string, expected: string): void {
  expect(sha256Hex(readFileSync(actual)), `${actual} vs ${expected}`).toBe(sha256Hex(readFileSync(expected)));
}

describe('warden CLI against a real `warden serve`', { timeout: 60_000 }, () => {
  let server: RunningWarden;
  let url: string;
  let work: string;
  const cli = (args: string[]) => warden(args, { url, cwd: work });
  const cliJson = <T>(args: string[]) => wardenJson<T>(args, { url, cwd: work });

  beforeAll(async () => {
    server = await startServer();
    url = server.url;
    work = tempDir();
  });

  afterAll(async () => {
    try {
      await server?.stop();
    } finally {
      await cleanup();
    }
  });

  it('--help lists the commands and `serve --help` every server option', async () => {
    const top = await warden(['--help']);
    expect(top.code).toBe(0);
    for (const command of ['serve', 'digest', 'model', 'alias']) expect(top.stdout).toContain(command);

    const serve = await warden(['serve', '--help']);
    expect(serve.code).toBe(0);
    for (const option of ['--host', '--port', '--data-dir', '--database-url', '--config', '--log-level']) {
      expect(serve.stdout).toContain(option);
    }
  });

  it('creates, lists and shows a model, as tables and as JSON', async () => {
    const created = await cli([
      'model',
      'create',
      'iris',
      '--description',
      'Iris species classifier',
      '--tag',
      'demo',
      '--owner',
      'ml-team',
    ]);
    expect(created, created.stderr).toMatchObject({ code: 0 });
    expect(created.stdout).toContain('Created model iris');

    const table = await cli(['model', 'list']);
    expect(table.code).toBe(0);
    const [header, ...rows] = table.stdout.trim().split('\n');
    expect(header).toMatch(/^NAME\s+OWNER\s+TAGS\s+UPDATED\s+DESCRIPTION$/);
    expect(rows.some((r) => /^iris\s+ml-team\s+demo\s/.test(r))).toBe(true);

    const listed = await cliJson<{ items: { name: string; tags: string[]; owner: string }[] }>([
      'model',
      'list',
    ]);
    expect(listed.items).toContainEqual(
      expect.objectContaining({ name: 'iris', owner: 'ml-team', tags: ['demo'] }),
    );

    const shown = await cli(['model', 'show', 'iris']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^name:\s+iris$/m);
    expect(shown.stdout).toMatch(/^description:\s+Iris species classifier$/m);
    expect(shown.stdout).toMatch(/^VERSION\s+DIGEST/m);

    const json = await cliJson<{ name: string; description: string; versions: unknown[] }>([
      'model',
      'show',
      'iris',
    ]);
    expect(json).toMatchObject({ name: 'iris', description: 'Iris species classifier', versions: [] });
  });

  it('pushes the demo ONNX file with metrics, params, metadata and an alias', async () => {
    const v = await cliJson<VersionJson>([
      'model',
      'push',
      irisOnnx,
      '--model',
      'iris',
      '--metrics',
      metricsFile,
      '--params',
      paramsFile,
      '--meta',
      'stage=demo',
      '--meta',
      'note=a=b',
      '--alias',
      'staging',
    ]);
    const digest = await digestOf(irisOnnx);
    expect(digest).toBe(fileRootDigest(irisOnnx));
    expect(v).toMatchObject({
      model: 'iris',
      number: 1,
      digest: `sha256:${digest}`,
      kind: 'file',
      format: 'onnx',
      size: readFileSync(irisOnnx).length,
      fileCount: 1,
      metrics: JSON.parse(readFileSync(metricsFile, 'utf8')),
      params: JSON.parse(readFileSync(paramsFile, 'utf8')),
      metadata: { stage: 'demo', note: 'a=b' },
      aliases: ['staging'],
      lineage: { datasetDigests: [], trainingRun: null, parent: null, sourceCommit: null },
    });
    expect(v.files).toEqual([
      {
        path: 'iris.onnx',
        size: readFileSync(irisOnnx).length,
        digest: `sha256:${sha256Hex(readFileSync(irisOnnx))}`,
      },
    ]);
    expect(v.ioSignature?.inputs).toEqual([{ name: 'float_input', dtype: 'float32', shape: ['N', 4] }]);
    expect(v.ioSignature?.outputs.map((o) => o.name)).toEqual(['probabilities', 'label']);

    const shown = await cli(['model', 'show', 'iris@staging']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`sha256:${digest}`);
    expect(shown.stdout).toMatch(/^inputs:\s+float_input float32\[N,4\]$/m);
  });

  it('pushes the demo folder as version 2 with its lineage', async () => {
    const datasetDigest = `sha256:${sha256Hex(readFileSync(referenceCsv))}`;
    const v = await cliJson<VersionJson>([
      'model',
      'push',
      irisDir,
      '--model',
      'iris',
      '--parent',
      'iris@1',
      '--dataset',
      datasetDigest,
      '--training-run',
      'run-1',
      '--source-commit',
      sourceCommit,
    ]);
    expect(v).toMatchObject({
      model: 'iris',
      number: 2,
      kind: 'directory',
      digest: `sha256:${await digestOf(irisDir)}`,
      fileCount: 3,
      lineage: {
        datasetDigests: [datasetDigest],
        trainingRun: 'run-1',
        parent: { model: 'iris', number: 1 },
        sourceCommit,
      },
    });
    expect(v.files.map((f) => f.path)).toEqual(['iris.onnx', 'metrics.json', 'params.json']);

    const shown = await cli(['model', 'show', 'iris@2']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^parent:\s+iris@1$/m);
    expect(shown.stdout).toMatch(/^training run:\s+run-1$/m);
    expect(shown.stdout).toMatch(new RegExp(`^source commit:\\s+${sourceCommit}$`, 'm'));
    expect(shown.stdout).toContain(datasetDigest);
  });

  it('sets, lists, removes aliases and keeps their history, newest first', async () => {
    const first = await cli(['alias', 'set', 'iris', 'champion', '1', '--reason', 'first release']);
    expect(first, first.stderr).toMatchObject({ code: 0 });
    expect(first.stdout).toContain('iris@champion → version 1');
    const second = await cliJson<{ changed: boolean; previous: number | null; alias: { version: number } }>([
      'alias',
      'set',
      'iris',
      'champion',
      '2',
      '--reason',
      'better lineage',
    ]);
    expect(second).toMatchObject({ changed: true, previous: 1, alias: { version: 2 } });

    const aliases = await cliJson<{ name: string; version: number }[]>(['alias', 'list', 'iris']);
    expect(aliases.map((a) => [a.name, a.version]).sort()).toEqual([
      ['champion', 2],
      ['staging', 1],
    ]);
    const table = await cli(['alias', 'list', 'iris']);
    expect(table.stdout).toMatch(/^ALIAS\s+VERSION\s+DIGEST\s+UPDATED\s+BY$/m);
    expect(table.stdout).toMatch(/^champion\s+2\s/m);

    const removed = await cli(['alias', 'rm', 'iris', 'champion', '--reason', 'retired']);
    expect(removed, removed.stderr).toMatchObject({ code: 0 });
    expect(removed.stdout).toContain('Removed iris@champion');

    const history = await cliJson<{ items: AliasEvent[] }>(['alias', 'history', 'iris', 'champion']);
    expect(history.items.map((e) => [e.from, e.to, e.reason])).toEqual([
      [2, null, 'retired'],
      [1, 2, 'better lineage'],
      [null, 1, 'first release'],
    ]);
    const times = history.items.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    const human = await cli(['alias', 'history', 'iris', 'champion']);
    const lines = human.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^WHEN\s+FROM\s+TO\s+BY\s+REASON$/);
    expect(lines[1]).toMatch(/\s2\s+\(removed\)\s.*retired$/);
    expect(lines[2]).toMatch(/\s1\s+2\s.*better lineage$/);
    expect(lines[3]).toMatch(/\s-\s+1\s.*first release$/);

    const gone = await cliJson<{ name: string }[]>(['alias', 'list', 'iris']);
    expect(gone.map((a) => a.name)).toEqual(['staging']);
  });

  it('pulls by number, alias and digest prefix, byte-identical and verified', async () => {
    const v2 = await cliJson<VersionJson>(['model', 'show', 'iris@2']);

    const byNumber = await cli(['model', 'pull', 'iris@1', '--out', 'by-number']);
    expect(byNumber, byNumber.stderr).toMatchObject({ code: 0 });
    expect(byNumber.stdout).toContain('all digests verified');
    expect(readdirSync(path.join(work, 'by-number'))).toEqual(['iris.onnx']);
    expectSameBytes(path.join(work, 'by-number', 'iris.onnx'), irisOnnx);
    expect(await digestOf(path.join(work, 'by-number'))).toBe(fileRootDigest(irisOnnx));

    const byAlias = await cliJson<{ version: number; digest: string; files: FileView[] }>([
      'model',
      'pull',
      'iris@staging',
      '--out',
      'by-alias',
    ]);
    expect(byAlias.version).toBe(1);
    expectSameBytes(path.join(work, 'by-alias', 'iris.onnx'), irisOnnx);

    const prefix = v2.digest.slice(0, 'sha256:'.length + 12);
    const byDigest = await cli(['model', 'pull', `iris@${prefix}`, '--out', 'nested/by-digest']);
    expect(byDigest, byDigest.stderr).toMatchObject({ code: 0 });
    const out = path.join(work, 'nested', 'by-digest');
    expect(readdirSync(out).sort()).toEqual(['iris.onnx', 'metrics.json', 'params.json']);
    for (const name of readdirSync(out)) expectSameBytes(path.join(out, name), path.join(irisDir, name));
    expect(`sha256:${await digestOf(out)}`).toBe(v2.digest);

    const latest = await cliJson<{ version: number }>(['model', 'pull', 'iris', '--out', 'latest']);
    expect(latest.version).toBe(2);
  });

  it('refuses to pull into a non-empty folder unless --force', async () => {
    const out = path.join(work, 'occupied');
    mkdirSync(out);
    writeFileSync(path.join(out, 'iris.onnx'), 'not a model');
    writeFileSync(path.join(out, 'notes.txt'), 'mine');
    const before = snapshot(out);

    const refused = await cli(['model', 'pull', 'iris@1', '--out', out]);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('output_not_empty');
    expect(snapshot(out)).toEqual(before);

    const forced = await cli(['model', 'pull', 'iris@1', '--out', out, '--force']);
    expect(forced, forced.stderr).toMatchObject({ code: 0 });
    expectSameBytes(path.join(out, 'iris.onnx'), irisOnnx);
    // --force overwrites the version's files and leaves unrelated ones alone.
    expect(readFileSync(path.join(out, 'notes.txt'), 'utf8')).toBe('mine');
    expect(readdirSync(out).filter((n) => n.startsWith('.warden-pull-'))).toEqual([]);
  });

  it('refuses a tampered blob: exit 5, nothing left under the final name or in staging', async () => {
    expect((await cli(['model', 'create', 'tamper'])).code).toBe(0);
    const src = path.join(work, 'tamper-src.bin');
    const bytes = randomBytes(256 * 1024);
    writeFileSync(src, bytes);
    const v = await cliJson<VersionJson>(['model', 'push', src, '--model', 'tamper']);

    const hex = sha256Hex(bytes);
    const blob = path.join(server.dataDir, 'blobs', 'sha256', hex.slice(0, 2), hex.slice(2));
    expect(existsSync(blob), blob).toBe(true);
    const handle = await open(blob, 'r+');
    try {
      // A byte of the stored (encrypted) body, past the 4 KiB header, flipped where it was read: flipping a
      // byte read elsewhere (the header's zero padding) left the blob intact once in 256 runs.
      const at = 4096 + 1000;
      const one = Buffer.alloc(1);
      await handle.read(one, 0, 1, at);
      one[0] = (one[0] as number) ^ 0xff;
      await handle.write(one, 0, 1, at);
    } finally {
      await handle.close();
    }

    const parent = path.join(work, 'tamper-pulls');
    mkdirSync(parent);
    const pulled = await cli(['model', 'pull', `tamper@${v.number}`, '--out', path.join(parent, 'out')]);
    expect(pulled.code, pulled.stderr).toBe(5);
    expect(pulled.stderr).toContain('blob_integrity');
    expect(existsSync(path.join(parent, 'out'))).toBe(false);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('maps errors to exit codes and codes on stderr', async () => {
    const missing = await cli(['model', 'push', irisOnnx, '--model', 'no-such-model']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('model_not_found');

    const badName = await cli(['model', 'create', 'Not_A_Slug']);
    expect(badName.code).toBe(2);
    expect(badName.stderr).toContain('invalid_name');

    const again = await cli(['model', 'push', irisOnnx, '--model', 'iris']);
    expect(again.code).toBe(4);
    expect(again.stderr).toContain('version_exists');

    const unreachable = await warden(['model', 'list', '--url', 'http://127.0.0.1:1'], { cwd: work });
    expect(unreachable.code).toBe(8);
    expect(unreachable.stderr).toContain('server_unreachable');
    // Port 1 is on fetch's blocked list, so it fails before connecting; a closed port is refused for real.
    const closed = await warden(['model', 'list'], {
      url: `http://127.0.0.1:${await freePort()}`,
      cwd: work,
    });
    expect(closed.code).toBe(8);
    expect(closed.stderr).toContain('ECONNREFUSED');

    const unknownFlag = await cli(['model', 'list', '--no-such-flag']);
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.stderr).toContain("unknown option '--no-such-flag'");
  });

  it('deletes a version: confirmation and reason required, a tombstone shown, its files gone', async () => {
    expect((await cli(['model', 'create', 'retired'])).code).toBe(0);
    const file = path.join(work, 'retired.bin');
    writeFileSync(file, randomBytes(4096));
    const pushed = await cliJson<VersionJson>([
      'model',
      'push',
      file,
      '--model',
      'retired',
      '--alias',
      'live',
    ]);
    const target = `retired@${pushed.number}`;
    const remove = (...args: string[]) => cli(['model', 'delete', ...args]);

    const unconfirmed = await remove(target, '--reason', 'gdpr request');
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('--yes');
    const noVersion = await remove('retired', '--reason', 'x', '--yes');
    expect(noVersion.code).toBe(2);
    const noReason = await remove(target, '--yes');
    expect(noReason.code).toBe(2);
    const aliased = await remove(target, '--reason', 'gdpr request', '--yes');
    expect(aliased.code).toBe(4);
    expect(aliased.stderr).toContain('version_aliased');

    expect((await cli(['alias', 'rm', 'retired', 'live'])).code).toBe(0);
    const deleted = await remove(target, '--reason', 'gdpr request', '--yes');
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toContain(`Deleted ${target}`);
    expect(deleted.stdout).toContain('1 blob destroyed');

    const shown = await cli(['model', 'show', target]);
    // The display name, then the exact principal id.
    expect(shown.stdout).toMatch(
      /deleted:\s+.* by admin \(token:[0-9A-Za-z]{12}\): gdpr request \(files destroyed\)/,
    );
    const listed = await cli(['model', 'show', 'retired']);
    expect(listed.stdout).not.toContain(pushed.digest.slice(7, 19));
    const withDeleted = await cli(['model', 'show', 'retired', '--deleted']);
    expect(withDeleted.stdout).toContain('(deleted ');

    const pull = await cli(['model', 'pull', target, '--out', path.join(work, 'retired-out')]);
    expect(pull.code).toBe(3);
    expect(pull.stderr).toContain('version_deleted');
    const twice = await remove(target, '--reason', 'again', '--yes');
    expect(twice.code).toBe(3);
  });

  it('refuses a folder holding a symlink before anything reaches the server', async () => {
    expect((await cli(['model', 'create', 'links'])).code).toBe(0);
    const dir = path.join(work, 'with-link');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'weights.bin'), randomBytes(1024));
    symlinkSync(irisOnnx, path.join(dir, 'linked.onnx'));
    const blobsBefore = snapshot(path.join(server.dataDir, 'blobs', 'sha256'));

    const pushed = await cli(['model', 'push', dir, '--model', 'links']);
    expect(pushed.code).toBe(2);
    expect(pushed.stderr).toContain('model_symlink');

    const after = await cliJson<{ versions: unknown[] }>(['model', 'show', 'links']);
    expect(after.versions).toEqual([]);
    expect(snapshot(path.join(server.dataDir, 'blobs', 'sha256'))).toEqual(blobsBefore);
  });

  it('pushes a nested folder without .git, with the same digest as `warden digest`', slow, async () => {
    expect((await cli(['model', 'create', 'nested'])).code).toBe(0);
    const dir = path.join(work, 'nested-src');
    mkdirSync(path.join(dir, 'a', 'b'), { recursive: true });
    mkdirSync(path.join(dir, '.git'));
    writeFileSync(path.join(dir, 'a', 'b', 'c.bin'), randomBytes(5 * 1024 * 1024));
    writeFileSync(path.join(dir, 'x.txt'), 'hello\n');
    writeFileSync(path.join(dir, '.git', 'config'), '[core]\n');

    const v = await cliJson<VersionJson>(['model', 'push', dir, '--model', 'nested']);
    expect(v.files.map((f) => f.path)).toEqual(['a/b/c.bin', 'x.txt']);
    expect(v.digest).toBe(`sha256:${await digestOf(dir)}`);
    expect(v.size).toBe(5 * 1024 * 1024 + 'hello\n'.length);

    const pulled = await cli(['model', 'pull', 'nested@1', '--out', 'nested-out']);
    expect(pulled, pulled.stderr).toMatchObject({ code: 0 });
    const out = path.join(work, 'nested-out');
    expect([...snapshot(out).keys()].sort()).toEqual(['a/b/c.bin', 'x.txt']);
    expectSameBytes(path.join(out, 'a', 'b', 'c.bin'), path.join(dir, 'a', 'b', 'c.bin'));
  });

  it('round-trips a 40 MiB file byte for byte', slow, async () => {
    expect((await cli(['model', 'create', 'large'])).code).toBe(0);
    const src = path.join(work, 'large.bin');
    writeFileSync(src, randomBytes(40 * 1024 * 1024));

    const v = await cliJson<VersionJson>(['model', 'push', src, '--model', 'large']);
    expect(v.size).toBe(40 * 1024 * 1024);
    expect(v.digest).toBe(`sha256:${fileRootDigest(src)}`);

    const pulled = await cli(['model', 'pull', 'large@1', '--out', 'large-out']);
    expect(pulled, pulled.stderr).toMatchObject({ code: 0 });
    expectSameBytes(path.join(work, 'large-out', 'large.bin'), src);
  });
});
