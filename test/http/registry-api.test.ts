import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFactories } from '../fixtures/databases.js';
import { createModel, expectProblem, push, pushRaw, rootDigestOf, sha256 } from '../fixtures/http-helpers.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';

const irisOnnx = readFileSync(fileURLToPath(new URL('../../examples/iris/model/iris.onnx', import.meta.url)));
const api = '/api/v1';

describe.each(databaseFactories().map((f) => [f.name, f] as const))(
  'registry API on %s',
  (_name, factory) => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ factory });
    });
    afterAll(async () => t?.close());

    const get = async (url: string) => {
      const res = await t.app.inject({ method: 'GET', url: `${api}${url}` });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    const setAlias = async (model: string, alias: string, body: Record<string, unknown>) => {
      const res = await t.app.inject({
        method: 'PUT',
        url: `${api}/models/${model}/aliases/${alias}`,
        payload: body,
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };

    it('creates, lists (paged, by tag), shows and patches models', async () => {
      const alpha = await createModel(t, 'alpha', { tags: ['vision', 'nlp', 'nlp'], description: 'first' });
      expect(alpha).toMatchObject({ name: 'alpha', description: 'first', owner: t.adminId });
      expect(alpha.tags).toEqual(['nlp', 'vision']);
      expect(alpha.createdBy).toBe(t.adminId);
      await createModel(t, 'beta', { tags: ['vision'], owner: 'team-a' });
      await createModel(t, 'gamma');

      const first = await get('/models?limit=2');
      expect(first.items.map((m: { name: string }) => m.name)).toEqual(['alpha', 'beta']);
      expect(first.next).toBe('beta');
      const second = await get(`/models?limit=2&after=${first.next}`);
      expect(second.items.map((m: { name: string }) => m.name)).toEqual(['gamma']);
      expect(second.next).toBeNull();
      expect((await get('/models?tag=vision')).items.map((m: { name: string }) => m.name)).toEqual([
        'alpha',
        'beta',
      ]);
      expect((await get('/models?tag=nlp')).items.map((m: { name: string }) => m.name)).toEqual(['alpha']);

      expect(await get('/models/beta')).toMatchObject({ name: 'beta', owner: 'team-a', aliases: [] });
      expect((await get('/models/beta')).latestVersion).toBeNull();
      const patched = await t.app.inject({
        method: 'PATCH',
        url: `${api}/models/gamma`,
        payload: { description: 'third', tags: ['nlp'] },
      });
      expect(patched.statusCode, patched.body).toBe(200);
      expect(patched.json()).toMatchObject({ name: 'gamma', description: 'third', tags: ['nlp'] });
      expect(await get('/models/gamma')).toMatchObject({ description: 'third', tags: ['nlp'] });
      expect((await get('/models?tag=nlp')).items.map((m: { name: string }) => m.name)).toEqual([
        'alpha',
        'gamma',
      ]);
    });

    it('pushes a single file: one resource ".", root digest sha256(sha256(file))', async () => {
      await createModel(t, 'single');
      const content = Buffer.from('weights of a single-file model\n');
      const v = await push(t, 'single', { kind: 'file' }, [{ path: 'weights.bin', content }]);
      expect(v).toMatchObject({
        model: 'single',
        number: 1,
        kind: 'file',
        size: content.length,
        fileCount: 1,
      });
      expect(v.digest).toBe(`sha256:${rootDigestOf([content])}`);
      expect(v.digest).toBe(`sha256:${sha256(Buffer.from(sha256(content), 'hex'))}`);
      expect(v.manifest).toEqual({
        serialization: { method: 'files', hash_type: 'sha256', allow_symlinks: false },
        resources: [{ name: '.', algorithm: 'sha256', digest: sha256(content) }],
      });
      expect(v.files).toEqual([
        { path: 'weights.bin', digest: `sha256:${sha256(content)}`, size: content.length },
      ]);
    });

    it('pushes directories in component-wise manifest order, numbered 1, 2, 3', async () => {
      await createModel(t, 'dir');
      const files = { 'a.txt': 'dot', 'a-b/c': 'dash', 'a/b': 'bee', 'a/a': 'ay' } as const;
      const order = ['a/a', 'a/b', 'a-b/c', 'a.txt'] as const;
      const v1 = await push(
        t,
        'dir',
        { kind: 'directory' },
        Object.entries(files).map(([path, content]) => ({ path, content })),
      );
      expect(v1.number).toBe(1);
      expect(v1.manifest.resources.map((r: { name: string }) => r.name)).toEqual(order);
      expect(v1.files.map((f: { path: string }) => f.path)).toEqual(order);
      expect(v1.digest).toBe(`sha256:${rootDigestOf(order.map((p) => files[p]))}`);
      expect(v1.size).toBe(Object.values(files).join('').length);

      const v2 = await push(t, 'dir', { kind: 'directory' }, [{ path: 'x', content: 'two' }]);
      const v3 = await push(t, 'dir', { kind: 'directory' }, [{ path: 'x', content: 'three' }]);
      expect([v2.number, v3.number]).toEqual([2, 3]);
      expect((await get('/models/dir')).latestVersion).toBe(3);

      const page = await get('/models/dir/versions?limit=2');
      expect(page.items.map((v: { number: number }) => v.number)).toEqual([3, 2]);
      const rest = await get(`/models/dir/versions?limit=2&after=${page.next}`);
      expect(rest.items.map((v: { number: number }) => v.number)).toEqual([1]);
      expect(rest.next).toBeNull();
      for (const cursor of ['abc', '0', '-1', '1.5']) {
        const bad = await t.app.inject({ method: 'GET', url: `${api}/models/dir/versions?after=${cursor}` });
        expect(expectProblem(bad, 400, 'invalid_request', t).errors[0].path).toBe('querystring/after');
      }
    });

    it('gets a version by number, full digest, 12-character prefix and alias', async () => {
      await createModel(t, 'refs');
      const v1 = await push(t, 'refs', { kind: 'file' }, [{ path: 'm.bin', content: 'one' }]);
      await push(t, 'refs', { kind: 'file', aliases: ['staging'] }, [{ path: 'm.bin', content: 'two' }]);
      const hex = v1.digest.slice('sha256:'.length);
      for (const ref of ['1', v1.digest, `sha256:${hex.slice(0, 12)}`]) {
        const v = await get(`/models/refs/versions/${ref}`);
        expect(v.number, ref).toBe(1);
        expect(v.digest).toBe(v1.digest);
        expect(v.files).toEqual(v1.files);
      }
      expect((await get('/models/refs/versions/staging')).number).toBe(2);
    });

    it('reads the ONNX signature of the iris demo model', async () => {
      await createModel(t, 'iris');
      const v = await push(t, 'iris', { kind: 'file' }, [{ path: 'iris.onnx', content: irisOnnx }]);
      expect(v.format).toBe('onnx');
      expect(v.digest).toBe(`sha256:${rootDigestOf([irisOnnx])}`);
      expect(v.ioSignature.inputs).toEqual([{ name: 'float_input', dtype: 'float32', shape: ['N', 4] }]);
      expect(v.ioSignature.outputs.length).toBeGreaterThan(0);
      expect((await get('/models/iris/versions/1')).ioSignature).toEqual(v.ioSignature);
    });

    it('round-trips metrics, params, metadata and lineage', async () => {
      await createModel(t, 'demo');
      const base = await push(t, 'demo', { kind: 'file' }, [{ path: 'm.bin', content: 'base' }]);
      await createModel(t, 'child');
      const dataset = `sha256:${sha256('iris.csv')}`;
      const metadata = {
        kind: 'directory',
        format: 'custom',
        metrics: { accuracy: 0.97, loss: 0.07 },
        params: { C: 1, solver: 'lbfgs', layers: [4, 8], nested: { a: null } },
        metadata: { framework: 'sklearn', note: 'ünïcode' },
        lineage: {
          parent: 'demo@1',
          datasetDigests: [dataset],
          trainingRun: 'run-42',
          sourceCommit: 'abc1234',
        },
      };
      const v = await push(t, 'child', metadata, [{ path: 'w/model.bin', content: 'child' }]);
      const expected = {
        format: 'custom',
        metrics: metadata.metrics,
        params: metadata.params,
        metadata: metadata.metadata,
        lineage: {
          datasetDigests: [dataset],
          trainingRun: 'run-42',
          sourceCommit: 'abc1234',
          parent: { model: 'demo', number: 1, digest: base.digest },
        },
      };
      expect(v).toMatchObject(expected);
      expect(await get('/models/child/versions/1')).toMatchObject(expected);
      const listed = await get('/models/child/versions');
      expect(listed.items[0]).toMatchObject(expected);
    });

    it('moves aliases and keeps their history, newest first', async () => {
      await createModel(t, 'aliased');
      await push(t, 'aliased', { kind: 'file' }, [{ path: 'm', content: 'v1' }]);
      await push(t, 'aliased', { kind: 'file' }, [{ path: 'm', content: 'v2' }]);

      const set1 = await setAlias('aliased', 'champion', { version: 1 });
      expect(set1).toMatchObject({ changed: true, previous: null, alias: { name: 'champion', version: 1 } });
      const set2 = await setAlias('aliased', 'champion', { version: '2', reason: 'better accuracy' });
      expect(set2).toMatchObject({
        changed: true,
        previous: 1,
        alias: { version: 2, updatedBy: t.adminId },
      });
      const same = await setAlias('aliased', 'champion', { version: 2, reason: 'again' });
      expect(same).toMatchObject({ changed: false, previous: 2, alias: { version: 2 } });
      expect(same.alias.updatedAt).toBe(set2.alias.updatedAt);

      const history = await get('/models/aliased/aliases/champion/history');
      expect(history.items).toHaveLength(2);
      expect(history.items[0]).toMatchObject({
        from: 1,
        to: 2,
        actor: t.adminId,
        reason: 'better accuracy',
      });
      expect(history.items[1]).toMatchObject({ from: null, to: 1, actor: t.adminId, reason: null });
      expect((await get('/models/aliased/versions/2')).aliases).toEqual(['champion']);
      expect((await get('/models/aliased/versions/1')).aliases).toEqual([]);
      expect((await get('/models/aliased')).aliases).toMatchObject([{ name: 'champion', version: 2 }]);
      expect(await get('/models/aliased/aliases')).toMatchObject([{ name: 'champion', version: 2 }]);

      const del = await t.app.inject({
        method: 'DELETE',
        url: `${api}/models/aliased/aliases/champion?reason=retired`,
      });
      expect(del.statusCode, del.body).toBe(204);
      const after = await get('/models/aliased/aliases/champion/history');
      expect(after.items).toHaveLength(3);
      expect(after.items[0]).toMatchObject({ from: 2, to: null, reason: 'retired' });
      expect(await get('/models/aliased/aliases')).toEqual([]);
      expect((await get('/models/aliased/versions/2')).aliases).toEqual([]);
    });

    it('sets the aliases a push names', async () => {
      await createModel(t, 'onpush');
      const aliases = ['staging', 'staging'];
      const v = await push(t, 'onpush', { kind: 'file', aliases }, [{ path: 'm', content: 'x' }]);
      expect(v.aliases).toEqual(['staging']);
      expect(await get('/models/onpush/aliases')).toMatchObject([{ name: 'staging', version: 1 }]);
      const history = await get('/models/onpush/aliases/staging/history');
      expect(history.items).toMatchObject([{ from: null, to: 1 }]);
    });

    it('downloads a file with its exact bytes, digest, etag and length', async () => {
      await createModel(t, 'dl');
      const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256));
      await push(t, 'dl', { kind: 'directory' }, [
        { path: 'deep/dir/weights.bin', content: bytes },
        { path: 'other', content: 'o' },
      ]);
      const res = await t.app.inject({
        method: 'GET',
        url: `${api}/models/dl/versions/1/files/deep/dir/weights.bin`,
      });
      expect(res.statusCode).toBe(200);
      expect(res.rawPayload.equals(bytes)).toBe(true);
      expect(res.headers['content-type']).toBe('application/octet-stream');
      expect(res.headers['content-length']).toBe(String(bytes.length));
      expect(res.headers['x-warden-digest']).toBe(`sha256:${sha256(bytes)}`);
      expect(res.headers.etag).toBe(`"sha256:${sha256(bytes)}"`);
      expect(res.headers['content-disposition']).toContain('weights.bin');
    });

    it('describes every route in openapi.json, and reports health', async () => {
      const doc = await get('/openapi.json');
      const expected: Record<string, string[]> = {
        '/api/v1/models': ['get', 'post'],
        '/api/v1/models/{name}': ['get', 'patch'],
        '/api/v1/models/{name}/versions': ['get', 'post'],
        '/api/v1/models/{name}/versions/{ref}': ['delete', 'get', 'patch', 'put'],
        '/api/v1/models/{name}/aliases': ['get'],
        '/api/v1/models/{name}/aliases/{alias}': ['delete', 'put'],
        '/api/v1/models/{name}/aliases/{alias}/history': ['get'],
        '/healthz': ['get'],
        '/readyz': ['get'],
      };
      for (const [path, methods] of Object.entries(expected)) {
        expect(Object.keys(doc.paths[path] ?? {}).sort(), path).toEqual(methods);
      }
      const files = Object.keys(doc.paths).filter((p) =>
        p.startsWith('/api/v1/models/{name}/versions/{ref}/files/'),
      );
      expect(files).toHaveLength(1);
      expect(Object.keys(doc.paths[files[0]!])).toEqual(['get']);

      const health = await t.app.inject({ method: 'GET', url: '/healthz' });
      expect(health.statusCode).toBe(200);
      expect(health.json()).toEqual({ status: 'ok', version: 'test' });
      const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', artifacts: 'ok' } });
    });

    it('stores a push whose client-declared root digest matches', async () => {
      await createModel(t, 'plain');
      const res = await pushRaw(t, 'plain', { kind: 'file' }, [{ path: 'p', content: 'p' }], {
        digest: `sha256:${rootDigestOf(['p'])}`,
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().digest).toBe(`sha256:${rootDigestOf(['p'])}`);
    });
  },
);
