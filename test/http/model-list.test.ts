import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFactories } from '../fixtures/databases.js';
import { createModel, expectProblem, push } from '../fixtures/http-helpers.js';
import { seedModels } from '../fixtures/registry-seed.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';

const api = '/api/v1';

interface ListItem {
  name: string;
  owner: string;
  latestVersion: number | null;
  aliases: { name: string; version: number }[];
}

describe.each(databaseFactories().map((f) => [f.name, f] as const))(
  'GET /models search and summaries on %s',
  (_name, factory) => {
    let t: TestApp;
    let visionViewer: string;
    let nlpViewer: string;
    beforeAll(async () => {
      t = await createTestApp({ factory });
      visionViewer = await t.tokenFor({ name: 'vision-viewer', roles: ['viewer'], teams: ['vision'] });
      nlpViewer = await t.tokenFor({ name: 'nlp-viewer', roles: ['viewer'], teams: ['nlp'] });
      // 10,000 models of another team, written through the store in one transaction (a push each would
      // take minutes); then a few real ones through the API.
      const database = t.db.open();
      try {
        await seedModels(database, {
          count: 10_000,
          model: (i) => ({ name: `bulk-${String(i).padStart(5, '0')}`, owner: 'nlp' }),
        });
      } finally {
        await database.close();
      }
      await createModel(t, 'fraud-detector', { owner: 'vision', tags: ['prod'] });
      await createModel(t, 'anti-fraud', { owner: 'vision' });
      await createModel(t, 'churn', { owner: 'vision', tags: ['prod'] });
      for (const n of [1, 2, 3]) {
        await push(t, 'fraud-detector', { kind: 'file', aliases: n === 2 ? ['prod'] : [] }, [
          { path: 'w.bin', content: `weights ${n}` },
        ]);
      }
      const aliased = await t.app.inject({
        method: 'PUT',
        url: `${api}/models/fraud-detector/aliases/canary`,
        payload: { version: 3 },
      });
      expect(aliased.statusCode, aliased.body).toBe(200);
    }, 120_000);
    afterAll(async () => t?.close());

    const list = async (query: string, token?: string | null) =>
      t.app.inject({
        method: 'GET',
        url: `${api}/models${query}`,
        ...(token !== undefined ? { headers: { authorization: token ? `Bearer ${token}` : '' } } : {}),
      });
    const names = async (query: string, token?: string) => {
      const res = await list(query, token);
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().items as ListItem[]).map((m) => m.name);
    };

    it('pages through 10,000 models and more, in name order, none repeated or missed', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      do {
        const res = await list(`?limit=500${after ? `&after=${after}` : ''}`);
        expect(res.statusCode, res.body).toBe(200);
        const page = res.json() as { items: ListItem[]; next: string | null };
        seen.push(...page.items.map((m) => m.name));
        after = page.next;
        pages++;
      } while (after);
      const expected = [
        'anti-fraud',
        ...Array.from({ length: 10_000 }, (_, i) => `bulk-${String(i).padStart(5, '0')}`),
        'churn',
        'fraud-detector',
      ];
      expect(seen).toEqual(expected);
      expect(pages).toBe(21);
    });

    it('filters by name, case-insensitively, alone and with a tag', async () => {
      expect(await names('?q=fraud')).toEqual(['anti-fraud', 'fraud-detector']);
      expect(await names('?q=FRAUD-')).toEqual(['fraud-detector']);
      expect(await names('?q=fraud&tag=prod')).toEqual(['fraud-detector']);
      expect(await names('?q=bulk-0999')).toEqual(Array.from({ length: 10 }, (_, i) => `bulk-0999${i}`));
      const page = await list('?q=bulk-09&limit=3&after=bulk-09001');
      expect(page.json()).toMatchObject({ next: 'bulk-09004' });
      expect((page.json().items as ListItem[]).map((m) => m.name)).toEqual([
        'bulk-09002',
        'bulk-09003',
        'bulk-09004',
      ]);
    });

    it('takes %, _, quotes and backslashes as text, never as wildcards or SQL', async () => {
      for (const q of ['%', '_', '%25', "'", '"', "' or 1=1 --", '\\', 'fraud%', 'f_aud'])
        expect(await names(`?q=${encodeURIComponent(q)}`), q).toEqual([]);
    });

    it('shows each model with its latest version and its aliases', async () => {
      const res = await list('?q=fraud');
      expect(res.json().items).toEqual([
        expect.objectContaining({ name: 'anti-fraud', latestVersion: null, aliases: [] }),
        expect.objectContaining({
          name: 'fraud-detector',
          owner: 'vision',
          tags: ['prod'],
          latestVersion: 3,
          aliases: [
            { name: 'canary', version: 3 },
            { name: 'prod', version: 2 },
          ],
        }),
      ]);
    });

    it("shows another team's caller only its team's models, paging past 10,000 it may not see", async () => {
      expect(await names('?q=fraud', nlpViewer)).toEqual([]);
      expect(await names('?q=bulk-0000', nlpViewer)).toHaveLength(10);
      expect(await names('?q=c', visionViewer)).toEqual(['churn', 'fraud-detector']);
      // The scan of unreadable rows is bounded: a page may come back short, with a cursor to go on from.
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      do {
        pages++;
        const page = (await list(`?limit=50${after ? `&after=${after}` : ''}`, visionViewer)).json() as {
          items: ListItem[];
          next: string | null;
        };
        seen.push(...page.items.map((m) => m.name));
        after = page.next;
      } while (after);
      expect(seen).toEqual(['anti-fraud', 'churn', 'fraud-detector']);
      expect(pages).toBeLessThanOrEqual(11);
      expect(await names('?q=bulk', visionViewer)).toEqual([]);
    });

    it('refuses bad input precisely and an anonymous caller', async () => {
      expectProblem(await list('?q='), 400, 'invalid_request', t);
      expectProblem(await list(`?q=${'a'.repeat(201)}`), 400, 'invalid_request', t);
      expectProblem(await list('?search=fraud'), 400, 'invalid_request', t);
      expectProblem(await list('?q=fraud&limit=0'), 400, 'invalid_request', t);
      expectProblem(await list('?q=fraud', null), 401, 'unauthenticated', t);
    });
  },
);
