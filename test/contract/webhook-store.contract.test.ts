import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, type SqlDatabase } from '../../src/adapters/sql/db.js';
import type { Stores } from '../../src/adapters/sql/stores.js';
import { createSqlStores, createSqlUnitOfWork } from '../../src/adapters/sql/unit-of-work.js';
import type { OutboxEvent } from '../../src/modules/outbox/index.js';
import type { DeliveryRecord, EndpointRecord } from '../../src/modules/webhooks/index.js';
import { newId } from '../../src/platform/ids.js';
import type { UnitOfWork } from '../../src/platform/unit-of-work.js';
import { databaseFactories, type TestDatabase, type TestDatabaseFactory } from '../fixtures/databases.js';

// The outbox and webhook stores on every backend: what the dispatcher's guarantees rest on (one delivery
// per event and endpoint, one claimant per lease, attempts recorded only by the lease holder).
const backends = databaseFactories().map((f): [string, TestDatabaseFactory] => [f.name, f]);

const at = (seconds: number) => new Date(Date.UTC(2026, 2, 1, 0, 0, seconds)).toISOString();

const anEvent = (overrides: Partial<OutboxEvent> = {}): OutboxEvent => ({
  id: newId(),
  type: 'version.pushed',
  occurredAt: at(0),
  data: { model: 'iris', version: 1, nested: { ok: true } },
  ...overrides,
});

const anEndpoint = (overrides: Partial<EndpointRecord> = {}): EndpointRecord => ({
  id: newId(),
  url: 'https://hooks.example.com/warden',
  events: ['version.pushed'],
  description: null,
  secret: { kekId: 'kek1', wrapped: 'd3JhcHBlZA==' },
  secretHint: 'whsec_abcd…',
  createdBy: 'token:admin',
  createdByName: 'admin',
  createdAt: at(0),
  removedAt: null,
  removedBy: null,
  ...overrides,
});

const aDelivery = (event: OutboxEvent, endpoint: EndpointRecord, overrides: Partial<DeliveryRecord> = {}) =>
  ({
    id: newId(),
    eventId: event.id,
    endpointId: endpoint.id,
    eventType: event.type,
    state: 'pending',
    attempts: 0,
    nextAttemptAt: at(1),
    lastStatus: null,
    lastError: null,
    lastDurationMs: null,
    createdAt: at(1),
    updatedAt: at(1),
    finishedAt: null,
    ...overrides,
  }) satisfies DeliveryRecord;

