import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { sql } from 'kysely';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { maxEndpoints } from '../../src/modules/webhooks/index.js';
import { databaseFactories, type TestDatabaseFactory } from '../fixtures/databases.js';
import { createModel, expectProblem, push, pushRaw, waitFor } from '../fixtures/http-helpers.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { type Receiver, startReceiver } from '../fixtures/webhook-receiver.js';

// Webhooks through the API, on a real database with a real receiver on loopback (private targets allowed
// where the test needs the local receiver; the default config refuses them).
const backends = databaseFactories().map((f): [string, TestDatabaseFactory] => [f.name, f]);
const api = '/api/v1';
const allowPrivate = { 'webhooks.allowPrivateTargets': true };

/** Every 12-character stretch of a secret: a log line holding any of them holds too much of it. */
const windowsOf = (secret: string, width = 12) =>
  Array.from({ length: secret.length - width + 1 }, (_, i) => secret.slice(i, i + width));

async function register(t: TestApp, url: string, events: string[] = ['version.pushed']) {
  const res = await t.app.inject({ method: 'POST', url: `${api}/webhooks`, payload: { url, events } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; secret: string; secretHint: string; url: string; events: string[] };
}

describe.each(backends)('a push reaches a webhook (%s)', (_name, factory) => {
  let t: TestApp;
  let receiver: Receiver;
  const lines: string[] = [];

  beforeEach(async () => {
    lines.length = 0;
    receiver = await startReceiver();
    const sink = new PassThrough();
    sink.setEncoding('utf8').on('data', (chunk: string) => lines.push(...chunk.split('\n').filter(Boolean)));
    t = await createTestApp({ factory, settings: allowPrivate, logTo: sink });
    t.container.webhookDispatcher.start();
  });
  afterEach(async () => {
    await t?.close();
    await receiver?.close();
  });

  it('signed as Standard Webhooks: the body verifies with the secret shown once, webhook-id is the event id', async () => {
    const created = await register(t, receiver.url);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created.secretHint).toBe(`${created.secret.slice(0, 10)}…`);

    await createModel(t, 'iris', { owner: 'vision' });
    const version = await push(t, 'iris', { kind: 'file' }, [{ path: 'model.bin', content: 'weights' }]);
    expect(await waitFor(() => receiver.received.length === 1)).toBe(true);

    const [hook] = receiver.received;
    if (!hook) throw new Error('no hook');
    expect(hook.method).toBe('POST');
    expect(hook.headers['content-type']).toBe('application/json');
    const headers = {
      'webhook-id': String(hook.headers['webhook-id']),
      'webhook-timestamp': String(hook.headers['webhook-timestamp']),
      'webhook-signature': String(hook.headers['webhook-signature']),
    };
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    const payload = new Webhook(created.secret).verify(hook.body, headers);
    expect(payload).toEqual({
      type: 'version.pushed',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      data: {
        model: 'iris',
        owner: 'vision',
        version: 1,
        digest: version.digest,
        files: 1,
        size: 7,
        actor: { id: t.adminId, name: 'admin' },
      },
    });
    // Another secret does not verify it.
    expect(() =>
      new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(hook.body, headers),
    ).toThrow();

    expect(
      await waitFor(async () => {
        const log = await t.app.inject({ method: 'GET', url: `${api}/webhooks/${created.id}/deliveries` });
        return log.json().items[0]?.state === 'delivered';
      }),
    ).toBe(true);
    const log = await t.app.inject({
      method: 'GET',
      url: `${api}/webhooks/deliveries?endpoint=${created.id}`,
    });
    expect(log.statusCode, log.body).toBe(200);
    expect(log.json()).toEqual({
      items: [
        expect.objectContaining({
          endpointId: created.id,
          eventId: headers['webhook-id'],
          eventType: 'version.pushed',
          state: 'delivered',
          attempts: 1,
          lastStatus: 200,
          lastError: null,
          nextAttemptAt: null,
          history: [expect.objectContaining({ attempt: 1, status: 200, error: null })],
        }),
      ],
      next: null,
    });

    // The secret: in the creation answer only; neither listed, logged, nor stored in the clear.
    const list = await t.app.inject({ method: 'GET', url: `${api}/webhooks` });
    expect(list.json()).toEqual([
      {
        id: created.id,
        url: receiver.url,
        events: ['version.pushed'],
        description: null,
        secretHint: created.secretHint,
        createdBy: t.adminId,
        createdByName: 'admin',
        createdAt: expect.any(String),
      },
    ]);
    const material = created.secret.slice('whsec_'.length);
    expect(list.body).not.toContain(material.slice(4, 16));
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) for (const w of windowsOf(material)) expect(line).not.toContain(w);
    const database = t.db.open();
    try {
      const { rows } = await sql<{
        secret_wrapped: string;
      }>`select secret_wrapped from webhook_endpoints`.execute(database.db);
      expect(rows).toHaveLength(1);
      expect(rows[0]?.secret_wrapped).not.toContain(material.slice(0, 12));
      const raw = Buffer.from(material, 'base64');
      expect(Buffer.from(rows[0]?.secret_wrapped ?? '', 'base64').includes(raw.subarray(0, 12))).toBe(false);
    } finally {
      await database.close();
    }
    if (t.db.name === 'sqlite') {
      for (const file of readdirSync(t.db.dataDir).filter((f) => f.startsWith('warden.db'))) {
        const bytes = readFileSync(path.join(t.db.dataDir, file));
        expect(bytes.includes(material.slice(0, 16)), file).toBe(false);
        expect(bytes.includes(Buffer.from(material, 'base64').subarray(0, 16)), file).toBe(false);
      }
    }
  });

  it('sends only the events an endpoint subscribed to, and every event to "*"', async () => {
    const pushes = await startReceiver();
    const none = await startReceiver();
    try {
      await register(t, pushes.url, ['*']);
      await register(t, none.url, ['deployment.applied', 'canary.changed']);
      await createModel(t, 'iris');
      await push(t, 'iris', { kind: 'file' }, [{ path: 'a.bin', content: 'one' }]);
      await push(t, 'iris', { kind: 'file' }, [{ path: 'a.bin', content: 'two' }]);
      expect(await waitFor(() => pushes.received.length === 2)).toBe(true);
      const ids = pushes.received.map((h) => h.headers['webhook-id']);
      expect(new Set(ids).size).toBe(2);
      expect(pushes.received.map((h) => JSON.parse(h.body).data.version).sort()).toEqual([1, 2]);
      await new Promise((r) => setTimeout(r, 300));
      expect(none.received).toHaveLength(0);
      expect(receiver.received).toHaveLength(0);
    } finally {
      await pushes.close();
      await none.close();
    }
  });
});

