import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliContext } from '../../src/cli/context.js';
import { runCli } from '../../src/cli/run-cli.js';
import { databaseFactories } from '../fixtures/databases.js';
import { createModel } from '../fixtures/http-helpers.js';
import { createTestApp, multipartBody, type TestApp } from '../fixtures/test-app.js';

const api = '/api/v1';

/**
 * Principal ids are exact but unreadable (`token:01J…`): every registry record that says who acted also
 * says, beside the id, the display name the principal had then. Records written before names were kept
 * show null and stay readable.
 */
describe.each(databaseFactories().map((f) => [f.name, f] as const))(
  'who acted, by id and display name, on %s',
  (_name, factory) => {
    let t: TestApp;
    let url: string;
    let bot: string;
    let botId: string;
    beforeAll(async () => {
      t = await createTestApp({ factory });
      bot = await t.tokenFor({ name: 'ci-bot', roles: ['admin'] });
      botId = `token:${bot.split('_')[1]}`;
      await t.rawApp.listen({ port: 0, host: '127.0.0.1' });
      const address = t.rawApp.server.address();
      url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    });
    afterAll(async () => t?.close());

    const asBot = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, payload?: unknown) =>
      t.rawApp.inject({
        method,
        url: `${api}${path}`,
        headers: { authorization: `Bearer ${bot}` },
        ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
      });
    const get = async (path: string) => {
      const res = await t.app.inject({ method: 'GET', url: `${api}${path}` });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };

    async function cli(args: string[]) {
      const stdout = new PassThrough();
      let out = '';
      stdout.on('data', (d: Buffer) => {
        out += d.toString();
      });
      const ctx: CliContext = {
        cwd: process.cwd(),
        env: { WARDEN_URL: url, WARDEN_TOKEN: t.adminToken },
        io: { stdout, stderr: stdout },
      };
      const code = await runCli(args, ctx);
      expect(code, out).toBe(0);
      return out;
    }

    it('records the display name beside the id on models, versions, aliases, history and deletions', async () => {
      const model = await asBot('POST', '/models', { name: 'named' });
      expect(model.statusCode, model.body).toBe(201);
      expect(model.json()).toMatchObject({ createdBy: botId, createdByName: 'ci-bot' });

      const { body, contentType } = multipartBody({ kind: 'directory', aliases: ['staging'] }, [
        { path: 'model.bin', content: 'weights v1' },
      ]);
      const pushed = await t.rawApp.inject({
        method: 'POST',
        url: `${api}/models/named/versions`,
        payload: body,
        headers: { 'content-type': contentType, authorization: `Bearer ${bot}` },
      });
      expect(pushed.statusCode, pushed.body).toBe(201);
      expect(pushed.json()).toMatchObject({ createdBy: botId, createdByName: 'ci-bot' });

      const aliases = await get('/models/named/aliases');
      expect(aliases).toEqual([expect.objectContaining({ updatedBy: botId, updatedByName: 'ci-bot' })]);

      // The bootstrap admin token (named `admin`) removes the alias, then the bot deletes the version.
      const removed = await t.app.inject({ method: 'DELETE', url: `${api}/models/named/aliases/staging` });
      expect(removed.statusCode, removed.body).toBe(204);
      const history = await get('/models/named/aliases/staging/history');
      expect(history.items).toEqual([
        expect.objectContaining({ to: null, actor: t.adminId, actorName: 'admin' }),
        expect.objectContaining({ to: 1, actor: botId, actorName: 'ci-bot' }),
      ]);

      const deleted = await asBot('DELETE', '/models/named/versions/1?reason=bad%20data');
      expect(deleted.statusCode, deleted.body).toBe(200);
      expect((await get('/models/named/versions/1')).deleted).toMatchObject({
        by: botId,
        byName: 'ci-bot',
        reason: 'bad data',
      });
      expect((await get('/models/named')).createdByName).toBe('ci-bot');
    });

    it('shows the name and the id in `warden model show` and `warden alias history`', async () => {
      await createModel(t, 'shown');
      const { body, contentType } = multipartBody({ kind: 'directory', aliases: ['prod'] }, [
        { path: 'm.bin', content: 'shown' },
      ]);
      const pushed = await t.rawApp.inject({
        method: 'POST',
        url: `${api}/models/shown/versions`,
        payload: body,
        headers: { 'content-type': contentType, authorization: `Bearer ${bot}` },
      });
      expect(pushed.statusCode, pushed.body).toBe(201);
      expect(await cli(['model', 'show', 'shown@1'])).toMatch(
        new RegExp(`^created: +\\S+ by ci-bot \\(${botId}\\)$`, 'm'),
      );
      expect(await cli(['alias', 'history', 'shown', 'prod'])).toContain(`ci-bot (${botId})`);
      expect(await cli(['alias', 'list', 'shown'])).toContain(`ci-bot (${botId})`);
    });

    it('keeps records written before names were kept readable: the name is null, the id is shown', async () => {
      await createModel(t, 'legacy');
      const { body, contentType } = multipartBody({ kind: 'directory', aliases: ['prod'] }, [
        { path: 'm.bin', content: 'old' },
      ]);
      const pushed = await t.app.inject({
        method: 'POST',
        url: `${api}/models/legacy/versions`,
        payload: body,
        headers: { 'content-type': contentType },
      });
      expect(pushed.statusCode, pushed.body).toBe(201);
      // What migration 0008 leaves on rows that existed before it: null in every name column.
      const database = t.db.open();
      try {
        await database.db.updateTable('models').set({ created_by_name: null }).execute();
        await database.db.updateTable('versions').set({ created_by_name: null }).execute();
        await database.db.updateTable('aliases').set({ updated_by_name: null }).execute();
        await database.db.updateTable('alias_events').set({ actor_name: null }).execute();
      } finally {
        await database.close();
      }
      const model = await get('/models/legacy');
      expect(model).toMatchObject({ createdBy: t.adminId, createdByName: null });
      expect(model.aliases).toEqual([expect.objectContaining({ updatedBy: t.adminId, updatedByName: null })]);
      expect(await get('/models/legacy/versions/1')).toMatchObject({
        createdBy: t.adminId,
        createdByName: null,
      });
      expect((await get('/models/legacy/aliases/prod/history')).items).toEqual([
        expect.objectContaining({ actor: t.adminId, actorName: null }),
      ]);
      expect(await cli(['model', 'show', 'legacy@1'])).toMatch(
        new RegExp(`^created: +\\S+ by ${t.adminId}$`, 'm'),
      );
    });
  },
);
