import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPolicyEngine } from '../../src/adapters/cedar/index.js';
import { migrateToLatest, type SqlDatabase } from '../../src/adapters/sql/db.js';
import type { Stores } from '../../src/adapters/sql/stores.js';
import { createSqlStores, createSqlUnitOfWork } from '../../src/adapters/sql/unit-of-work.js';
import {
  type AuditEntry,
  type AuditTally,
  createAuditLog,
  createAuditRecorder,
  createAuditTally,
} from '../../src/modules/audit/index.js';
import {
  type Access,
  type AuditedAction,
  createAccess,
  createAccessGuard,
  createAuthorizer,
  type ResourceRef,
} from '../../src/modules/policy/index.js';
import type { CallContext } from '../../src/platform/call-context.js';
import type { UnitOfWork } from '../../src/platform/unit-of-work.js';
import { aModel } from '../contract/registry-records.js';
import { testSigner } from '../fixtures/audit-signer.js';
import { databaseFactories, type TestDatabase, type TestDatabaseFactory } from '../fixtures/databases.js';

// The access contract every module guards and records through: `require` against the real resource, then
// `record` on the change's own unit of work, so a change and its audit entry commit together or not at
// all; a denial is recorded alone (nothing else happens), and so is `recordAlone`'s event.
const backends = databaseFactories().map((f): [string, TestDatabaseFactory] => [f.name, f]);

/** A module's typed events, as a new module (deploy, gateway) would declare them. */
type TestEvent =
  | { type: 'model.created'; name: string; owner: string }
  | { type: 'model.read'; name: string; owner: string; leaked?: string }
  | { type: 'deployment.applied'; name: string; owner: string; version: number };

const describeTestEvent = (e: TestEvent): AuditedAction =>
  e.type === 'deployment.applied'
    ? {
        action: 'deploy:apply',
        resource: `deployment:production/${e.name}`,
        team: e.owner,
        details: { version: e.version },
        // What deploy's mapper does: the outside world hears of it, through the outbox.
        notify: {
          type: 'deployment.applied',
          data: { model: e.name, owner: e.owner, version: e.version, actor: 'spoofed' },
        },
      }
    : e.type === 'model.created'
      ? {
          action: 'registry:model:create',
          resource: `model:${e.name}`,
          team: e.owner,
          details: { owner: e.owner },
        }
      : {
          action: 'registry:artifact:read',
          resource: `model:${e.name}`,
          team: e.owner,
          // A detail key that names a secret: the audit log refuses the whole event.
          details: e.leaked === undefined ? { path: 'model.onnx' } : { apiToken: e.leaked },
        };

const contextOf = (roles: ('admin' | 'viewer')[], teams: string[]): CallContext => ({
  principal: {
    id: `token:${roles.join('-')}01`,
    kind: 'service',
    name: roles.join('-'),
    roles,
    teams,
    unscoped: teams.length === 0,
    via: { kind: 'token', tokenId: `${roles.join('-')}01` },
  },
  requestId: 'req-1',
  clientAddress: '192.0.2.7',
});
const admin = contextOf(['admin'], []);
const viewer = contextOf(['viewer'], ['vision']);
const modelResource = (name: string, owner: string): ResourceRef => ({
  type: 'Model',
  model: { name, owner, tags: [] },
});