describe('the outbox event is part of the push', () => {
  let t: TestApp;
  let receiver: Receiver;
  beforeEach(async () => {
    receiver = await startReceiver();
    t = await createTestApp({ settings: allowPrivate });
  });
  afterEach(async () => {
    await t?.close();
    await receiver?.close();
  });

  it('a push that fails after its event was recorded leaves no event; the next one is delivered alone', async () => {
    await register(t, receiver.url);
    await createModel(t, 'iris');
    const database = t.db.open();
    const outboxRows = async () =>
      (await sql<{ type: string }>`select type from outbox_events`.execute(database.db)).rows;
    try {
      // The alias move comes after the version and its events, on the same transaction: make it fail there.
      await sql`create trigger refuse_alias before insert on alias_events begin select raise(abort, 'refused by the test'); end`.execute(
        database.db,
      );
      const failed = await pushRaw(t, 'iris', { kind: 'file', aliases: ['prod'] }, [
        { path: 'a.bin', content: 'one' },
      ]);
      expect(failed.statusCode, failed.body).toBe(500);
      expect(await outboxRows()).toEqual([]);
      const versions = await t.app.inject({ method: 'GET', url: `${api}/models/iris/versions` });
      expect(versions.json().items).toEqual([]);

      await sql`drop trigger refuse_alias`.execute(database.db);
      await push(t, 'iris', { kind: 'file', aliases: ['prod'] }, [{ path: 'a.bin', content: 'two' }]);
      expect(await outboxRows()).toEqual([{ type: 'version.pushed' }]);
    } finally {
      await database.close();
    }
    // Written while no dispatcher ran: it waits in the outbox until one starts.
    t.container.webhookDispatcher.start();
    expect(await waitFor(() => receiver.received.length === 1)).toBe(true);
    expect(JSON.parse(receiver.received[0]?.body ?? '{}').data.version).toBe(1);
  });
});

