import { randomBytes } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlUnitOfWork } from '../../src/adapters/sql/unit-of-work.js';
import { runCli } from '../../src/cli/run-cli.js';
import { rootDigest } from '../../src/modules/manifest/root-digest.js';
import { aVersion } from '../contract/registry-records.js';
import {
  blobFile,
  createModel,
  expectProblem,
  expectUnchanged,
  type PushFile,
  push,
  pushRaw,
  sha256,
} from '../fixtures/http-helpers.js';
import { memoryCtx } from '../fixtures/memory-cli.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';

// Probe finding (issue 9): a push holding `.git/config` was accepted, and after `warden pull` its
// core.fsmonitor line ran a command on the next `git status` in the pulled folder. Every path rule is
// enforced at push (nothing stored) and again by pull before it writes anything.
const fsmonitorConfig = '[core]\n\tfsmonitor = "touch /tmp/warden-pwned; false"\n';

describe('pushed file paths', () => {
  let t: TestApp;
  let counter = 0;
  const fresh = () => Buffer.from(`path-rules-${++counter}-${randomBytes(8).toString('hex')}`);
  const stored = (content: Buffer | string) => existsSync(blobFile(t, sha256(content)));

  beforeAll(async () => {
    t = await createTestApp();
    await createModel(t, 'paths');
    await push(t, 'paths', { kind: 'file' }, [{ path: 'seed.bin', content: 'seed' }]);
  });
  afterAll(async () => t?.close());

  async function refused(code: string, files: PushFile[]) {
    const res = await expectUnchanged(t, () => pushRaw(t, 'paths', { kind: 'directory' }, files));
    const body = expectProblem(res, 400, code, t);
    for (const f of files) expect(stored(f.content), f.path).toBe(false);
    return body;
  }

  it('refuses the original attack: .git/config with core.fsmonitor, naming the path and the rule', async () => {
    const body = await refused('invalid_file_path', [
      { path: 'model.onnx.bin', content: fresh() },
      { path: '.git/config', content: fsmonitorConfig },
    ]);
    expect(body.details).toMatchObject({ path: '.git/config', rule: 'git_component' });
    expect(body.detail).toContain('".git/config"');
    expect(body.detail).toContain('rule: git_component');
  });

  it.each([
    ['.GIT/config', 'git_component'],
    ['sub/.Git/hooks/pre-commit', 'git_component'],
    ['.git./config', 'git_component'],
    ['.git /config', 'git_component'],
    ['git~1/config', 'git_component'],
    ['GIT~1/config', 'git_component'],
    ['\uff0egit/config', 'git_component'],
    ['.g\u200cit/config', 'format_character'],
    ['invoice\u202etxt.onnx', 'format_character'],
    ['a\u2066b', 'format_character'],
    ['a\u200bb', 'format_character'],
    ['\ufeffmodel.bin', 'format_character'],
    ['a\u0085b', 'control_character'],
    ['a\u0001b', 'control_character'],
    ['a\uff0fb', 'lookalike_separator'],
    ['a\u2215b', 'lookalike_separator'],
    ['a\u2044b', 'lookalike_separator'],
    ['a\\b', 'lookalike_separator'],
    ['a/../b', 'dot_component'],
    ['\uff0e\uff0e/x', 'dot_component'],
    ['...', 'dot_component'],
    ['CON', 'reserved_name'],
    ['nul.txt', 'reserved_name'],
    ['bad\ufffdname', 'not_unicode'],
  ])('refuses %j with invalid_file_path, rule %s, storing nothing', async (p, rule) => {
    const body = await refused('invalid_file_path', [
      { path: 'ok/first.bin', content: fresh() },
      { path: p, content: fresh() },
    ]);
    expect(body.details).toMatchObject({ path: p, rule });
    expect(body.detail).toContain(JSON.stringify(p).slice(1, -1));
  });

  it.each([
    [['Model.bin', 'model.bin'], 'case_collision'],
    [['caf\u00e9.bin', 'cafe\u0301.bin'], 'case_collision'],
    [['dir/x.bin', 'DIR/x.bin'], 'case_collision'],
    [['a', 'a/b'], 'file_directory_conflict'],
    [['a/b', 'a'], 'file_directory_conflict'],
    [['A', 'a/b'], 'file_directory_conflict'],
  ])('refuses %j with conflicting_file_paths, rule %s, storing nothing', async (paths, rule) => {
    // The client's order is kept (the root digest is over sorted paths, so any order is accepted).
    const body = await refused(
      'conflicting_file_paths',
      paths.map((p) => ({ path: p, content: fresh() })),
    );
    expect(body.details).toMatchObject({ rule, other: paths[0], path: paths[1] });
  });

  /** A push whose file part's Content-Disposition carries `disposition` as raw bytes. */
  async function pushRawDisposition(disposition: Buffer) {
    const boundary = `----warden-bytes-${randomBytes(8).toString('hex')}`;
    const content = fresh();
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="metadata"\r\n\r\n{"kind":"directory"}\r\n`,
      ),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; `),
      disposition,
      Buffer.from('\r\nContent-Type: application/octet-stream\r\n\r\n'),
      content,
      Buffer.from(
        `\r\n--${boundary}\r\nContent-Disposition: form-data; name="digest"\r\n\r\nsha256:${'0'.repeat(64)}\r\n--${boundary}--\r\n`,
      ),
    ]);
    const res = await expectUnchanged(t, () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/models/paths/versions',
        payload: body,
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      }),
    );
    expect(stored(content)).toBe(false);
    return res;
  }

  it.each([
    [
      'a raw byte 0xFF in filename=',
      Buffer.concat([Buffer.from('filename="bad'), Buffer.from([0xff]), Buffer.from('.bin"')]),
    ],
    [
      'a truncated UTF-8 sequence in filename=',
      Buffer.concat([Buffer.from('filename="bad'), Buffer.from([0xe2, 0x82]), Buffer.from('"')]),
    ],
    ['percent-encoded invalid UTF-8 in filename*=', Buffer.from("filename*=UTF-8''bad%FF%FE.bin")],
    ['a lone surrogate (CESU-8) in filename*=', Buffer.from("filename*=UTF-8''bad%ED%A0%80.bin")],
  ])(
    'refuses %s with 400 invalid_file_path rule not_unicode, not a silent U+FFFD',
    async (_what, disposition) => {
      const res = await pushRawDisposition(disposition);
      const body = expectProblem(res, 400, 'invalid_file_path', t);
      expect(body.details.rule).toBe('not_unicode');
    },
  );

  it('still accepts ordinary names, dotfiles and .gitattributes/.gitmodules as regular files', async () => {
    const files = [
      { path: '.gitattributes', content: fresh() },
      { path: '.gitmodules', content: fresh() },
      { path: 'tokenizer/vocab.json', content: fresh() },
      { path: 'ünïcødé/😀.bin', content: fresh() },
      { path: 'a..b', content: fresh() },
    ];
    const v = await push(t, 'paths', { kind: 'directory' }, files);
    expect(v.files.map((f: { path: string }) => f.path).sort()).toEqual(files.map((f) => f.path).sort());
  });
});

