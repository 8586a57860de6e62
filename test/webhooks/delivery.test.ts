import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { openKeyAdministration } from '../../src/blob-keys.js';
import { loadConfig } from '../../src/config/index.js';
import { type Container, createContainer } from '../../src/container.js';
import { buildApp } from '../../src/http/build-app.js';
import { createLogger } from '../../src/platform/logger.js';
import {
  postgresFactory,
  postgresUrl,
  sqliteFactory,
  type TestDatabase,
  type TestDatabaseFactory,
} from '../fixtures/databases.js';
import { clientRootDigest, multipartBody } from '../fixtures/test-app.js';
import { type Answer, startReceiver } from '../fixtures/webhook-receiver.js';

// Delivery as `warden serve` runs it (the container's dispatcher, the real sender, a real database and a
// real receiver on loopback): retries and their backoff, timeouts, permanent failures, restarts, the
// connect-time address rule, and replicas that never deliver twice.

const api = '/api/v1';

interface DeliveryJson {
  id: string;
  eventId: string;
  state: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  history: { attempt: number; status: number | null; error: string | null; durationMs: number }[];
}

interface Server {
  container: Container;
  app: FastifyInstance;
  token: string;
  request(
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    payload?: unknown,
  ): Promise<{ status: number; body: unknown }>;
  push(model: string, content: string): Promise<void>;
  deliveries(endpointId?: string): Promise<DeliveryJson[]>;
  close(): Promise<void>;
}

/** Starts (or restarts) a server over `db`, its dispatcher running unless told otherwise. */
async function boot(
  db: TestDatabase,
  settings: Record<string, unknown> = {},
  options: { dispatcher?: boolean; dataDir?: string; token?: string } = {},
): Promise<Server> {
  const dataDir = options.dataDir ?? db.dataDir;
  const flags: Record<string, unknown> = {
    dataDir,
    logLevel: 'silent',
    port: 0,
    'webhooks.allowPrivateTargets': true,
    'webhooks.timeoutSeconds': 1,
    ...settings,
  };
  if (db.databaseUrl) flags.databaseUrl = db.databaseUrl;
  const container = await createContainer(loadConfig({ env: {}, flags }), createLogger({ level: 'silent' }));
  const app = await buildApp({ ...container, version: 'test' });
  await app.ready();
  if (options.dispatcher !== false) container.webhookDispatcher.start();
  const token = options.token ?? readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
  const request: Server['request'] = async (method, url, payload) => {
    const res = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return { status: res.statusCode, body: res.body ? res.json() : null };
  };
  return {
    container,
    app,
    token,
    request,
    async push(model, content) {
      const files = [{ path: 'w.bin', content }];
      const { body, contentType } = multipartBody({ kind: 'file' }, files, {
        digest: clientRootDigest(files),
      });
      const res = await app.inject({
        method: 'POST',
        url: `${api}/models/${model}/versions`,
        payload: body,
        headers: { 'content-type': contentType, authorization: `Bearer ${token}` },
      });
      expect(res.statusCode, res.body).toBe(201);
    },
    async deliveries(endpointId) {
      const url = endpointId ? `${api}/webhooks/${endpointId}/deliveries` : `${api}/webhooks/deliveries`;
      const res = await request('GET', `${url}${url.includes('?') ? '&' : '?'}limit=500`);
      expect(res.status).toBe(200);
      return (res.body as { items: DeliveryJson[] }).items;
    },
    close: async () => {
      await app.close();
      await container.close();
    },
  };
}

async function register(s: Server, url: string, events = ['version.pushed']) {
  const res = await s.request('POST', `${api}/webhooks`, { url, events });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; secret: string };
}