describe.each(backends)('the access contract (%s)', (_name, factory) => {
  let t: TestDatabase;
  let database: SqlDatabase;
  let uow: UnitOfWork<Stores>;
  let read: Stores;
  let access: Access<TestEvent>;
  let tally: AuditTally;
  const entries = async (): Promise<AuditEntry[]> =>
    (await read.audit.list({ limit: 100, order: 'asc' })).items;

  beforeEach(async () => {
    t = await factory.create();
    database = t.open();
    await migrateToLatest(database.db);
    uow = createSqlUnitOfWork(database.db, database.capabilities);
    read = createSqlStores(database.db, database.capabilities);
    const log = createAuditLog({
      clock: { now: () => new Date('2026-03-01T00:00:00Z') },
      signer: testSigner(),
      origin: 'warden/audit',
      checkpointEvery: 100,
    });
    const { engine } = await loadPolicyEngine({ extraFiles: [] });
    let tick = Date.UTC(2026, 2, 1);
    tally = createAuditTally({
      record: createAuditRecorder({ uow, log }).record,
      now: () => {
        tick += 1000;
        return new Date(tick);
      },
    });
    const guard = createAccessGuard({
      authorizer: createAuthorizer({ engine }),
      log,
      uow,
      tallied: { actions: ['inference:invoke'], tally },
    });
    access = createAccess({ guard, log, uow, describe: describeTestEvent });
  });
  afterEach(async () => {
    await database.close();
    await t.cleanup();
  });

  it('records the event on the change’s transaction, with the caller’s actor fields', async () => {
    const model = aModel({ name: 'iris', owner: 'vision' });
    await access.require(admin, 'registry:model:create', modelResource('iris', 'vision'));
    await uow.run(async (stores) => {
      await stores.registry.insertModel(model);
      await access.record(stores, admin, { type: 'model.created', name: 'iris', owner: 'vision' });
    });
    expect(await read.registry.findModelByName('iris')).not.toBeNull();
    expect(await entries()).toMatchObject([
      {
        seq: 1,
        action: 'registry:model:create',
        outcome: 'success',
        principal: admin.principal.id,
        actorName: 'admin',
        credential: { kind: 'token', tokenId: 'admin01' },
        requestId: 'req-1',
        clientAddress: '192.0.2.7',
        resource: 'model:iris',
        team: 'vision',
        details: { owner: 'vision' },
      },
    ]);
  });

  it('a change that fails after recording leaves no event (and no change)', async () => {
    const model = aModel({ name: 'iris', owner: 'vision' });
    await expect(
      uow.run(async (stores) => {
        await stores.registry.insertModel(model);
        await access.record(stores, admin, { type: 'model.created', name: 'iris', owner: 'vision' });
        throw new Error('the change failed after its event was written');
      }),
    ).rejects.toThrow('the change failed');
    expect(await entries()).toEqual([]);
    expect((await read.audit.head())?.seq ?? 0).toBe(0);
    expect(await read.registry.findModelByName('iris')).toBeNull();
  });

  it('an event that cannot be recorded rolls the change back (fail closed)', async () => {
    const model = aModel({ name: 'iris', owner: 'vision' });
    await expect(
      uow.run(async (stores) => {
        await stores.registry.insertModel(model);
        await access.record(stores, admin, {
          type: 'model.read',
          name: 'iris',
          owner: 'vision',
          leaked: 'x',
        });
      }),
    ).rejects.toMatchObject({ code: 'audit_event_invalid' });
    expect(await read.registry.findModelByName('iris')).toBeNull();
    expect(await entries()).toEqual([]);
  });

  it('a denial is recorded alone and refused before the change runs', async () => {
    let ran = false;
    await expect(
      (async () => {
        await access.require(viewer, 'registry:model:create', modelResource('iris', 'vision'));
        ran = true;
      })(),
    ).rejects.toMatchObject({ code: 'forbidden' });
    expect(ran).toBe(false);
    expect(await entries()).toMatchObject([
      {
        seq: 1,
        action: 'registry:model:create',
        outcome: 'denied',
        principal: viewer.principal.id,
        actorName: 'viewer',
        credential: { kind: 'token', tokenId: 'viewer01' },
        resource: 'model:iris',
        team: 'vision',
        details: { policies: expect.any(String) },
      },
    ]);
    // `allows` decides the same way and records nothing.
    expect(access.allows(viewer, 'registry:model:create', modelResource('iris', 'vision'))).toBe(false);
    expect(await entries()).toHaveLength(1);
  });

  it('counts repeated denials of a tallied action: one entry per principal, action and resource per flush', async () => {
    const deployment = (name: string): ResourceRef => ({
      type: 'Deployment',
      model: { name, owner: 'nlp', tags: [] },
      environment: 'production',
    });
    for (let i = 0; i < 25; i++)
      await expect(access.require(viewer, 'inference:invoke', deployment('bert'))).rejects.toMatchObject({
        code: 'forbidden',
      });
    await expect(access.require(viewer, 'inference:invoke', deployment('gpt'))).rejects.toMatchObject({
      code: 'forbidden',
    });
    // Nothing is written per request; another action's denial still is, at once.
    expect(await entries()).toHaveLength(0);
    await expect(
      access.require(viewer, 'registry:model:create', modelResource('bert', 'nlp')),
    ).rejects.toMatchObject({ code: 'forbidden' });
    expect(await entries()).toHaveLength(1);
    await tally.flush();
    expect((await entries()).slice(1)).toMatchObject([
      {
        action: 'inference:invoke',
        outcome: 'denied',
        principal: viewer.principal.id,
        credential: { kind: 'token', tokenId: 'viewer01' },
        resource: 'deployment:production/bert',
        team: 'nlp',
        requestId: 'req-1',
        details: {
          policies: expect.any(String),
          count: 25,
          firstAt: '2026-03-01T00:00:01.000Z',
          lastAt: '2026-03-01T00:00:25.000Z',
        },
      },
      { resource: 'deployment:production/gpt', details: { count: 1 } },
    ]);
    await tally.flush();
    expect(await entries()).toHaveLength(3);
  });

  it('recordAlone writes an event that changes nothing else on a transaction of its own', async () => {
    await access.recordAlone(viewer, { type: 'model.read', name: 'iris', owner: 'vision' });
    expect(await entries()).toMatchObject([
      { seq: 1, action: 'registry:artifact:read', outcome: 'success', details: { path: 'model.onnx' } },
    ]);
    await expect(
      access.recordAlone(viewer, { type: 'model.read', name: 'iris', owner: 'vision', leaked: 'x' }),
    ).rejects.toMatchObject({ code: 'audit_event_invalid' });
    expect(await entries()).toHaveLength(1);
  });

  it('writes an event’s notice to the outbox on the same transaction, with the caller as its actor', async () => {
    const applied = { type: 'deployment.applied', name: 'iris', owner: 'vision', version: 3 } as const;
    await expect(
      uow.run(async (stores) => {
        await access.record(stores, admin, applied);
        throw new Error('the change failed after its event was written');
      }),
    ).rejects.toThrow('the change failed');
    expect(await read.outbox.undispatched(10)).toEqual([]);
    expect(await entries()).toEqual([]);

    await uow.run((stores) => access.record(stores, admin, applied));
    const [event] = await read.outbox.undispatched(10);
    expect(event).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/),
      type: 'deployment.applied',
      occurredAt: expect.any(String),
      data: { model: 'iris', owner: 'vision', version: 3, actor: { id: admin.principal.id, name: 'admin' } },
    });
    // The audit entry says nothing of the notice.
    expect((await entries())[0]).toMatchObject({ action: 'deploy:apply', details: { version: 3 } });
    expect((await entries())[0]).not.toHaveProperty('notify');

    // recordAlone too, on a transaction of its own; with no caller, the system is the actor.
    await access.recordAlone(null, applied);
    const events = await read.outbox.undispatched(10);
    expect(events).toHaveLength(2);
    expect(events[1]?.data.actor).toEqual({ id: 'system', name: null });
    // Events without a notice write nothing to the outbox.
    await uow.run((stores) =>
      access.record(stores, admin, { type: 'model.created', name: 'x', owner: 'vision' }),
    );
    expect(await read.outbox.undispatched(10)).toHaveLength(2);
  });

  it('with no caller (the first start) the system is the actor, with no credential', async () => {
    await uow.run((stores) =>
      access.record(stores, null, { type: 'model.created', name: 'iris', owner: 'vision' }),
    );
    const [entry] = await entries();
    expect(entry).toMatchObject({ principal: 'system', requestId: null, clientAddress: null });
    expect(entry).not.toHaveProperty('credential');
    expect(entry).not.toHaveProperty('actorName');
  });
});
