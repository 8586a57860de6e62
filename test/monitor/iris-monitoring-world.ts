import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { monitorDefaults } from '../../src/config/monitor.schema.js';
import type { TestDatabaseFactory } from '../fixtures/databases.js';
import { createTestApp } from '../fixtures/test-app.js';
import { api, deploy, eventually, gatewayEnvironments, gatewayWorld } from '../gateway/gateway-fixtures.js';

const irisCsv = readFileSync(
  fileURLToPath(new URL('../../examples/iris/data/reference.csv', import.meta.url)),
);

/**
 * A server whose monitor closes a window every `rows` requests, with iris v1 deployed to production and
 * the example reference attached through the API; answers the app, the gateway world and the reference's
 * columns as the API described them.
 */
export async function irisMonitoringWorld(factory: TestDatabaseFactory, rows: number) {
  const t = await createTestApp({
    factory,
    settings: {
      environments: gatewayEnvironments,
      monitor: { ...monitorDefaults, window: { rows, seconds: 300, minRows: 20 } },
    },
  });
  const w = await gatewayWorld(t, { count: 1 });
  const put = await t.app.inject({
    method: 'PUT',
    url: `${api}/models/iris/versions/1/reference`,
    payload: irisCsv,
    headers: { 'content-type': 'text/csv' },
  });
  expect(put.statusCode, put.body).toBe(200);
  await deploy(t, w.deployer, { model: 'iris', version: 1 });
  await eventually(async () => (await t.app.inject({ url: '/v2/models/iris/ready' })).json().ready);
  const columns: { name: string; role: string; kind: string }[] = put.json().columns;
  return { t, w, columns };
}
