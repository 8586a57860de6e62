import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFactories, type TestDatabaseFactory } from '../fixtures/databases.js';
import { expectProblem } from '../fixtures/http-helpers.js';
import { sendShiftedIris } from '../fixtures/iris-shifted-traffic.js';
import type { TestApp } from '../fixtures/test-app.js';
import { api, auth, type gatewayWorld } from '../gateway/gateway-fixtures.js';
import { irisMonitoringWorld } from './iris-monitoring-world.js';

// The drift report download: a window that real gateway traffic closed, against the reference attached
// through the API, rendered as HTML and as JSON.
const base = `${api}/environments/production/monitor`;
const rows = 40;

describe('drift report over /api/v1 (sqlite)', () => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof gatewayWorld>>;
  let windowId = '';

  beforeAll(async () => {
    ({ t, w } = await irisMonitoringWorld(databaseFactories()[0] as TestDatabaseFactory, rows));
    // Petals 2 cm longer than the reference's: drift on petal_length.
    await sendShiftedIris(t, w.viewer, rows);
    await t.container.monitorRunner.service.tick();
    const listed = await t.app.inject({ url: `${base}/windows?model=iris`, headers: auth(w.viewer) });
    windowId = listed.json().items[0].id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('sends the HTML report as an attachment under its strict CSP, naming the drifted column', async () => {
    const res = await t.app.inject({ url: `${base}/windows/${windowId}/report`, headers: auth(w.viewer) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="drift-iris-v1-${windowId}.html"`);
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
    );
    expect(res.body).toMatch(/^<!DOCTYPE html>/i);
    expect(res.body).not.toMatch(/<script/i);
    for (const column of ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'])
      expect(res.body).toContain(column);
  });

  it('sends the same window as JSON: the reference it was measured against, petal_length drifted', async () => {
    const res = await t.app.inject({
      url: `${base}/windows/${windowId}/report?format=json`,
      headers: auth(w.viewer),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['content-disposition']).toContain('.json"');
    const doc = res.json();
    expect(doc.schemaVersion).toBe(1);
    expect(doc.window).toMatchObject({ id: windowId, model: 'iris', version: 1, rows });
    expect(doc.reference).toMatchObject({ format: 'csv', rows: 120 });
    const petal = doc.drift.columns.find((c: { column: string }) => c.column === 'petal_length');
    expect(petal).toMatchObject({ test: 'ks', drifted: true });
    const sepal = doc.drift.columns.find((c: { column: string }) => c.column === 'sepal_width');
    expect(sepal.test).toBe('ks');
  });

  it('refuses without a token, without the permission, for unknown windows and bad formats', async () => {
    const url = `${base}/windows/${windowId}/report`;
    expect((await t.rawApp.inject({ url })).statusCode).toBe(401);
    const stranger = await t.tokenFor({ name: 'stranger', roles: ['viewer'], teams: ['elsewhere'] });
    expect((await t.app.inject({ url, headers: auth(stranger) })).statusCode).toBe(403);
    expectProblem(
      await t.app.inject({ url: `${base}/windows/00000000-0000-7000-8000-000000000000/report` }),
      404,
      'monitor_window_not_found',
    );
    expect((await t.app.inject({ url: `${url}?format=pdf` })).statusCode).toBe(400);
    expect((await t.app.inject({ url: `${base}/windows/nope/report` })).statusCode).toBe(400);
  });
});
