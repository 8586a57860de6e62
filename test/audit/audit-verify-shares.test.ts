import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAuditLog } from '../fixtures/audit-seed.js';
import { databaseFactories } from '../fixtures/databases.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';

describe.each(databaseFactories().map((f) => [f.name, f] as const))(
  'verifying a large audit log (%s)',
  (_name, factory) => {
    let t: TestApp;
    let url: string;
    let verifyArrived: () => void;
    const arrived = new Promise<void>((resolve) => {
      verifyArrived = resolve;
    });
    beforeAll(async () => {
      t = await createTestApp({
        factory,
        beforeReady: (app) =>
          app.addHook('onRequest', async (request) => {
            if (request.url === '/api/v1/audit/verify') verifyArrived();
          }),
      });
      const database = t.db.open();
      try {
        await seedAuditLog(database, { count: 50_000 });
      } finally {
        await database.close();
      }
      url = await t.app.listen({ host: '127.0.0.1', port: 0 });
    }, 120_000);
    afterAll(async () => t?.close());

    it('answers other requests while it reads the whole chain', async () => {
      // SQLite answers synchronously: without a turn of the event loop between pages, a verification held
      // the server until its last entry, and a request that came meanwhile (the console's page of
      // entries) waited seconds behind it. Over real sockets, as a browser's requests come.
      const answered: string[] = [];
      const get = async (path: string) => {
        const res = await fetch(`${url}/api/v1${path}`, {
          headers: { authorization: `Bearer ${t.adminToken}` },
        });
        const body = (await res.json()) as Record<string, unknown>;
        answered.push(path);
        return { status: res.status, body };
      };
      const verify = get('/audit/verify');
      await arrived;
      const listed = await get('/audit?limit=50');
      const verified = await verify;
      expect(listed.status).toBe(200);
      expect(verified.body).toMatchObject({ firstBad: null });
      expect(verified.body.entries).toBeGreaterThan(50_000);
      expect(answered).toEqual(['/audit?limit=50', '/audit/verify']);
    });
  },
);
