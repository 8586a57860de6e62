import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { createContainer } from '../../src/container.js';
import { buildApp } from '../../src/http/build-app.js';
import { createLogger } from '../../src/platform/logger.js';
import { databaseFactories } from '../fixtures/databases.js';
import { createTestApp } from '../fixtures/test-app.js';

const logger = createLogger({ level: 'silent' });
const configFor = (db: { dataDir: string; databaseUrl: string | null }) =>
  loadConfig({
    env: {},
    flags: {
      dataDir: db.dataDir,
      logLevel: 'silent',
      ...(db.databaseUrl ? { databaseUrl: db.databaseUrl } : {}),
    },
  });

describe.each(databaseFactories())('the gateway role (warden gateway) on $name', (factory) => {
  it('refuses a database its server has not migrated', async () => {
    const db = await factory.create();
    try {
      await expect(createContainer(configFor(db), logger, { role: 'gateway' })).rejects.toMatchObject({
        code: 'database_not_migrated',
      });
    } finally {
      await db.cleanup();
    }
  });

  it('joins a running server: no lock, no bootstrap, no control-plane routes', async () => {
    const t = await createTestApp({ factory });
    try {
      const container = await createContainer(configFor(t.db), logger, { role: 'gateway' });
      const app = await buildApp({ ...container, version: 'test' });
      try {
        expect(container.firstAdminToken).toBeNull();
        const headers = { authorization: `Bearer ${t.adminToken}` };
        expect((await app.inject({ url: '/api/v1/models', headers })).statusCode).toBe(404);
        expect((await app.inject({ url: '/docs/json' })).statusCode).toBe(404);
        expect((await app.inject({ url: '/metrics' })).statusCode).toBe(401);
        expect((await app.inject({ url: '/metrics', headers })).statusCode).toBe(200);
        expect((await app.inject({ url: '/v2/health/live' })).statusCode).toBe(200);
        const missing = await app.inject({
          method: 'POST',
          url: '/v2/models/nothing/infer',
          headers,
          payload: { inputs: [] },
        });
        expect(missing.statusCode).toBe(404);
        // The server still answers and writes beside it.
        expect((await t.app.inject({ url: '/api/v1/models' })).statusCode).toBe(200);
        await t.tokenFor({ name: 'after-gateway', roles: ['viewer'] });
      } finally {
        await app.close();
        await container.close();
      }
    } finally {
      await t.close();
    }
  });
});
