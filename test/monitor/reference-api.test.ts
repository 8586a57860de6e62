import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFactories } from '../fixtures/databases.js';
import { blobFile, createModel, expectProblem, push, sha256 } from '../fixtures/http-helpers.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';

const example = (p: string) => fileURLToPath(new URL(`../../examples/iris/${p}`, import.meta.url));
const irisOnnx = readFileSync(example('model/iris.onnx'));
const irisCsv = readFileSync(example('data/reference.csv'));
const url = (ref: string | number, tail = '') => `/api/v1/models/iris/versions/${ref}/reference${tail}`;
const putCsv = (t: TestApp, body: Buffer | string, query = '?roles=species=target', headers = {}) =>
  t.app.inject({
    method: 'PUT',
    url: url(1, query),
    payload: body,
    headers: { 'content-type': 'text/csv', ...headers },
  });

describe.each(databaseFactories().map((f) => [f.name, f] as const))(
  'reference datasets over HTTP (%s)',
  (_n, factory) => {
    let t: TestApp;
    let viewer: string;
    let otherTeam: string;

    beforeAll(async () => {
      t = await createTestApp({ factory, settings: { 'monitor.reference.maxBytes': 64 * 1024 } });
      await createModel(t, 'iris', { owner: 'ml' });
      await push(t, 'iris', { kind: 'file', format: 'onnx' }, [{ path: 'iris.onnx', content: irisOnnx }]);
      viewer = await t.tokenFor({ name: 'reader', roles: ['viewer'] });
      otherTeam = await t.tokenFor({ name: 'vision-ci', roles: ['contributor'], teams: ['vision'] });
    });
    afterAll(() => t?.close());

    it('attaches the iris reference with roles from the ONNX signature, shows and downloads it', async () => {
      const res = await putCsv(t, irisCsv);
      expect(res.statusCode, res.body).toBe(200);
      const view = res.json();
      expect(view).toMatchObject({
        version: 1,
        format: 'csv',
        rows: 120,
        digest: `sha256:${sha256(irisCsv)}`,
      });
      expect(
        view.columns.map((c: { name: string; role: string; source: unknown }) => [c.name, c.role, c.source]),
      ).toEqual([
        ['sepal_length', 'feature', { side: 'input', tensor: 'float_input', index: 0 }],
        ['sepal_width', 'feature', { side: 'input', tensor: 'float_input', index: 1 }],
        ['petal_length', 'feature', { side: 'input', tensor: 'float_input', index: 2 }],
        ['petal_width', 'feature', { side: 'input', tensor: 'float_input', index: 3 }],
        ['species', 'target', null],
        // No answers of the model's in the file: its own, run on the rows, are added (the baseline of
        // prediction drift).
        ['probabilities_0', 'probability', { side: 'output', tensor: 'probabilities', index: 0 }],
        ['probabilities_1', 'probability', { side: 'output', tensor: 'probabilities', index: 1 }],
        ['probabilities_2', 'probability', { side: 'output', tensor: 'probabilities', index: 2 }],
        ['label', 'prediction', { side: 'output', tensor: 'label', index: null }],
      ]);
      expect(view.answersFrom).toBe('model');
      const sampled = (await t.app.inject({ url: url(1, '?samples=true') })).json();
      const sample = (name: string) =>
        sampled.columns.find((c: { name: string }) => c.name === name).sample as (string | number)[];
      // Every row scored (fewer than the sample's bound), in file order: the model's training accuracy.
      const classes = ['setosa', 'versicolor', 'virginica'];
      const right = sample('species').filter((s, i) => classes[Number(sample('label')[i])] === s).length;
      expect(sample('label')).toHaveLength(120);
      expect(right / 120).toBeGreaterThan(0.9);
      for (let i = 0; i < 120; i++) {
        const p = [0, 1, 2].map((k) => sample(`probabilities_${k}`)[i] as number);
        expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
        expect(p.indexOf(Math.max(...p))).toBe(Number(sample('label')[i]));
      }
      expect(existsSync(blobFile(t, sha256(irisCsv)))).toBe(true);
      // Encrypted at rest: the stored object is not the CSV.
      expect(readFileSync(blobFile(t, sha256(irisCsv))).includes(Buffer.from('sepal_length'))).toBe(false);

      const shown = await t.app.inject({
        method: 'GET',
        url: url(1),
        headers: { authorization: `Bearer ${viewer}` },
      });
      expect(shown.statusCode, shown.body).toBe(200);
      expect(shown.json().columns[0]).toMatchObject({ kind: 'numeric', count: 120, missing: 0 });
      expect(shown.json().columns[0].sample).toBeUndefined();
      const withSamples = await t.app.inject({ method: 'GET', url: url(1, '?samples=true') });
      expect(withSamples.json().columns[4].sample).toHaveLength(120);

      const data = await t.app.inject({ method: 'GET', url: url(1, '/data') });
      expect(data.statusCode).toBe(200);
      expect(data.headers['content-type']).toMatch(/^text\/csv/);
      expect(data.rawPayload.equals(irisCsv)).toBe(true);
      for (const action of ['monitor:reference:set', 'monitor:reference:read']) {
        const audit = await t.app.inject({ method: 'GET', url: `/api/v1/audit?action=${action}` });
        expect(audit.json().items[0]).toMatchObject({ action, resource: 'version:iris@1' });
      }
    });

    it('refuses anonymous callers, callers without the role and callers of another team', async () => {
      const anon = await t.rawApp.inject({ method: 'GET', url: url(1) });
      expectProblem(anon, 401, 'unauthenticated');
      const res = await putCsv(t, irisCsv, '?roles=species=target', { authorization: `Bearer ${viewer}` });
      expect(res.statusCode).toBe(403);
      const other = await t.app.inject({
        method: 'GET',
        url: url(1),
        headers: { authorization: `Bearer ${otherTeam}` },
      });
      expect(other.statusCode).toBe(403);
    });

    it('answers bad input with a precise problem', async () => {
      const extraColumns = irisCsv
        .toString()
        .split('\n')
        .map((line, i) => (line ? `${line},${i === 0 ? 'colour' : 'red'}` : line))
        .join('\n');
      expectProblem(await putCsv(t, extraColumns, ''), 400, 'monitor_reference_columns_mismatch');
      expectProblem(await putCsv(t, irisCsv, '?roles=species=boss'), 400, 'monitor_reference_roles_invalid');
      const ragged = 'sepal_length,sepal_width,petal_length,petal_width,species\n1,2,3,4,a\n1,2,3\n';
      const body = expectProblem(await putCsv(t, ragged), 400, 'monitor_reference_invalid');
      expect(body.details).toMatchObject({ line: 3 });
      expectProblem(await putCsv(t, ''), 400, 'monitor_reference_empty');
      const json = await t.app.inject({ method: 'PUT', url: url(1), payload: { a: 1 } });
      expect(json.statusCode).toBe(415);
      const xml = await t.app.inject({
        method: 'PUT',
        url: url(1),
        payload: '<a/>',
        headers: { 'content-type': 'application/xml' },
      });
      expect(xml.statusCode).toBe(415);
      const octet = await t.app.inject({
        method: 'PUT',
        url: url(1),
        payload: 'a,b\n1,2\n',
        headers: { 'content-type': 'application/octet-stream' },
      });
      expectProblem(octet, 400, 'monitor_reference_format_unknown');
      expectProblem(await putCsv(t, Buffer.alloc(70 * 1024, 'a')), 413, 'body_too_large');
      expectProblem(await t.app.inject({ method: 'GET', url: url(9) }), 404, 'version_not_found');
    });

    it('replaces a reference, and the replaced blob is collected', async () => {
      const before = sha256(irisCsv);
      const half = `${irisCsv.toString('utf8').trimEnd().split('\n').slice(0, 61).join('\n')}\n`;
      const res = await putCsv(t, half);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().rows).toBe(60);
      expect(existsSync(blobFile(t, before))).toBe(false);
      expect(existsSync(blobFile(t, sha256(half)))).toBe(true);
      const profile = await t.container.references.profiles.profileFor('iris', 1);
      expect(profile?.rows).toBe(60);
      expect(await t.container.references.profiles.profileFor('iris', 2)).toBeNull();
    });

    it('reads the same iris rows from JSON Lines and Parquet, with the same roles', async () => {
      const [header, ...lines] = irisCsv.toString('utf8').trimEnd().split('\n');
      const names = (header as string).split(',');
      const records = lines.map((l) => l.split(','));
      const objects = records.map((r) =>
        Object.fromEntries(r.map((v, i) => [names[i], i < 4 ? Number(v) : v])),
      );
      const jsonl = `${objects.map((o) => JSON.stringify(o)).join('\n')}\n`;
      const parquet = Buffer.from(
        parquetWriteBuffer({
          columnData: names.map((name, i) =>
            i < 4
              ? { name, data: records.map((r) => Number(r[i])), type: 'DOUBLE' as const }
              : { name, data: records.map((r) => r[i] as string), type: 'STRING' as const },
          ),
          rowGroupSize: 50,
        }),
      );
      for (const [type, body] of [
        ['application/x-ndjson', jsonl],
        ['application/vnd.apache.parquet', parquet],
      ] as const) {
        const res = await t.app.inject({
          method: 'PUT',
          url: url(1, '?roles=species=target'),
          payload: body,
          headers: { 'content-type': type },
        });
        expect(res.statusCode, res.body).toBe(200);
        const view = res.json();
        expect(view.rows).toBe(120);
        expect(view.columns.map((c: { role: string }) => c.role)).toEqual([
          'feature',
          'feature',
          'feature',
          'feature',
          'target',
          'probability',
          'probability',
          'probability',
          'prediction',
        ]);
      }
      const profile = await t.container.references.profiles.profileFor('iris', 1);
      expect(profile?.format).toBe('parquet');
      expect(profile?.samples.petal_length?.values).toHaveLength(120);
    });

    it("deleting a version destroys its reference dataset's bytes with its files", async () => {
      // A second version whose reference is its own (no other version names these bytes).
      await push(t, 'iris', { kind: 'directory', format: 'onnx' }, [
        { path: 'iris.onnx', content: irisOnnx },
        { path: 'README.md', content: 'v2' },
      ]);
      const own = `${irisCsv.toString('utf8').trimEnd().split('\n').slice(0, 41).join('\n')}\n`;
      const attached = await t.app.inject({
        method: 'PUT',
        url: url(2, '?roles=species=target'),
        payload: own,
        headers: { 'content-type': 'text/csv' },
      });
      expect(attached.statusCode, attached.body).toBe(200);
      expect(existsSync(blobFile(t, sha256(own)))).toBe(true);
      const admin = await t.tokenFor({ name: 'ops', roles: ['admin'] });
      const res = await t.app.inject({
        method: 'DELETE',
        url: '/api/v1/models/iris/versions/2?reason=retired',
        headers: { authorization: `Bearer ${admin}` },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().blobs.destroyed).toBeGreaterThanOrEqual(2);
      expect(existsSync(blobFile(t, sha256(own)))).toBe(false);
      expectProblem(await t.app.inject({ method: 'GET', url: url(2) }), 410, 'version_deleted');
      // Version 1's reference and model bytes are untouched.
      expect(existsSync(blobFile(t, sha256(irisOnnx)))).toBe(true);
      expect((await t.app.inject({ method: 'GET', url: url(1) })).statusCode).toBe(200);
    });
  },
);