describe.each(backends)('outbox and webhook stores (%s)', (_name, factory) => {
  let t: TestDatabase;
  let database: SqlDatabase;
  let read: Stores;
  let uow: UnitOfWork<Stores>;

  beforeEach(async () => {
    t = await factory.create();
    database = t.open();
    await migrateToLatest(database.db);
    read = createSqlStores(database.db, database.capabilities);
    uow = createSqlUnitOfWork(database.db, database.capabilities);
  });
  afterEach(async () => {
    await database.close();
    await t.cleanup();
  });

  /** An endpoint, an event and its delivery, stored. */
  async function seeded(delivery: Partial<DeliveryRecord> = {}) {
    const endpoint = anEndpoint();
    const event = anEvent();
    await read.webhooks.insertEndpoint(endpoint);
    await read.outbox.append(event);
    const d = aDelivery(event, endpoint, delivery);
    await read.webhooks.insertDeliveries([d]);
    return { endpoint, event, delivery: d };
  }

  it('keeps outbox events in order until they are marked dispatched, data as it was', async () => {
    const first = anEvent();
    const second = anEvent({ type: 'deployment.applied', data: { environment: 'production' } });
    await read.outbox.append(first);
    await read.outbox.append(second);
    expect(await read.outbox.undispatched(10)).toEqual([first, second]);
    expect(await read.outbox.undispatched(1)).toEqual([first]);
    await read.outbox.markDispatched([first.id], at(5));
    expect(await read.outbox.undispatched(10)).toEqual([second]);
    expect(await read.outbox.find([first.id, second.id, newId()])).toHaveLength(2);
  });

  it('an append on a transaction that rolls back leaves no event, and the commit hook does not fire', async () => {
    let commits = 0;
    const hooked = createSqlUnitOfWork(database.db, database.capabilities, {
      onOutboxCommit: () => commits++,
    });
    await expect(
      hooked.run(async (stores) => {
        await stores.outbox.append(anEvent());
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await read.outbox.undispatched(10)).toEqual([]);
    expect(commits).toBe(0);
    await hooked.run((stores) => stores.outbox.append(anEvent()));
    expect(commits).toBe(1);
    await hooked.run((stores) => stores.webhooks.countEndpoints());
    expect(commits).toBe(1);
  });

  it('hands concurrent fan-out transactions different events where rows lock (SKIP LOCKED)', async () => {
    if (!database.capabilities.rowLocks) return;
    const events = [anEvent(), anEvent(), anEvent()];
    for (const e of events) await read.outbox.append(e);
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let lockedFirst: OutboxEvent[] = [];
    const first = uow.run(async (stores) => {
      lockedFirst = await stores.outbox.undispatched(2);
      await held;
    });
    while (lockedFirst.length === 0) await new Promise((r) => setTimeout(r, 10));
    const second = await uow.run((stores) => stores.outbox.undispatched(10));
    release();
    await first;
    expect(lockedFirst.map((e) => e.id)).toEqual([events[0]?.id, events[1]?.id]);
    expect(second.map((e) => e.id)).toEqual([events[2]?.id]);
  });

  it('stores endpoints, lists live ones, and destroys the wrapped secret on removal', async () => {
    const a = anEndpoint({ events: ['*'], description: 'chat' });
    const b = anEndpoint({ createdAt: at(1) });
    await read.webhooks.insertEndpoint(a);
    await read.webhooks.insertEndpoint(b);
    expect(await read.webhooks.findEndpoint(a.id)).toEqual(a);
    expect(await read.webhooks.listEndpoints()).toEqual([a, b]);
    expect(await read.webhooks.countEndpoints()).toBe(2);
    // A re-wrap replaces the secret only if it is still the one read.
    const rewrapped = { kekId: 'kek2', wrapped: 'bmV3' };
    expect(await read.webhooks.replaceSecret(b.id, rewrapped, rewrapped)).toBe(false);
    expect(await read.webhooks.replaceSecret(b.id, b.secret ?? rewrapped, rewrapped)).toBe(true);
    expect((await read.webhooks.findEndpoint(b.id))?.secret).toEqual(rewrapped);
    b.secret = rewrapped;
    expect(await read.webhooks.removeEndpoint(a.id, at(9), 'token:admin')).toBe(true);
    expect(await read.webhooks.removeEndpoint(a.id, at(10), 'token:admin')).toBe(false);
    expect(await read.webhooks.findEndpoint(a.id)).toEqual({
      ...a,
      secret: null,
      removedAt: at(9),
      removedBy: 'token:admin',
    });
    expect(await read.webhooks.listEndpoints()).toEqual([b]);
    expect(await read.webhooks.countEndpoints()).toBe(1);
    expect(await read.webhooks.replaceSecret(a.id, rewrapped, rewrapped)).toBe(false);
  });

  it('makes one delivery per event and endpoint: a second fan-out of the same pair is skipped', async () => {
    const { endpoint, event, delivery } = await seeded();
    await read.webhooks.insertDeliveries([aDelivery(event, endpoint)]);
    const page = await read.webhooks.listDeliveries({ limit: 10 });
    expect(page.items).toEqual([delivery]);
  });

  it('lets exactly one of two concurrent claimants take a due delivery', async () => {
    const { delivery } = await seeded();
    const lease = (owner: string) => ({ owner, until: at(100), now: at(2), attempts: 0 });
    const results = await Promise.all([
      read.webhooks.claimDelivery(delivery.id, lease('a')),
      read.webhooks.claimDelivery(delivery.id, lease('b')),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    // Leased: not due for anyone else until the lease runs out.
    expect(await read.webhooks.dueDeliveries(at(50), 10)).toEqual([]);
    expect(await read.webhooks.claimDelivery(delivery.id, lease('c'))).toBe(false);
    // A dispatcher that died holding it: once the lease is past, another takes it over.
    expect(await read.webhooks.dueDeliveries(at(101), 10)).toHaveLength(1);
    expect(
      await read.webhooks.claimDelivery(delivery.id, {
        owner: 'c',
        until: at(200),
        now: at(101),
        attempts: 0,
      }),
    ).toBe(true);
  });

  it('does not claim a delivery that is not due, is final, or has moved on since it was read', async () => {
    const { delivery } = await seeded({ nextAttemptAt: at(30) });
    expect(await read.webhooks.dueDeliveries(at(29), 10)).toEqual([]);
    expect(
      await read.webhooks.claimDelivery(delivery.id, { owner: 'a', until: at(99), now: at(29), attempts: 0 }),
    ).toBe(false);
    expect(
      await read.webhooks.claimDelivery(delivery.id, { owner: 'a', until: at(99), now: at(31), attempts: 1 }),
    ).toBe(false);
    const { delivery: done } = await seeded({ state: 'delivered', nextAttemptAt: null });
    expect(
      await read.webhooks.claimDelivery(done.id, { owner: 'a', until: at(99), now: at(31), attempts: 0 }),
    ).toBe(false);
  });

  it('records an attempt only for the lease holder, then frees the lease', async () => {
    const { delivery } = await seeded();
    await read.webhooks.claimDelivery(delivery.id, { owner: 'a', until: at(100), now: at(2), attempts: 0 });
    const finish = (owner: string) => ({
      owner,
      attempt: {
        deliveryId: delivery.id,
        attempt: 1,
        startedAt: at(3),
        durationMs: 12,
        status: 500,
        error: null,
      },
      state: 'pending' as const,
      nextAttemptAt: at(10),
      at: at(3),
    });
    expect(await read.webhooks.finishAttempt(delivery.id, finish('b'))).toBe(false);
    expect(await read.webhooks.listAttempts([delivery.id])).toEqual([]);
    expect(await uow.run((s) => s.webhooks.finishAttempt(delivery.id, finish('a')))).toBe(true);
    const [after] = (await read.webhooks.listDeliveries({ limit: 1 })).items;
    expect(after).toMatchObject({
      state: 'pending',
      attempts: 1,
      lastStatus: 500,
      lastDurationMs: 12,
      nextAttemptAt: at(10),
      finishedAt: null,
    });
    expect(await read.webhooks.listAttempts([delivery.id])).toEqual([finish('a').attempt]);
    // The lease is free again: due at 10 for anyone.
    expect(await read.webhooks.dueDeliveries(at(10), 10)).toHaveLength(1);
    // The same lease cannot record attempt 1 twice.
    expect(await read.webhooks.finishAttempt(delivery.id, finish('a'))).toBe(false);
  });

  it('gives a lease back without an attempt, and cancels pending deliveries of a removed endpoint', async () => {
    const { endpoint, delivery } = await seeded();
    await read.webhooks.claimDelivery(delivery.id, { owner: 'a', until: at(100), now: at(2), attempts: 0 });
    await read.webhooks.releaseLease(delivery.id, 'b');
    expect(await read.webhooks.dueDeliveries(at(3), 10)).toEqual([]);
    await read.webhooks.releaseLease(delivery.id, 'a');
    expect(await read.webhooks.dueDeliveries(at(3), 10)).toHaveLength(1);
    expect(await read.webhooks.cancelPending(endpoint.id, at(4))).toBe(1);
    const [cancelled] = (await read.webhooks.listDeliveries({ endpointId: endpoint.id, limit: 5 })).items;
    expect(cancelled).toMatchObject({ state: 'cancelled', lastError: 'endpoint_removed', finishedAt: at(4) });
    expect(await read.webhooks.dueDeliveries(at(5), 10)).toEqual([]);
  });

  it('pages the delivery log newest first, per endpoint or for all', async () => {
    const e1 = anEndpoint();
    const e2 = anEndpoint();
    await read.webhooks.insertEndpoint(e1);
    await read.webhooks.insertEndpoint(e2);
    const made: DeliveryRecord[] = [];
    for (let i = 0; i < 3; i++) {
      const event = anEvent();
      await read.outbox.append(event);
      made.push(aDelivery(event, e1), aDelivery(event, e2));
    }
    await read.webhooks.insertDeliveries(made);
    const first = await read.webhooks.listDeliveries({ endpointId: e1.id, limit: 2 });
    const e1Ids = made.filter((d) => d.endpointId === e1.id).map((d) => d.id);
    expect(first.items.map((d) => d.id)).toEqual([e1Ids[2], e1Ids[1]]);
    expect(first.next).toBe(e1Ids[1]);
    const second = await read.webhooks.listDeliveries({
      endpointId: e1.id,
      limit: 2,
      after: first.next ?? undefined,
    });
    expect(second).toEqual({ items: [expect.objectContaining({ id: e1Ids[0] })], next: null });
    expect((await read.webhooks.listDeliveries({ limit: 10 })).items).toHaveLength(6);
  });
});
