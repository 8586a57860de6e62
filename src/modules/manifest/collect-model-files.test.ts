import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectModelFiles } from './collect-model-files.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warden-model-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(rel: string, content = rel): Promise<void> {
  await mkdir(join(dir, rel, '..'), { recursive: true });
  await writeFile(join(dir, rel), content);
}
const names = async (options = {}) => (await collectModelFiles(dir, options)).files.map((f) => f.path);
const posix = process.platform !== 'win32';

describe('collectModelFiles', () => {
  it('names a single-file model "."', async () => {
    await put('weights.bin', '12345');
    const model = await collectModelFiles(join(dir, 'weights.bin'));
    expect(model).toEqual({
      kind: 'file',
      root: join(dir, 'weights.bin'),
      files: [{ path: '.', absPath: join(dir, 'weights.bin'), size: 5 }],
      ignorePaths: [],
    });
  });

  it('lists every regular file below a directory in manifest order', async () => {
    for (const p of ['a.txt', 'a-b/c', 'a/b', 'a/a', 'deep/x/y/z.bin']) await put(p);
    await mkdir(join(dir, 'empty/nested'), { recursive: true });
    const model = await collectModelFiles(`${dir}/`);
    expect(model.kind).toBe('directory');
    expect(model.root).toBe(dir);
    expect(model.files.map((f) => f.path)).toEqual(['a/a', 'a/b', 'a-b/c', 'a.txt', 'deep/x/y/z.bin']);
    expect(model.files[0]).toEqual({ path: 'a/a', absPath: join(dir, 'a', 'a'), size: 3 });
  });

  it('leaves out git paths and model.sig at the model root only', async () => {
    for (const p of ['.git/HEAD', '.git/objects/ab/cd', '.gitattributes', '.gitignore', '.github/ci.yml'])
      await put(p);
    for (const p of ['model.sig', 'model.onnx', 'sub/.gitignore', 'sub/model.sig', '.gitkeep']) await put(p);
    if (posix) await symlink('/etc/passwd', join(dir, '.git', 'link'));
    const model = await collectModelFiles(dir);
    expect(model.files.map((f) => f.path)).toEqual([
      '.gitkeep',
      'model.onnx',
      'sub/.gitignore',
      'sub/model.sig',
    ]);
    expect(model.ignorePaths).toEqual(['.git', '.gitattributes', '.github', '.gitignore', 'model.sig']);
  });

  it('keeps git paths when ignoreGitPaths is false', async () => {
    for (const p of ['.git/HEAD', '.gitignore', 'model.sig', 'w.bin']) await put(p);
    expect(await names({ ignoreGitPaths: false })).toEqual(['.git/HEAD', '.gitignore', 'w.bin']);
  });

  it('applies user ignore paths given relative to the root, the cwd, or absolutely', async () => {
    for (const p of ['w.bin', 'ignore-me', 'logs/a', 'logs/b/c', 'cache/x', 'tmp/y', 'logsx']) await put(p);
    const model = await collectModelFiles(dir, {
      ignorePaths: [
        'ignore-me',
        'logs/',
        join(dir, 'cache'),
        `${dir.split('/').pop()}/tmp`,
        '/elsewhere',
        '../x',
      ],
      cwd: join(dir, '..'),
    });
    expect(model.files.map((f) => f.path)).toEqual(['logsx', 'w.bin']);
    expect(model.ignorePaths).toEqual(expect.arrayContaining(['ignore-me', 'logs', 'cache', 'tmp']));
    expect(model.ignorePaths).not.toContain('../x');
  });

  it.skipIf(!posix)('refuses a symlinked file, naming it', async () => {
    await put('real.bin');
    await symlink(join(dir, 'real.bin'), join(dir, 'link.bin'));
    await expect(collectModelFiles(dir)).rejects.toMatchObject({
      code: 'model_symlink',
      kind: 'invalid',
      message: expect.stringContaining('link.bin'),
    });
  });

  it.skipIf(!posix)('refuses a symlinked directory, a dangling link and a symlinked root', async () => {
    await put('model/w.bin');
    await mkdir(join(dir, 'outside'));
    await symlink(join(dir, 'outside'), join(dir, 'model', 'sub'));
    await expect(collectModelFiles(join(dir, 'model'))).rejects.toMatchObject({
      code: 'model_symlink',
      message: expect.stringContaining(join('model', 'sub')),
    });
    await rm(join(dir, 'model', 'sub'));
    await symlink(join(dir, 'missing'), join(dir, 'model', 'dangling'));
    await expect(collectModelFiles(join(dir, 'model'))).rejects.toMatchObject({ code: 'model_symlink' });
    await rm(join(dir, 'model', 'dangling'));
    await symlink(join(dir, 'model'), join(dir, 'alias'));
    await expect(collectModelFiles(join(dir, 'alias'))).rejects.toMatchObject({ code: 'model_symlink' });
    await expect(collectModelFiles(`${join(dir, 'alias')}/`)).rejects.toMatchObject({
      code: 'model_symlink',
    });
  });

  it.skipIf(!posix)('refuses a FIFO', async () => {
    await put('w.bin');
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    await expect(collectModelFiles(dir)).rejects.toMatchObject({
      code: 'model_special_file',
      kind: 'invalid',
    });
  });

  it.skipIf(process.platform !== 'linux')('refuses a file name that is not UTF-8', async () => {
    await writeFile(Buffer.concat([Buffer.from(`${dir}/bad-`), Buffer.from([0xff])]), 'x');
    await expect(collectModelFiles(dir)).rejects.toMatchObject({ code: 'model_file_name_not_utf8' });
  });

  it('refuses a model with no files', async () => {
    await expect(collectModelFiles(dir)).rejects.toMatchObject({ code: 'model_empty', kind: 'invalid' });
    await mkdir(join(dir, 'a/b'), { recursive: true });
    await expect(collectModelFiles(dir)).rejects.toMatchObject({ code: 'model_empty' });
    await put('.git/HEAD');
    await put('model.sig');
    await expect(collectModelFiles(dir)).rejects.toMatchObject({ code: 'model_empty' });
  });

  it('reports a missing path as not found', async () => {
    await expect(collectModelFiles(join(dir, 'nope'))).rejects.toMatchObject({
      code: 'model_path_not_found',
      kind: 'not_found',
    });
  });
});