describe('who may manage webhooks', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ settings: allowPrivate });
  });
  afterEach(async () => t?.close());

  it('unscoped administrators only: other roles and a team-scoped admin get 403 on every route', async () => {
    const created = await register(t, 'http://127.0.0.1:9/hook');
    const tokens = {
      viewer: await t.tokenFor({ name: 'viewer', roles: ['viewer'] }),
      contributor: await t.tokenFor({ name: 'contributor', roles: ['contributor'] }),
      deployer: await t.tokenFor({ name: 'deployer', roles: ['deployer', 'approver'] }),
      'team admin': await t.tokenFor({ name: 'team-admin', roles: ['admin'], teams: ['vision'] }),
    };
    for (const [who, token] of Object.entries(tokens)) {
      const headers = { authorization: `Bearer ${token}` };
      const requests = [
        {
          method: 'POST' as const,
          url: `${api}/webhooks`,
          payload: { url: 'http://127.0.0.1:9/x', events: ['*'] },
        },
        { method: 'GET' as const, url: `${api}/webhooks` },
        { method: 'DELETE' as const, url: `${api}/webhooks/${created.id}` },
        { method: 'GET' as const, url: `${api}/webhooks/deliveries` },
        { method: 'GET' as const, url: `${api}/webhooks/${created.id}/deliveries` },
      ];
      for (const request of requests) {
        const res = await t.app.inject({ ...request, headers });
        expect(res.statusCode, `${who}: ${request.method} ${request.url}`).toBe(403);
        expectProblem(res, 403, 'forbidden', t);
        expect(res.body).not.toContain('whsec_');
      }
    }
    // Nothing changed, and each refusal is on the record.
    const list = await t.app.inject({ method: 'GET', url: `${api}/webhooks` });
    expect(list.json().map((e: { id: string }) => e.id)).toEqual([created.id]);
    const denials = await t.app.inject({ method: 'GET', url: `${api}/audit?action=webhook:delete` });
    expect(denials.json().items.filter((e: { outcome: string }) => e.outcome === 'denied')).toHaveLength(4);
    const created_ = await t.app.inject({ method: 'GET', url: `${api}/audit?action=webhook:create` });
    expect(created_.json().items).toContainEqual(
      expect.objectContaining({
        outcome: 'success',
        resource: `webhook:${created.id}`,
        details: { url: 'http://127.0.0.1:9/hook', events: 'version.pushed' },
      }),
    );
  });

  it('removes an endpoint once: its log stays readable, a second removal is 404', async () => {
    const created = await register(t, 'http://127.0.0.1:9/hook', ['*']);
    const removed = await t.app.inject({ method: 'DELETE', url: `${api}/webhooks/${created.id}` });
    expect(removed.statusCode, removed.body).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: `${api}/webhooks` })).json()).toEqual([]);
    const log = await t.app.inject({ method: 'GET', url: `${api}/webhooks/${created.id}/deliveries` });
    expect(log.statusCode).toBe(200);
    expectProblem(
      await t.app.inject({ method: 'DELETE', url: `${api}/webhooks/${created.id}` }),
      404,
      'webhook_not_found',
      t,
    );
    const unknown = '01900000-0000-7000-8000-000000000000';
    expectProblem(
      await t.app.inject({ method: 'DELETE', url: `${api}/webhooks/${unknown}` }),
      404,
      'webhook_not_found',
      t,
    );
    expectProblem(
      await t.app.inject({ method: 'GET', url: `${api}/webhooks/${unknown}/deliveries` }),
      404,
      'webhook_not_found',
      t,
    );
    expectProblem(
      await t.app.inject({ method: 'DELETE', url: `${api}/webhooks/not-an-id` }),
      400,
      'invalid_request',
      t,
    );
  });
});

describe('registration refuses bad input with 400 problem+json', () => {
  let t: TestApp;
  afterEach(async () => t?.close());

  const create = (payload: unknown) =>
    t.app.inject({ method: 'POST', url: `${api}/webhooks`, payload: payload as object });

  it('by default: loopback and private targets, by address or by name, and malformed URLs and events', async () => {
    t = await createTestApp();
    const cases: [unknown, string][] = [
      [{ url: 'http://127.0.0.1:8080/hook', events: ['*'] }, 'webhook_target_forbidden'],
      [{ url: 'http://localhost:8080/hook', events: ['*'] }, 'webhook_target_forbidden'],
      [{ url: 'http://[::1]/hook', events: ['*'] }, 'webhook_target_forbidden'],
      [{ url: 'http://[::ffff:10.0.0.1]/hook', events: ['*'] }, 'webhook_target_forbidden'],
      [{ url: 'http://169.254.169.254/latest/meta-data', events: ['*'] }, 'webhook_target_forbidden'],
      [{ url: 'http://192.168.1.10/hook', events: ['*'] }, 'webhook_target_forbidden'],
      [{ url: 'http://100.64.0.1/hook', events: ['*'] }, 'webhook_target_forbidden'],
      [{ url: 'not a url', events: ['*'] }, 'webhook_url_invalid'],
      [{ url: 'ftp://hooks.example.com/x', events: ['*'] }, 'webhook_url_invalid'],
      [{ url: 'https://user:secret@hooks.example.com/x', events: ['*'] }, 'webhook_url_invalid'],
      [{ url: 'https://8.8.8.8/x', events: ['version.pushed', 'model.exploded'] }, 'webhook_event_unknown'],
      [{ url: 'https://8.8.8.8/x', events: [' '] }, 'webhook_events_required'],
      [{ url: 'https://8.8.8.8/x', events: [] }, 'invalid_request'],
      [{ url: 'https://8.8.8.8/x' }, 'invalid_request'],
      [{ url: 'https://8.8.8.8/x', events: ['*'], secret: 'mine' }, 'invalid_request'],
    ];
    for (const [payload, code] of cases) {
      const body = expectProblem(await create(payload), 400, code, t);
      if (code === 'webhook_target_forbidden') expect(body.detail).toContain('webhooks.allowPrivateTargets');
    }
    expect((await t.app.inject({ method: 'GET', url: `${api}/webhooks` })).json()).toEqual([]);
  });

  it(`keeps at most ${maxEndpoints} endpoints`, async () => {
    t = await createTestApp({ settings: allowPrivate });
    for (let i = 0; i < maxEndpoints; i++) await register(t, `http://127.0.0.1:9/hook/${i}`, ['*']);
    expectProblem(
      await create({ url: 'http://127.0.0.1:9/one-more', events: ['*'] }),
      400,
      'webhook_limit_reached',
      t,
    );
  });
});
