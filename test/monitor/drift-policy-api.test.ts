import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFactories } from '../fixtures/databases.js';
import { sendShiftedIris } from '../fixtures/iris-shifted-traffic.js';
import type { TestApp } from '../fixtures/test-app.js';
import { api, auth, type gatewayWorld } from '../gateway/gateway-fixtures.js';
import { irisMonitoringWorld } from './iris-monitoring-world.js';

// The drift section of a deployment's monitor policy over the API: checked against the live version's
// reference, then applied by the monitor when real gateway traffic closes a window.
const policyUrl = `${api}/environments/production/deployments/iris/monitor-policy`;
const monitorBase = `${api}/environments/production/monitor`;
const rows = 40;

describe.each(databaseFactories().map((f) => [f.name, f] as const))(
  'drift policy over /api/v1 (%s)',
  (_name, factory) => {
    let t: TestApp;
    let w: Awaited<ReturnType<typeof gatewayWorld>>;
    let columns: { name: string; role: string; kind: string }[] = [];

    beforeAll(async () => {
      ({ t, w, columns } = await irisMonitoringWorld(factory, rows));
    });
    afterAll(async () => {
      await t?.close();
    });

    it('refuses bad drift settings with 400 at their paths, a KS on a known categorical column included', async () => {
      const categorical = columns.find((c) => c.kind === 'categorical' && c.role !== 'ignored');
      expect(categorical, JSON.stringify(columns)).toBeDefined();
      const name = categorical?.name ?? '';
      const res = await t.app.inject({
        method: 'PUT',
        url: policyUrl,
        payload: {
          policy: {
            drift: { test: 'anderson', numeric: { threshold: -1 }, columns: { [name]: { test: 'ks' } } },
          },
        },
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toMatchObject({
        code: 'monitor_policy_invalid',
        details: {
          problems: [
            { path: 'drift.test', message: expect.stringMatching(/^must be one of ks, chisquare/) },
            { path: 'drift.numeric.threshold', message: 'must be a finite number above 0' },
            {
              path: `drift.columns.${name}.test`,
              message: 'ks compares numbers only and this setting reaches categorical columns',
            },
          ],
        },
      });
      expect((await t.app.inject({ url: policyUrl })).json().revision).toBe(0);
    });

    it('sets drift settings, warning of a column the reference lacks; the policy shows them', async () => {
      const drift = {
        numeric: { threshold: 0.2 },
        columns: {
          petal_length: { test: 'psi', threshold: 0.25 },
          sepal_width: { test: 'ks' },
          petal_lenght: { test: 'psi' },
        },
      };
      const set = await t.app.inject({
        method: 'PUT',
        url: policyUrl,
        payload: { policy: { drift }, reason: 'PSI for the petals' },
      });
      expect(set.statusCode, set.body).toBe(200);
      expect(set.json()).toMatchObject({ revision: 1, document: { drift }, policy: { drift } });
      expect(set.json().warnings).toEqual([
        {
          path: 'drift.columns.petal_lenght',
          message: expect.stringMatching(/^is not a column of the live version's reference \(.*petal_length/),
        },
      ]);
      const shown = (await t.app.inject({ url: policyUrl, headers: auth(w.viewer) })).json();
      expect(shown).toMatchObject({ revision: 1, policy: { drift }, warnings: [] });
    });

    it('closes a window with PSI on petal_length and the forced KS on sepal_width, and reports it', async () => {
      // Petals 2 cm longer than the reference's: drift on petal_length.
      await sendShiftedIris(t, w.viewer, rows);
      await t.container.monitorRunner.service.tick();
      const listed = await t.app.inject({
        url: `${monitorBase}/windows?model=iris`,
        headers: auth(w.viewer),
      });
      expect(listed.statusCode, listed.body).toBe(200);
      const window = listed.json().items[0];
      const column = (n: string) => window.drift.columns.find((c: { column: string }) => c.column === n);
      expect(column('petal_length')).toMatchObject({
        test: 'psi',
        threshold: 0.25,
        drifted: true,
        chosenBy: { test: 'column', threshold: 'column' },
      });
      expect(column('sepal_width')).toMatchObject({
        test: 'ks',
        threshold: 0.05,
        chosenBy: { test: 'column' },
      });
      expect(column('sepal_length')).toMatchObject({
        test: 'ks',
        threshold: 0.2,
        chosenBy: { threshold: 'kind' },
      });
      expect(column('sepal_width').drifted).toBe(column('sepal_width').value <= 0.05);

      const report = await t.app.inject({
        url: `${monitorBase}/windows/${window.id}/report?format=json`,
        headers: auth(w.viewer),
      });
      expect(report.statusCode, report.body).toBe(200);
      const petal = report.json().drift.columns.find((c: { column: string }) => c.column === 'petal_length');
      expect(petal).toMatchObject({ test: 'psi', chosenBy: { test: 'column', threshold: 'column' } });
      const html = await t.app.inject({
        url: `${monitorBase}/windows/${window.id}/report`,
        headers: auth(w.viewer),
      });
      expect(html.body).toContain('set by policy');
      expect(html.body).toContain("The deployment's monitor policy chose instead of these rules");
    });
  },
);
