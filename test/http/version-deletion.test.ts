import { existsSync, linkSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqlUnitOfWork } from '../../src/adapters/sql/unit-of-work.js';
import { createContainer } from '../../src/container.js';
import { buildApp } from '../../src/http/build-app.js';
import { createLogger } from '../../src/platform/logger.js';
import { databaseFactories } from '../fixtures/databases.js';
import {
  blobFile,
  createModel,
  expectProblem,
  expectUnchanged,
  push,
  pushRaw,
  sha256,
} from '../fixtures/http-helpers.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';

const HEADER_SIZE = 4096;

describe.each(databaseFactories().map((f) => [f.name, f] as const))(
  'deleting versions (%s)',
  (_name, factory) => {
    let t: TestApp;
    beforeEach(async () => {
      t = await createTestApp({ factory });
      await createModel(t, 'iris');
    });
    afterEach(async () => {
      await t?.close();
    });

    const del = (
      model: string,
      ref: string,
      reason: string | null = 'trained on data we must forget',
      token?: string,
    ) =>
      t.app.inject({
        method: 'DELETE',
        url: `/api/v1/models/${model}/versions/${ref}${reason === null ? '' : `?reason=${encodeURIComponent(reason)}`}`,
        ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
      });
    const get = (url: string) => t.app.inject({ method: 'GET', url });
    const auditOf = async (action: string) => {
      const res = await get(`/api/v1/audit?action=${action}&limit=100`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().items as {
        outcome: string;
        resource: string;
        principal: string;
        details: Record<string, unknown>;
      }[];
    };

    it('keeps a tombstone, destroys the bytes and audits who deleted what and why', async () => {
      const weights = Buffer.from('weights only version 1 has');
      const v1 = await push(t, 'iris', { kind: 'directory' }, [
        { path: 'model.bin', content: weights },
        { path: 'config.json', content: '{"layers":2}' },
      ]);
      const v2 = await push(t, 'iris', { kind: 'file' }, [{ path: 'model.bin', content: 'version two' }]);
      const file = blobFile(t, sha256(weights));
      expect(existsSync(file)).toBe(true);

      const res = await del('iris', String(v1.number));
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body.blobs).toEqual({ destroyed: 2, retained: 0, pending: 0 });
      expect(body.version).toMatchObject({
        number: v1.number,
        digest: v1.digest,
        deleted: { by: t.adminId, reason: 'trained on data we must forget', at: expect.any(String) },
      });
      expect(existsSync(file)).toBe(false);
      expect(existsSync(blobFile(t, sha256('{"layers":2}')))).toBe(false);

      // The record stays readable, by number and by digest, with its manifest and deletion.
      const shown = await get(`/api/v1/models/iris/versions/${v1.digest}`);
      expect(shown.statusCode, shown.body).toBe(200);
      expect(shown.json()).toMatchObject({
        number: v1.number,
        files: v1.files,
        deleted: body.version.deleted,
      });
      // Lists leave it out unless asked; the model's latest version is the newest live one.
      const listed = await get('/api/v1/models/iris/versions');
      expect(listed.json().items.map((v: { number: number }) => v.number)).toEqual([v2.number]);
      const all = await get('/api/v1/models/iris/versions?deleted=include');
      expect(
        all.json().items.map((v: { number: number; deleted: unknown }) => [v.number, v.deleted !== null]),
      ).toEqual([
        [v2.number, false],
        [v1.number, true],
      ]);
      expectProblem(await get('/api/v1/models/iris/versions?deleted=yes'), 400, 'invalid_request', t);

      // Its bytes are gone for good: downloads answer 410 and record nothing as read.
      const reads = (await auditOf('registry:artifact:read')).length;
      const gone = await get(`/api/v1/models/iris/versions/${v1.number}/files/model.bin`);
      expectProblem(gone, 410, 'version_deleted', t);
      expect((await auditOf('registry:artifact:read')).length).toBe(reads);

      const events = await auditOf('registry:version:delete');
      expect(events).toEqual([
        expect.objectContaining({
          outcome: 'success',
          principal: t.adminId,
          resource: `version:iris@${v1.number}`,
          details: expect.objectContaining({
            digest: v1.digest,
            files: 2,
            reason: 'trained on data we must forget',
          }),
        }),
      ]);
      const verify = await get('/api/v1/audit/verify');
      expect(verify.json()).toMatchObject({ ok: true });
    });

    it('erases the data key in place, so a surviving link to the same file cannot be decrypted', async () => {
      const v = await push(t, 'iris', { kind: 'file' }, [{ path: 'model.bin', content: 'secret weights' }]);
      const file = blobFile(t, sha256('secret weights'));
      const keptLink = path.join(t.db.dataDir, 'lingering-link');
      linkSync(file, keptLink);
      expect(
        readFileSync(keptLink)
          .subarray(0, HEADER_SIZE)
          .some((b) => b !== 0),
      ).toBe(true);

      expect((await del('iris', String(v.number))).statusCode).toBe(200);
      const header = readFileSync(keptLink).subarray(0, HEADER_SIZE);
      expect(header.every((b) => b === 0)).toBe(true);
    });

    it('keeps bytes another live version still holds, and destroys them with the last one', async () => {
      await createModel(t, 'iris-copy');
      const shared = Buffer.from('weights shared by two models');
      const a = await push(t, 'iris', { kind: 'directory' }, [
        { path: 'w.bin', content: shared },
        { path: 'only-a.txt', content: 'a' },
      ]);
      const b = await push(t, 'iris-copy', { kind: 'file' }, [{ path: 'w.bin', content: shared }]);

      const first = await del('iris', String(a.number));
      expect(first.json().blobs).toEqual({ destroyed: 1, retained: 1, pending: 0 });
      expect(existsSync(blobFile(t, sha256(shared)))).toBe(true);
      const still = await get(`/api/v1/models/iris-copy/versions/${b.number}/files/w.bin`);
      expect(still.statusCode).toBe(200);
      expect(still.rawPayload.equals(shared)).toBe(true);

      const last = await del('iris-copy', String(b.number));
      expect(last.json().blobs).toEqual({ destroyed: 1, retained: 0, pending: 0 });
      expect(existsSync(blobFile(t, sha256(shared)))).toBe(false);
    });

    it('refuses a version an alias points at, and anyone but an admin, changing nothing', async () => {
      const v = await push(t, 'iris', { kind: 'file', aliases: ['production'] }, [
        { path: 'model.bin', content: 'champion' },
      ]);
      const aliased = await expectUnchanged(t, () => del('iris', 'production'));
      expect(expectProblem(aliased, 409, 'version_aliased', t).details).toMatchObject({
        aliases: ['production'],
      });
      expect(existsSync(blobFile(t, sha256('champion')))).toBe(true);

      const contributor = await t.tokenFor({ name: 'ci', roles: ['contributor', 'deployer'] });
      const denied = await expectUnchanged(t, () => del('iris', String(v.number), 'tidy up', contributor));
      expectProblem(denied, 403, 'forbidden', t);
      const denials = await auditOf('registry:version:delete');
      expect(denials).toEqual([
        expect.objectContaining({ outcome: 'denied', principal: `token:${contributor.split('_')[1]}` }),
      ]);

      // Once the alias moves away, the admin may delete it.
      const removed = await t.app.inject({ method: 'DELETE', url: '/api/v1/models/iris/aliases/production' });
      expect(removed.statusCode).toBe(204);
      expect((await del('iris', String(v.number))).statusCode).toBe(200);
    });

    it('requires a plain-text reason and an existing live version', async () => {
      const v = await push(t, 'iris', { kind: 'file' }, [{ path: 'model.bin', content: 'kept' }]);
      await expectUnchanged(t, async () => {
        expectProblem(await del('iris', String(v.number), null), 400, 'invalid_request', t);
        expectProblem(await del('iris', String(v.number), ''), 400, 'invalid_request', t);
        expectProblem(await del('iris', String(v.number), '   '), 400, 'invalid_reason', t);
        // NUL is refused in every request field before the service sees it.
        expectProblem(await del('iris', String(v.number), 'bad\u0000reason'), 400, 'invalid_request', t);
        expectProblem(await del('iris', String(v.number), 'bad\u0007reason'), 400, 'invalid_reason', t);
        expectProblem(await del('iris', String(v.number), 'x'.repeat(501)), 400, 'invalid_request', t);
        expectProblem(await del('iris', '99'), 404, 'version_not_found', t);
        expectProblem(await del('nope', '1'), 404, 'model_not_found', t);
        expectProblem(await del('iris', 'not a ref!'), 400, 'invalid_version_ref', t);
      });
      expect((await del('iris', String(v.number), '  two\nlines  ')).json().version.deleted.reason).toBe(
        'two\nlines',
      );
      expectProblem(await del('iris', String(v.number)), 410, 'version_deleted', t);
    });

    it('never reuses a deleted number or digest in the model, and refuses new uses of the tombstone', async () => {
      const content = 'model to retract';
      const v1 = await push(t, 'iris', { kind: 'file' }, [{ path: 'model.bin', content }]);
      expect((await del('iris', String(v1.number))).statusCode).toBe(200);

      const again = await pushRaw(t, 'iris', { kind: 'file' }, [{ path: 'model.bin', content }]);
      expect(expectProblem(again, 409, 'content_deleted', t)).toMatchObject({
        details: { version: v1.number, digest: v1.digest },
      });
      expect(existsSync(blobFile(t, sha256(content)))).toBe(false);

      const v2 = await push(t, 'iris', { kind: 'file' }, [{ path: 'model.bin', content: 'a new model' }]);
      expect(v2.number).toBe(v1.number + 1);
      // The same bytes are welcome in another model: stored afresh.
      await createModel(t, 'other');
      await push(t, 'other', { kind: 'file' }, [{ path: 'model.bin', content }]);
      expect(existsSync(blobFile(t, sha256(content)))).toBe(true);

      const setAlias = await t.app.inject({
        method: 'PUT',
        url: '/api/v1/models/iris/aliases/production',
        payload: { version: String(v1.number) },
      });
      expectProblem(setAlias, 410, 'version_deleted', t);
      expect((await get('/api/v1/models/iris/aliases')).json()).toEqual([]);
      // A new version may still name the deleted one as its parent: lineage is history.
      const child = await push(t, 'iris', { kind: 'file', lineage: { parent: String(v1.number) } }, [
        { path: 'model.bin', content: 'fine-tuned' },
      ]);
      expect(child.lineage.parent).toMatchObject({ model: 'iris', number: v1.number });
    });

    it('finishes, at the next start, destructions a stop interrupted', async () => {
      const v = await push(t, 'iris', { kind: 'file' }, [{ path: 'model.bin', content: 'half deleted' }]);
      const file = blobFile(t, sha256('half deleted'));
      const config = t.container.config;
      await t.rawApp.close();
      await t.container.close();
      // The deletion's transaction committed, then the process stopped before the collector ran.
      const database = t.db.open();
      try {
        await createSqlUnitOfWork(database.db, database.capabilities).run(async ({ registry }) => {
          const model = await registry.findModelByName('iris');
          const version = model ? await registry.findVersionByNumber(model.id, v.number) : null;
          if (!version) throw new Error('version missing');
          const at = new Date().toISOString();
          await registry.markVersionDeleted(version.id, {
            at,
            by: 'service:admin',
            byName: null,
            reason: 'interrupted',
          });
          await registry.requestBlobCollection([sha256('half deleted')], at);
        });
      } finally {
        await database.close();
      }
      expect(existsSync(file)).toBe(true);

      const restarted = await createContainer(config, createLogger({ level: 'silent' }));
      try {
        expect(existsSync(file)).toBe(false);
        const shown = await buildAndGet(restarted, `/api/v1/models/iris/versions/${v.number}`);
        expect(shown.deleted).toMatchObject({ reason: 'interrupted' });
      } finally {
        await restarted.close();
        await t.db.cleanup();
        t = undefined as unknown as TestApp;
      }
    });
  },
);

/** GETs one URL as the bootstrap admin through a freshly built app over `container`. */
async function buildAndGet(container: Awaited<ReturnType<typeof createContainer>>, url: string) {
  const app = await buildApp({ ...container, version: 'test' });
  try {
    const token = readFileSync(path.join(container.config.dataDir, 'admin-token'), 'utf8').trim();
    const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  } finally {
    await app.close();
  }
}