async function eventually<T>(
  read: () => Promise<T>,
  done: (v: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`still not there: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const headersOf = (h: { headers: Record<string, unknown> }) => ({
  'webhook-id': String(h.headers['webhook-id']),
  'webhook-timestamp': String(h.headers['webhook-timestamp']),
  'webhook-signature': String(h.headers['webhook-signature']),
});

describe('webhook delivery', { timeout: 60_000 }, () => {
  const opened: { close(): Promise<void> }[] = [];
  const dbs: TestDatabase[] = [];
  afterEach(async () => {
    for (const o of opened.splice(0).reverse()) await o.close().catch(() => {});
    for (const db of dbs.splice(0)) await db.cleanup();
  });

  const fresh = async (factory: TestDatabaseFactory = sqliteFactory()) => {
    const db = await factory.create();
    dbs.push(db);
    return db;
  };
  const started = async (db: TestDatabase, settings: Record<string, unknown> = {}, options = {}) => {
    const s = await boot(db, settings, options);
    opened.push(s);
    return s;
  };
  const receiving = async (answer?: (n: number) => Answer, port?: number) => {
    const r = await startReceiver(answer, port === undefined ? {} : { port });
    opened.push(r);
    return r;
  };

  /** A server with one endpoint on a receiver answering `answer`, and a model to push to. */
  async function setup(answer: (n: number) => Answer, settings: Record<string, unknown> = {}) {
    const receiver = await receiving(answer);
    const s = await started(await fresh(), settings);
    const endpoint = await register(s, receiver.url);
    expect((await s.request('POST', `${api}/models`, { name: 'iris' })).status).toBe(201);
    return { s, receiver, endpoint };
  }

  it('retries a 500 with exponential backoff, then succeeds; every attempt carries the same webhook-id and verifies', async () => {
    const { s, receiver, endpoint } = await setup((n) => (n < 3 ? { status: 500 } : { status: 204 }));
    await s.push('iris', 'one');
    const [delivery] = await eventually(
      () => s.deliveries(endpoint.id),
      (d) => d[0]?.state === 'delivered',
    );
    expect(delivery).toMatchObject({ attempts: 3, lastStatus: 204, lastError: null, nextAttemptAt: null });
    expect(delivery?.history.map((a) => a.status)).toEqual([500, 500, 204]);
    expect(receiver.received).toHaveLength(3);
    const ids = receiver.received.map((h) => h.headers['webhook-id']);
    expect(new Set(ids)).toEqual(new Set([delivery?.eventId]));
    for (const h of receiver.received) new Webhook(endpoint.secret).verify(h.body, headersOf(h));
    expect(new Set(receiver.received.map((h) => h.body)).size).toBe(1);
    // 1 s then 4 s, each with jitter between half and all of it.
    const [a, b, c] = receiver.received.map((h) => h.at) as [number, number, number];
    expect(b - a).toBeGreaterThanOrEqual(450);
    expect(c - b).toBeGreaterThanOrEqual(1950);
    expect(c - b).toBeGreaterThan(b - a);
  });

  it('times out a receiver that hangs, and retries it', async () => {
    const { s, receiver, endpoint } = await setup((n) => (n === 1 ? 'hang' : { status: 200 }));
    await s.push('iris', 'one');
    const [delivery] = await eventually(
      () => s.deliveries(endpoint.id),
      (d) => d[0]?.state === 'delivered',
    );
    expect(delivery?.history).toEqual([
      expect.objectContaining({ attempt: 1, status: null, error: 'timeout' }),
      expect.objectContaining({ attempt: 2, status: 200, error: null }),
    ]);
    expect(delivery?.history[0]?.durationMs).toBeGreaterThanOrEqual(990);
    expect(receiver.received).toHaveLength(2);
  });

  it.each([410, 400, 404])('takes %i as a permanent failure: one attempt, no retry', async (status) => {
    const { s, receiver, endpoint } = await setup(() => ({ status }));
    await s.push('iris', 'one');
    const [delivery] = await eventually(
      () => s.deliveries(endpoint.id),
      (d) => d[0]?.state === 'failed',
    );
    expect(delivery).toMatchObject({ attempts: 1, lastStatus: status, nextAttemptAt: null });
    await new Promise((r) => setTimeout(r, 1500));
    expect(receiver.received).toHaveLength(1);
  });

  it('waits as long as a 429 says in Retry-After', async () => {
    const { s, receiver, endpoint } = await setup((n) =>
      n === 1 ? { status: 429, headers: { 'retry-after': '2' } } : { status: 200 },
    );
    await s.push('iris', 'one');
    await eventually(
      () => s.deliveries(endpoint.id),
      (d) => d[0]?.state === 'delivered',
    );
    const [a, b] = receiver.received.map((h) => h.at) as [number, number];
    expect(b - a).toBeGreaterThanOrEqual(1950);
  });

  it('gives up after webhooks.maxAttempts, and retries connection errors', async () => {
    const { s, receiver, endpoint } = await setup(() => ({ status: 503 }), { 'webhooks.maxAttempts': 2 });
    await s.push('iris', 'one');
    const [failed] = await eventually(
      () => s.deliveries(endpoint.id),
      (d) => d[0]?.state === 'failed',
    );
    expect(failed).toMatchObject({ attempts: 2, lastStatus: 503 });
    expect(receiver.received).toHaveLength(2);

    // Nothing listens on the closed receiver's port: connection refused, retried, then given up.
    const gone = await receiving();
    const port = gone.port;
    await gone.close();
    const dead = await register(s, `http://127.0.0.1:${port}/hook`);
    await s.push('iris', 'two');
    const [refused] = await eventually(
      () => s.deliveries(dead.id),
      (d) => d[0]?.state === 'failed',
    );
    expect(refused?.history).toEqual([
      expect.objectContaining({ attempt: 1, status: null, error: 'connection_failed: ECONNREFUSED' }),
      expect.objectContaining({ attempt: 2, status: null, error: 'connection_failed: ECONNREFUSED' }),
    ]);
  });

  it('delivers after a restart what was committed while no dispatcher ran', async () => {
    const db = await fresh();
    const receiver = await receiving();
    const first = await started(db, {}, { dispatcher: false });
    const endpoint = await register(first, receiver.url);
    expect((await first.request('POST', `${api}/models`, { name: 'iris' })).status).toBe(201);
    await first.push('iris', 'one');
    await first.push('iris', 'two');
    // The process ends before anything was sent: the events are in the outbox, no delivery exists yet.
    await first.close();
    expect(receiver.received).toHaveLength(0);

    const second = await started(db);
    const delivered = await eventually(
      () => second.deliveries(endpoint.id),
      (d) => d.length === 2 && d.every((x) => x.state === 'delivered'),
    );
    expect(receiver.received.map((h) => JSON.parse(h.body).data.version).sort()).toEqual([1, 2]);
    expect(new Set(receiver.received.map((h) => h.headers['webhook-id']))).toEqual(
      new Set(delivered.map((d) => d.eventId)),
    );
  });

  it('refuses at connect time a loopback target registered while private targets were allowed', async () => {
    const db = await fresh();
    const receiver = await receiving();
    const first = await started(db);
    const byAddress = await register(first, receiver.url);
    const byName = await register(first, `http://localhost:${receiver.port}/hook`);
    await first.close();

    const strict = await started(db, { 'webhooks.allowPrivateTargets': false });
    expect((await strict.request('POST', `${api}/models`, { name: 'iris' })).status).toBe(201);
    await strict.push('iris', 'one');
    for (const endpoint of [byAddress, byName]) {
      const [delivery] = await eventually(
        () => strict.deliveries(endpoint.id),
        (d) => d[0]?.state === 'failed',
      );
      expect(delivery).toMatchObject({
        attempts: 1,
        lastStatus: null,
        lastError: 'target_address_forbidden',
        nextAttemptAt: null,
      });
    }
    expect(receiver.received).toHaveLength(0);
  });

  it('moves secrets to the current key after a rotation, so the old key can be retired', async () => {
    const db = await fresh();
    const receiver = await receiving();
    const first = await started(db, {}, { dispatcher: false });
    const endpoint = await register(first, receiver.url);
    await first.close();
    const config = loadConfig({ env: {}, flags: { dataDir: db.dataDir } });
    const wrappedBy = async () => {
      const database = db.open();
      try {
        return (
          await database.db
            .withTables<{ webhook_endpoints: { secret_kek_id: string } }>()
            .selectFrom('webhook_endpoints')
            .select('secret_kek_id')
            .executeTakeFirstOrThrow()
        ).secret_kek_id;
      } finally {
        await database.close();
      }
    };
    const old = await wrappedBy();

    const admin = await openKeyAdministration(config);
    const { kekId: current } = await admin.keys.rotate();
    await admin.close();
    // The next start re-wraps it under the current key.
    await (await started(db, {}, { dispatcher: false })).close();
    expect(await wrappedBy()).toBe(current);
    expect(current).not.toBe(old);

    const retiring = await openKeyAdministration(config);
    await retiring.keys.retire(old);
    await retiring.close();
    const s = await started(db);
    expect((await s.request('POST', `${api}/models`, { name: 'iris' })).status).toBe(201);
    await s.push('iris', 'one');
    await eventually(
      () => s.deliveries(endpoint.id),
      (d) => d[0]?.state === 'delivered',
    );
    const [hook] = receiver.received;
    if (!hook) throw new Error('no hook');
    new Webhook(endpoint.secret).verify(hook.body, headersOf(hook));
  });

  it('cancels pending deliveries of a removed endpoint', async () => {
    const { s, receiver, endpoint } = await setup(() => ({ status: 500 }));
    await s.push('iris', 'one');
    await eventually(
      () => s.deliveries(endpoint.id),
      (d) => d[0]?.attempts === 1,
    );
    expect((await s.request('DELETE', `${api}/webhooks/${endpoint.id}`)).status).toBe(204);
    const [cancelled] = await s.deliveries(endpoint.id);
    expect(cancelled).toMatchObject({
      state: 'cancelled',
      lastError: 'endpoint_removed',
      nextAttemptAt: null,
    });
    await new Promise((r) => setTimeout(r, 1500));
    expect(receiver.received).toHaveLength(1);
  });

  it.runIf(postgresUrl)('never delivers an event twice across replicas sharing a database', async () => {
    const db = await fresh(postgresFactory(postgresUrl));
    const masterKey = randomBytes(32).toString('base64');
    const receiver = await receiving();
    const a = await started(db, { 'encryption.masterKey': masterKey });
    const otherDir = (await fresh()).dataDir;
    const b = await started(db, { 'encryption.masterKey': masterKey }, { dataDir: otherDir, token: a.token });
    await register(a, receiver.url, ['*']);
    expect((await a.request('POST', `${api}/models`, { name: 'iris' })).status).toBe(201);
    const pushes = 12;
    for (let i = 0; i < pushes; i++) await (i % 2 ? a : b).push('iris', `content ${i}`);
    await eventually(
      () => a.deliveries(),
      (d) => d.length === pushes && d.every((x) => x.state === 'delivered'),
    );
    await new Promise((r) => setTimeout(r, 500));
    const ids = receiver.received.map((h) => h.headers['webhook-id']);
    expect(ids).toHaveLength(pushes);
    expect(new Set(ids).size).toBe(pushes);
  });
});