describe('warden model pull of unsafe versions and into trapped folders', () => {
  let t: TestApp;
  let url: string;
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'warden-pull-paths-'));
    dirs.push(dir);
    return dir;
  };

  async function cli(args: string[], cwd: string) {
    const { ctx, out, err } = memoryCtx(cwd, { WARDEN_URL: url, WARDEN_TOKEN: t.adminToken });
    const code = await runCli(args, ctx);
    return { code, stdout: out(), stderr: err() };
  }

  /** Stores a version directly in the database, as a version pushed before the path rules would be. */
  async function insertStoredVersion(model: string, files: { path: string; content: string }[]) {
    const database = t.db.open();
    try {
      return await createSqlUnitOfWork(database.db, database.capabilities).run(async ({ registry }) => {
        const m = await registry.findModelByName(model);
        if (!m) throw new Error('model missing');
        const records = files.map((f) => ({
          path: f.path,
          digest: sha256(f.content),
          size: Buffer.byteLength(f.content),
        }));
        const version = aVersion(m, await registry.nextVersionNumber(m.id), {
          kind: 'directory',
          format: 'unknown',
          // The root digest covers contents only, and these reuse the pushed version's blobs: a unique
          // version digest keeps the (model, digest) key free. Pull refuses before it gets that far.
          digest: sha256(
            `${rootDigest(records.map((r) => ({ name: r.path, digest: r.digest })))}/${randomBytes(8).toString('hex')}`,
          ),
          size: records.reduce((n, r) => n + r.size, 0),
          fileCount: records.length,
          createdBy: 'service:admin',
          createdAt: new Date().toISOString(),
        });
        await registry.insertVersion(version, records);
        return version.number;
      });
    } finally {
      await database.close();
    }
  }

  beforeAll(async () => {
    t = await createTestApp();
    await createModel(t, 'legacy');
    await createModel(t, 'good');
    // The blobs the stored versions name exist, so only the path rules stand between them and the disk.
    await push(t, 'legacy', { kind: 'directory' }, [
      { path: 'config', content: fsmonitorConfig },
      { path: 'weights.bin', content: 'weights' },
    ]);
    await push(t, 'good', { kind: 'directory' }, [
      { path: 'sub/model.bin', content: 'model bytes' },
      { path: 'top.bin', content: 'top bytes' },
    ]);
    await t.rawApp.listen({ port: 0, host: '127.0.0.1' });
    const address = t.rawApp.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    url = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    await t?.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const noStack = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at \S|unexpected error/);

  it('refuses a stored version holding .git/config before writing anything (exit 5)', async () => {
    const n = await insertStoredVersion('legacy', [
      { path: '.git/config', content: fsmonitorConfig },
      { path: 'weights.bin', content: 'weights' },
    ]);
    const work = tempDir();
    const res = await cli(['model', 'pull', `legacy@${n}`, '--out', 'out'], work);
    expect(res.code, res.stderr).toBe(5);
    expect(res.stderr).toContain('unsafe_version_path');
    expect(res.stderr).toContain('".git/config"');
    expect(res.stderr).toContain('git_component');
    noStack(res.stderr);
    expect(readdirSync(work)).toEqual([]);
  });

  it('refuses a stored version holding a and a/b (no EEXIST stack trace), writing nothing', async () => {
    const n = await insertStoredVersion('legacy', [
      { path: 'config', content: fsmonitorConfig },
      { path: 'config/weights.bin', content: 'weights' },
    ]);
    const work = tempDir();
    mkdirSync(path.join(work, 'out'));
    const res = await cli(['model', 'pull', `legacy@${n}`, '--out', 'out'], work);
    expect(res.code, res.stderr).toBe(5);
    expect(res.stderr).toContain('file_directory_conflict');
    noStack(res.stderr);
    expect(readdirSync(path.join(work, 'out'))).toEqual([]);
  });

  it('refuses a stored version whose paths differ only by case', async () => {
    const n = await insertStoredVersion('legacy', [
      { path: 'Weights.bin', content: 'weights' },
      { path: 'weights.bin', content: 'weights' },
    ]);
    const work = tempDir();
    const res = await cli(['model', 'pull', `legacy@${n}`, '--out', 'out'], work);
    expect(res.code, res.stderr).toBe(5);
    expect(res.stderr).toContain('case_collision');
    expect(readdirSync(work)).toEqual([]);
  });

  it('never writes through a symlinked folder planted in the target (--force), and writes nothing', async () => {
    const work = tempDir();
    const outside = tempDir();
    const out = path.join(work, 'out');
    mkdirSync(out);
    symlinkSync(outside, path.join(out, 'sub'));
    writeFileSync(path.join(out, 'keep.txt'), 'mine');
    const res = await cli(['model', 'pull', 'good@1', '--out', 'out', '--force'], work);
    expect(res.code, res.stderr).toBe(4);
    expect(res.stderr).toContain('unsafe_pull_target');
    expect(res.stderr).toContain('symbolic link');
    noStack(res.stderr);
    expect(readdirSync(outside)).toEqual([]);
    expect(readdirSync(out).sort()).toEqual(['keep.txt', 'sub']);
    expect(existsSync(path.join(out, 'top.bin'))).toBe(false);
  });

  it('never replaces or follows a symlink standing where a file goes', async () => {
    const work = tempDir();
    const outside = tempDir();
    const victim = path.join(outside, 'victim.txt');
    writeFileSync(victim, 'untouched');
    const out = path.join(work, 'out');
    mkdirSync(out);
    symlinkSync(victim, path.join(out, 'top.bin'));
    const res = await cli(['model', 'pull', 'good@1', '--out', 'out', '--force'], work);
    expect(res.code, res.stderr).toBe(4);
    expect(res.stderr).toContain('unsafe_pull_target');
    expect(readFileSync(victim, 'utf8')).toBe('untouched');
    expect(lstatSync(path.join(out, 'top.bin')).isSymbolicLink()).toBe(true);
    expect(readdirSync(out)).toEqual(['top.bin']);
  });

  it('refuses a folder standing where a file goes, and an --out that is a file, cleanly', async () => {
    const work = tempDir();
    mkdirSync(path.join(work, 'out', 'top.bin'), { recursive: true });
    const res = await cli(['model', 'pull', 'good@1', '--out', 'out', '--force'], work);
    expect(res.code, res.stderr).toBe(4);
    expect(res.stderr).toContain('not a regular file');
    noStack(res.stderr);

    writeFileSync(path.join(work, 'plain'), 'x');
    const onFile = await cli(['model', 'pull', 'good@1', '--out', 'plain'], work);
    expect(onFile.code, onFile.stderr).toBe(4);
    expect(onFile.stderr).toContain('not a folder');
    noStack(onFile.stderr);
  });

  it('with --force replaces regular files at the version paths and keeps other files', async () => {
    const work = tempDir();
    const out = path.join(work, 'out');
    mkdirSync(path.join(out, 'sub'), { recursive: true });
    writeFileSync(path.join(out, 'top.bin'), 'old');
    writeFileSync(path.join(out, 'keep.txt'), 'mine');
    const res = await cli(['model', 'pull', 'good@1', '--out', 'out', '--force'], work);
    expect(res.code, res.stderr).toBe(0);
    expect(readFileSync(path.join(out, 'top.bin'), 'utf8')).toBe('top bytes');
    expect(readFileSync(path.join(out, 'sub', 'model.bin'), 'utf8')).toBe('model bytes');
    expect(readFileSync(path.join(out, 'keep.txt'), 'utf8')).toBe('mine');
    expect(readdirSync(out).sort()).toEqual(['keep.txt', 'sub', 'top.bin']);
  });

  it('refuses early, before any upload, to push a folder holding a nested .git', async () => {
    const work = tempDir();
    const model = path.join(work, 'model');
    mkdirSync(path.join(model, 'vendored', '.git'), { recursive: true });
    writeFileSync(path.join(model, 'vendored', '.git', 'config'), fsmonitorConfig);
    writeFileSync(path.join(model, 'weights.bin'), 'w');
    const res = await cli(['model', 'push', 'model', '--model', 'good'], work);
    expect(res.code, res.stderr).toBe(2);
    expect(res.stderr).toContain('invalid_file_path');
    expect(res.stderr).toContain('vendored/.git/config');
    const versions = await t.app.inject({ method: 'GET', url: '/api/v1/models/good/versions' });
    expect(versions.json().items).toHaveLength(1);
  });
});
