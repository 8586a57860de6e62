import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  blobFile,
  createModel,
  expectProblem,
  expectUnchanged,
  type PushFile,
  push,
  pushRaw,
  rawMultipart,
  rootDigestOf,
  sha256,
} from '../fixtures/http-helpers.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';

// Refused pushes (SQLite only: the checks run before any row is written). Each one must leave the registry
// and the artifact store exactly as they were, with no blob of a file that arrived before the failure.
const limits = { maxFileBytes: 1000, maxVersionBytes: 2500, maxFilesPerVersion: 3 };
const url = '/api/v1/models/up/versions';
const seed = 'seed bytes, stored by version 1';

describe('refused pushes', () => {
  let t: TestApp;
  let counter = 0;
  /** Content no other test uses, so its blob can only exist if this upload leaked it. */
  const fresh = (size = 16) => Buffer.alloc(size, `unique-${++counter}-`);
  const stored = (content: Buffer | string) => existsSync(blobFile(t, sha256(content)));

  beforeAll(async () => {
    t = await createTestApp({ limits });
    await createModel(t, 'up');
    await push(t, 'up', { kind: 'file' }, [{ path: 'seed.bin', content: seed }]);
  });
  afterAll(async () => t?.close());

  async function refused(
    status: number,
    code: string,
    metadata: unknown,
    files: PushFile[],
    extra: { digest?: string } = {},
  ) {
    const res = await expectUnchanged(t, () => pushRaw(t, 'up', metadata, files, extra));
    const body = expectProblem(res, status, code, t);
    for (const f of files) if (f.content !== seed) expect(stored(f.content), f.path).toBe(false);
    expect(stored(seed)).toBe(true);
    return body;
  }

  async function refusedRaw(status: number, code: string, parts: Parameters<typeof rawMultipart>[0]) {
    const { body, contentType } = rawMultipart(parts);
    const res = await expectUnchanged(t, () =>
      t.app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': contentType } }),
    );
    return expectProblem(res, status, code, t);
  }

  it('refuses a body that is not multipart', async () => {
    const res = await expectUnchanged(t, () =>
      t.app.inject({ method: 'POST', url, payload: { kind: 'file' } }),
    );
    expectProblem(res, 400, 'invalid_multipart', t);
  });

  it('refuses a multipart content type with no boundary as invalid_multipart, not a 500', async () => {
    const res = await expectUnchanged(t, () =>
      t.app.inject({
        method: 'POST',
        url,
        payload: 'xx',
        headers: { 'content-type': 'multipart/form-data' },
      }),
    );
    expectProblem(res, 400, 'invalid_multipart', t);
  });

  it('refuses a metadata part over limits.maxJsonBodyBytes with 413 body_too_large', async () => {
    const huge = { kind: 'file', params: { blob: 'x'.repeat(1024 * 1024 + 10) } };
    const body = await refused(413, 'body_too_large', huge, [{ path: 'a', content: fresh() }]);
    expect(body.details).toEqual({ limit: 1024 * 1024 });
  });

  it('requires the metadata part, first', async () => {
    const file = fresh();
    await refusedRaw(400, 'invalid_multipart', [{ name: 'file', filename: 'a.bin', content: file }]);
    await refusedRaw(400, 'invalid_multipart', [
      { name: 'file', filename: 'a.bin', content: file },
      { name: 'metadata', content: '{"kind":"file"}' },
    ]);
    await refusedRaw(400, 'invalid_multipart', [
      { name: 'metadata', content: '{"kind":"file"}' },
      { name: 'other', filename: 'a.bin', content: file },
    ]);
    expect(stored(file)).toBe(false);
  });

  it('refuses malformed metadata JSON', async () => {
    await refused(400, 'malformed_json', '{"kind": "file"', [{ path: 'a.bin', content: fresh() }]);
  });

  it('refuses unknown metadata fields and wrong types, naming each path', async () => {
    const unknown = await refused(400, 'invalid_request', { kind: 'file', evil: 1 }, [
      { path: 'a', content: fresh() },
    ]);
    expect(unknown.errors).toContainEqual({ path: 'metadata/evil', message: 'unknown field' });
    const nested = await refused(400, 'invalid_request', { kind: 'file', lineage: { evil: 1 } }, [
      { path: 'a', content: fresh() },
    ]);
    expect(nested.errors).toContainEqual({ path: 'metadata/lineage/evil', message: 'unknown field' });
    for (const [metadata, path] of [
      [{ kind: 'blob' }, 'metadata/kind'],
      [{ kind: 'file', metrics: { acc: 'high' } }, 'metadata/metrics/acc'],
      [{ kind: 'file', metadata: { a: 1 } }, 'metadata/metadata/a'],
      [{ kind: 'file', aliases: 'prod' }, 'metadata/aliases'],
      [{ kind: 'file', lineage: { datasetDigests: ['md5:x'] } }, 'metadata/lineage/datasetDigests/0'],
      [{}, 'metadata'],
    ] as const) {
      const body = await refused(400, 'invalid_request', metadata, [{ path: 'a', content: fresh() }]);
      expect(
        body.errors.map((e: { path: string }) => e.path),
        JSON.stringify(metadata),
      ).toContain(path);
    }
  });

  it('refuses an invalid alias or a missing parent named in the metadata', async () => {
    await refused(400, 'invalid_name', { kind: 'file', aliases: ['Prod'] }, [
      { path: 'a', content: fresh() },
    ]);
    const parent = await refused(
      400,
      'parent_version_not_found',
      { kind: 'file', lineage: { parent: 'up@9' } },
      [{ path: 'a', content: fresh() }],
    );
    expect(parent.details).toEqual({ parent: 'up@9' });
  });

  it('refuses an upload with no files', async () => {
    await refused(400, 'empty_upload', { kind: 'directory' }, []);
  });

  it('refuses a "file" version that is not exactly one top-level file', async () => {
    await refused(400, 'single_file_kind_mismatch', { kind: 'file' }, [
      { path: 'a', content: fresh() },
      { path: 'b', content: fresh() },
    ]);
    await refused(400, 'single_file_kind_mismatch', { kind: 'file' }, [{ path: 'dir/a', content: fresh() }]);
  });

  it.each([
    '../x',
    'a/../../x',
    'a/./b',
    '..',
    '/etc/passwd',
    'C:\\x',
    'c:x',
    'a\\b',
    '\\\\server\\share',
    'a//b',
    'a/',
    'a\u0000b',
    'a\u0007b',
    'a\tb',
    'a\u007fb',
    `${'x'.repeat(300)}/y`,
  ])('refuses file path %j with 400 invalid_file_path, storing nothing', async (path) => {
    const first = fresh(200);
    const body = await refused(400, 'invalid_file_path', { kind: 'directory' }, [
      { path: 'ok/first.bin', content: first },
      { path, content: fresh() },
    ]);
    expect(typeof body.details.reason).toBe('string');
  });

  it('refuses a line break in a file name when the client declares its root digest', async () => {
    // The multipart parser drops such a part unseen; the declared digest is what catches it.
    const files = [
      { path: 'ok.bin', content: fresh() },
      { path: 'a\nb', content: fresh() },
    ];
    await refused(400, 'root_digest_mismatch', { kind: 'directory' }, files, {
      digest: `sha256:${rootDigestOf(files.map((f) => f.content))}`,
    });
  });

  it('refuses a file path given twice', async () => {
    const body = await refused(400, 'duplicate_file_path', { kind: 'directory' }, [
      { path: 'w.bin', content: fresh() },
      { path: 'w.bin', content: fresh() },
    ]);
    expect(body.details).toEqual({ path: 'w.bin' });
  });

  it('refuses content the model already holds with 409 version_exists naming version 1', async () => {
    const body = await refused(409, 'version_exists', { kind: 'file' }, [
      { path: 'renamed.bin', content: seed },
    ]);
    expect(body.details).toEqual({ model: 'up', version: 1, digest: `sha256:${rootDigestOf([seed])}` });
  });

  it('refuses a file over limits.maxFileBytes with 413 file_too_large', async () => {
    const body = await refused(413, 'file_too_large', { kind: 'directory' }, [
      { path: 'a', content: fresh(500) },
      { path: 'b', content: fresh(1001) },
    ]);
    expect(body.details).toEqual({ limitBytes: 1000 });
    await refused(413, 'file_too_large', { kind: 'file' }, [{ path: 'big', content: fresh(50_000) }]);
  });

  it('refuses a version over limits.maxVersionBytes with 413 version_too_large', async () => {
    const body = await refused(413, 'version_too_large', { kind: 'directory' }, [
      { path: 'a', content: fresh(900) },
      { path: 'b', content: fresh(900) },
      { path: 'c', content: fresh(900) },
    ]);
    expect(body.details).toEqual({ limit: 2500 });
  });

  it('refuses more files than limits.maxFilesPerVersion with 413 too_many_files', async () => {
    const files = [1, 2, 3, 4].map((i) => ({ path: `f${i}`, content: fresh() }));
    expect((await refused(413, 'too_many_files', { kind: 'directory' }, files)).details).toEqual({
      limit: 3,
    });
    const many = Array.from({ length: 20 }, (_, i) => ({ path: `g${i}`, content: fresh(20) }));
    await refused(413, 'too_many_files', { kind: 'directory' }, many);
  });

  it('refuses an announced Content-Length over the version limit before reading the body', async () => {
    const { body, contentType } = rawMultipart([
      { name: 'metadata', content: '{"kind":"file"}' },
      { name: 'file', filename: 'a', content: fresh() },
    ]);
    const res = await expectUnchanged(t, () =>
      t.app.inject({
        method: 'POST',
        url,
        payload: body,
        headers: { 'content-type': contentType, 'content-length': String(64 * 1024 * 1024) },
      }),
    );
    expectProblem(res, 413, 'body_too_large', t);
  });

  it('refuses a client-declared root digest that does not match, storing nothing', async () => {
    const files = [
      { path: 'a', content: fresh() },
      { path: 'b', content: fresh() },
    ];
    const wrong = `sha256:${rootDigestOf([files[1]!.content, files[0]!.content])}`;
    const body = await refused(400, 'root_digest_mismatch', { kind: 'directory' }, files, { digest: wrong });
    expect(body.details).toEqual({
      expected: wrong,
      actual: `sha256:${rootDigestOf(files.map((f) => f.content))}`,
    });
    await refused(400, 'invalid_multipart', { kind: 'directory' }, files, { digest: 'sha256:xyz' });
  });

  it('refuses a .onnx file that is not ONNX, naming its path', async () => {
    const garbage = Buffer.from('\xff\xff\xff\xff this is not a protobuf', 'latin1');
    const body = await refused(400, 'onnx_unreadable', { kind: 'directory' }, [
      { path: 'config.json', content: fresh() },
      { path: 'models/bad.onnx', content: garbage },
    ]);
    expect(body.detail).toContain('models/bad.onnx');
    expect(body.details).toEqual({ path: 'models/bad.onnx' });
  });

  it('still accepts a good push afterwards, reusing the stored seed blob', async () => {
    const v = await push(t, 'up', { kind: 'directory' }, [
      { path: 'seed.bin', content: seed },
      { path: 'new.bin', content: 'new' },
    ]);
    expect(v.number).toBe(2);
    expect(stored('new')).toBe(true);
  });
});
