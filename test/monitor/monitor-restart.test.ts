import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMonitorAlertSqlStore } from '../../src/adapters/sql/monitor-alert.sql-store.js';
import { loadConfig } from '../../src/config/index.js';
import { type Container, createContainer } from '../../src/container.js';
import { buildApp } from '../../src/http/build-app.js';
import type { WindowSummary } from '../../src/modules/monitor/index.js';
import { createLogger } from '../../src/platform/logger.js';
import { databaseFactories, type TestDatabase } from '../fixtures/databases.js';

// Monitoring across processes on one database: a restarted server shows the alerts still firing on its
// metrics, two processes evaluating one deployment at once open one alert and lose no rule-state update,
// and an alert engine whose store fails logs the outage once and catches up when it is back.

let windows = 0;
/** A closed window of production iris traffic whose mean confidence is `confidence` (rule threshold 0.5). */
const aWindow = (confidence: number): WindowSummary => ({
  id: `w-${++windows}`,
  environment: 'production',
  model: 'iris',
  version: 1,
  digest: `sha256:${'a'.repeat(64)}`,
  start: new Date().toISOString(),
  end: new Date().toISOString(),
  closedBy: 'count',
  requests: 100,
  rows: 100,
  drift: null,
  histograms: [],
  prediction: {
    rows: 100,
    uniqueRatio: 0.03,
    topClass: 'setosa',
    topClassShare: 0.34,
    meanConfidence: confidence,
  },
  labels: { count: 0, accuracy: null, f1: null },
});
const firingLine =
  'warden_monitor_alerts_firing{environment="production",model="iris",rule="confidence",severity="warning"}';

describe.each(databaseFactories().map((f) => [f.name, f] as const))(
  'monitoring across restarts and processes (%s)',
  (_name, factory) => {
    let db: TestDatabase;
    let adminToken = '';
    const open: { app: FastifyInstance; container: Container }[] = [];
    const logLines: { msg: string }[] = [];

    /** A server (or, with role `gateway`, a second process) on the test database, as `warden serve` builds it. */
    async function start(role: 'server' | 'gateway' = 'server') {
      const flags: Record<string, unknown> = { dataDir: db.dataDir, logLevel: 'silent', port: 0 };
      if (db.databaseUrl) flags.databaseUrl = db.databaseUrl;
      const log = new PassThrough();
      log.on('data', (line: Buffer) => logLines.push(JSON.parse(line.toString())));
      const container = await createContainer(
        loadConfig({ env: {}, flags }),
        createLogger({ level: 'warn', destination: log }),
        { role },
      );
      const app = await buildApp({ ...container, version: 'test' });
      await app.ready();
      adminToken ||= container.firstAdminToken?.token ?? '';
      const started = { app, container };
      open.push(started);
      return started;
    }
    const stop = async (s: { app: FastifyInstance; container: Container }) => {
      open.splice(open.indexOf(s), 1);
      await s.app.close();
      await s.container.close();
    };
    const scrape = async (app: FastifyInstance) => {
      const res = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${adminToken}` } });
      expect(res.statusCode, res.body).toBe(200);
      return res.body.split('\n').find((l) => l.startsWith(firingLine)) ?? null;
    };
    /** The alert store on a connection of the test's own. */
    async function stored<T>(read: (store: ReturnType<typeof createMonitorAlertSqlStore>) => Promise<T>) {
      const database = db.open();
      try {
        return await read(createMonitorAlertSqlStore(database.db));
      } finally {
        await database.close();
      }
    }
    const confidenceAlerts = () =>
      stored((s) => s.listAlerts('production', { model: 'iris', limit: 100 })).then((as) =>
        as.filter((a) => a.rule === 'confidence'),
      );
    const confidenceState = () =>
      stored((s) => s.ruleStates('production', 'iris')).then((ss) => ss.find((s) => s.rule === 'confidence'));

    beforeEach(async () => {
      db = await factory.create();
      logLines.length = 0;
      adminToken = '';
      const { app } = await start();
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/models',
        payload: { name: 'iris' },
        headers: { authorization: `Bearer ${adminToken}` },
      });
      expect(res.statusCode, res.body).toBe(201);
    });
    afterEach(async () => {
      for (const s of [...open].reverse()) await stop(s);
      await db.cleanup();
    });

    it('a restarted server shows the alerts still firing in the database, then their resolution', async () => {
      const first = open[0] as (typeof open)[number];
      for (let i = 0; i < 2; i++) await first.container.alerts.onWindow(aWindow(0.2));
      expect(await scrape(first.app)).toBe(`${firingLine} 1`);
      await stop(first);

      const second = await start();
      expect(await scrape(second.app)).toBe(`${firingLine} 1`);
      for (let i = 0; i < 5 && (await confidenceAlerts())[0]?.state === 'firing'; i++)
        await second.container.alerts.onWindow(aWindow(0.9));
      expect(await confidenceAlerts()).toMatchObject([{ state: 'resolved' }]);
      expect(await scrape(second.app)).toBe(`${firingLine} 0`);
    });

    // PostgreSQL only: two containers in one thread cannot share a SQLite file at once (better-sqlite3's busy
    // wait blocks the very thread whose open transaction holds the lock); SQLite serves one process.
    it.skipIf(factory.name === 'sqlite')(
      'two processes evaluating one deployment at once open one alert and lose no rule-state update',
      async () => {
        const first = open[0] as (typeof open)[number];
        const second = await start('gateway');
        const each = 8;
        await Promise.all(
          [first, second].flatMap(({ container }) =>
            Array.from({ length: each }, () => container.alerts.onWindow(aWindow(0.2))),
          ),
        );
        expect(first.container.alerts.waiting + second.container.alerts.waiting).toBe(0);
        expect(await confidenceAlerts()).toMatchObject([{ state: 'firing' }]);
        expect(await confidenceState()).toMatchObject({ breaches: 2 * each, clean: 0 });
        const audit = await first.app.inject({
          url: '/api/v1/audit?action=monitor:alert:fire',
          headers: { authorization: `Bearer ${adminToken}` },
        });
        expect(audit.json().items).toHaveLength(1);
      },
    );

    it('a store outage during evaluation is logged once, and the readings are evaluated when it is back', async () => {
      const { container } = open[0] as (typeof open)[number];
      const database = db.open();
      try {
        await sql`alter table monitor_rule_states rename to monitor_rule_states_away`.execute(database.db);
        for (let i = 0; i < 3; i++) await container.alerts.onWindow(aWindow(0.2));
        await container.alerts.onInterval(new Date());
        expect(container.alerts.waiting).toBe(3);
        expect(await confidenceAlerts()).toEqual([]);
        await sql`alter table monitor_rule_states_away rename to monitor_rule_states`.execute(database.db);
      } finally {
        await database.close();
      }
      await container.alerts.onWindow(aWindow(0.2));
      expect(container.alerts.waiting).toBe(0);
      expect(await confidenceAlerts()).toMatchObject([{ state: 'firing' }]);
      expect(await confidenceState()).toMatchObject({ breaches: 4 });
      const messages = logLines.map((l) => l.msg).filter((m) => m.startsWith('monitor alert evaluation'));
      expect(messages).toEqual([
        'monitor alert evaluation failed; readings wait and are evaluated in order once the store answers',
        'monitor alert evaluation recovered: the waiting readings were evaluated',
      ]);
    });
  },
);
