import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { databaseFactories } from '../fixtures/databases.js';
import { memoryCtx } from '../fixtures/memory-cli.js';
import type { TestApp } from '../fixtures/test-app.js';
import { api } from '../gateway/gateway-fixtures.js';
import { irisMonitoringWorld } from './iris-monitoring-world.js';

// `warden monitor policy show|set|reset` against a real server on loopback, iris v1 live with its reference.
describe.each(databaseFactories().map((f) => [f.name, f] as const))(
  'warden monitor policy (%s)',
  (_name, factory) => {
    let t: TestApp;
    let url: string;
    let dir: string;

    beforeAll(async () => {
      ({ t } = await irisMonitoringWorld(factory, 40));
      await t.rawApp.listen({ port: 0, host: '127.0.0.1' });
      const address = t.rawApp.server.address();
      url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      dir = mkdtempSync(path.join(tmpdir(), 'warden-monitor-policy-'));
    });
    afterAll(async () => {
      await t?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    async function warden(args: string[], options: { token?: string; stdin?: string } = {}) {
      const { ctx, out, err } = memoryCtx(dir, {
        WARDEN_URL: url,
        WARDEN_TOKEN: options.token ?? t.adminToken,
      });
      const code = await runCli(args, {
        ...ctx,
        ...(options.stdin !== undefined ? { stdin: Readable.from([Buffer.from(options.stdin)]) } : {}),
      });
      return { code, out: out(), err: err() };
    }
    const file = (name: string, content: string) => {
      const where = path.join(dir, name);
      writeFileSync(where, content);
      return where;
    };

    it('show: the defaults, each marked as such; --json is the API view', async () => {
      const shown = await warden(['monitor', 'policy', 'show', 'production', 'iris']);
      expect(shown, shown.err).toMatchObject({ code: 0 });
      expect(shown.out).toMatch(/^Revision:\s+0 \(defaults\)$/m);
      expect(shown.out).toMatch(/^Document:\s+nothing \(defaults\)$/m);
      expect(shown.out).toMatch(/^driftShare\s+0\.5\s+default$/m);
      expect(shown.out).toMatch(/^column_drift\s+yes\s+warning\s+3\s+1\s+default$/m);
      expect(shown.out).toMatch(/^every column\s+default\s+default$/m);
      const json = JSON.parse(
        (await warden(['monitor', 'policy', 'show', 'production', 'iris', '--json'])).out,
      );
      expect(json).toMatchObject({ environment: 'production', model: 'iris', revision: 0, document: {} });
    });

    it('set from a file: the drift section applied, a column the reference lacks warned about', async () => {
      const policy = {
        thresholds: { driftShare: 0.3 },
        drift: { columns: { petal_length: { test: 'psi', threshold: 0.25 }, petal_lenght: { test: 'ks' } } },
      };
      const set = await warden([
        'monitor',
        'policy',
        'set',
        'production',
        'iris',
        file('policy.json', JSON.stringify(policy)),
        '--reason',
        'launch',
      ]);
      expect(set, set.err).toMatchObject({ code: 0 });
      expect(set.err).toContain('Monitor policy of production/iris is now revision 1.');
      expect(set.err).toMatch(
        /^warning: drift\.columns\.petal_lenght: is not a column of the live version's reference/m,
      );
      expect(set.out).toMatch(/^column petal_length\s+psi\s+0\.25$/m);
      expect(set.out).toMatch(/^driftShare\s+0\.3\s+policy$/m);
      expect(set.out).toMatch(/^Reason:\s+launch$/m);
      const stored = await t.app.inject({
        url: `${api}/environments/production/deployments/iris/monitor-policy`,
      });
      expect(stored.json()).toMatchObject({ revision: 1, document: policy, reason: 'launch' });
    });

    it('set from standard input (-), with --json carrying the warnings', async () => {
      const doc = { drift: { numeric: { test: 'wasserstein', threshold: 0.2 } } };
      const set = await warden(['monitor', 'policy', 'set', 'production', 'iris', '-', '--json'], {
        stdin: JSON.stringify(doc),
      });
      expect(set, set.err).toMatchObject({ code: 0 });
      expect(JSON.parse(set.out)).toMatchObject({ revision: 2, document: doc, warnings: [] });
      expect((await warden(['monitor', 'policy', 'show', 'production', 'iris'])).out).toMatch(
        /^numeric\s+wasserstein\s+0\.2$/m,
      );
    });

    it('a bad document: every problem at its path, exit 2, nothing changed', async () => {
      const bad = await warden([
        'monitor',
        'policy',
        'set',
        'production',
        'iris',
        file(
          'bad.json',
          JSON.stringify({ drift: { test: 'anderson', columns: { species: { test: 'ks' } } } }),
        ),
      ]);
      expect(bad.code).toBe(2);
      expect(bad.err).toContain('monitor_policy_invalid');
      expect(bad.err).toMatch(/drift\.test must be one of ks/);
      const notJson = await warden([
        'monitor',
        'policy',
        'set',
        'production',
        'iris',
        file('x.json', '{nope'),
      ]);
      expect(notJson.code).toBe(2);
      expect(notJson.err).toMatch(/FILE: .*x\.json is not JSON/);
      const array = await warden(['monitor', 'policy', 'set', 'production', 'iris', '-'], { stdin: '[]' });
      expect(array.code).toBe(2);
      expect(array.err).toContain('standard input must hold a JSON object');
      const missing = await warden(['monitor', 'policy', 'set', 'production', 'iris', 'absent.json']);
      expect(missing.code).toBe(2);
      expect(missing.err).toContain('cannot read absent.json: ENOENT');
      const unknown = await warden(['monitor', 'policy', 'show', 'production', 'nope']);
      expect(unknown.code).toBe(3);
      expect(unknown.err).toContain('model_not_found');
      const view = await t.app.inject({
        url: `${api}/environments/production/deployments/iris/monitor-policy`,
      });
      expect(view.json().revision).toBe(2);
    });

    it('a viewer reads but cannot set or reset; reset goes back to the defaults', async () => {
      const viewer = await t.tokenFor({ name: 'ml-viewer', roles: ['viewer'], teams: ['ml'] });
      expect(
        (await warden(['monitor', 'policy', 'show', 'production', 'iris'], { token: viewer })).code,
      ).toBe(0);
      const refused = await warden(['monitor', 'policy', 'reset', 'production', 'iris'], { token: viewer });
      expect(refused.code).toBe(6);
      const reset = await warden(['monitor', 'policy', 'reset', 'production', 'iris', '--reason', 'done']);
      expect(reset, reset.err).toMatchObject({ code: 0 });
      expect(reset.err).toContain('reset to the defaults (revision 3)');
      expect(reset.out).toMatch(/^Document:\s+nothing \(defaults\)$/m);
    });
  },
);
