import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import { createContainer } from '../../src/container.js';
import { buildApp } from '../../src/http/build-app.js';
import { createLogger } from '../../src/platform/logger.js';

/**
 * The server's OpenAPI document, exactly as `GET /api/v1/openapi.json` answers it, built from the routes'
 * own schemas by an app on a throwaway data directory (nothing listens, nothing is kept).
 */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'warden-openapi-'));
  try {
    const config = loadConfig({ env: {}, flags: { dataDir, logLevel: 'silent', port: 0 } });
    const container = await createContainer(config, createLogger({ level: 'silent' }));
    const app = await buildApp({ ...container, version: 'openapi' });
    try {
      await app.ready();
      const res = await app.inject({ url: '/api/v1/openapi.json' });
      if (res.statusCode !== 200) throw new Error(`openapi.json answered ${res.statusCode}`);
      return res.json() as Record<string, unknown>;
    } finally {
      await app.close();
      await container.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
