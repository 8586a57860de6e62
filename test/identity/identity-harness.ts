import type { Kysely } from 'kysely';
import type { Database } from '../../src/adapters/sql/database.js';
import { migrateToLatest, type SqlDatabase } from '../../src/adapters/sql/db.js';
import { createIdentitySqlStore } from '../../src/adapters/sql/identity.sql-store.js';
import {
  type CallContext,
  createIdentityService,
  type IdentityEvent,
  type IdentityStores,
  type IdentityUnitOfWork,
  type Principal,
} from '../../src/modules/identity/index.js';
import { AppError } from '../../src/platform/errors.js';
import { sqliteFactory, type TestDatabase, type TestDatabaseFactory } from '../fixtures/databases.js';

export const adminCaller: Principal = {
  id: 'user:alice',
  kind: 'user',
  name: 'alice',
  roles: ['admin'],
  teams: [],
  unscoped: true,
  via: { kind: 'oidc', issuer: 'https://idp.example', subject: 'alice', jti: null },
};

export const viewerCaller: Principal = {
  ...adminCaller,
  id: 'user:victor',
  name: 'victor',
  roles: ['viewer'],
};

/** A stand-in for the policy module: admins may do everything, nobody else anything. */
/** The callers above as the service receives them: with a request id and client address. */
export const adminContext: CallContext = {
  principal: adminCaller,
  requestId: 'req-admin',
  clientAddress: '127.0.0.1',
};
export const viewerContext: CallContext = {
  principal: viewerCaller,
  requestId: 'req-viewer',
  clientAddress: '127.0.0.1',
};

export async function adminsOnly(context: CallContext): Promise<void> {
  if (!context.principal.roles.includes('admin'))
    throw new AppError('forbidden_test', 'forbidden', 'Not allowed.');
}

export interface FixedClock {
  now(): Date;
  set(iso: string): void;
  advance(ms: number): void;
}

export function fixedClock(start = '2026-01-10T12:00:00.000Z'): FixedClock {
  let t = Date.parse(start);
  return {
    now: () => new Date(t),
    set: (iso) => {
      t = Date.parse(iso);
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

export interface IdentityHarness {
  t: TestDatabase;
  database: SqlDatabase;
  uow: IdentityUnitOfWork;
  read: IdentityStores;
  events: IdentityEvent[];
  clock: FixedClock;
  service: ReturnType<typeof createIdentityService<IdentityStores>>;
  close(): Promise<void>;
}

const storesOn = (db: Kysely<Database>): IdentityStores => ({ identity: createIdentitySqlStore(db) });

/** A migrated database with the identity service on it, a fixed clock and the audit events it recorded. */
export async function identityHarness(
  factory: TestDatabaseFactory = sqliteFactory(),
): Promise<IdentityHarness> {
  const t = await factory.create();
  const database = t.open();
  await migrateToLatest(database.db);
  const events: IdentityEvent[] = [];
  const clock = fixedClock();
  const uow: IdentityUnitOfWork = {
    run: (work) => database.db.transaction().execute((trx) => work(storesOn(trx))),
  };
  const read = storesOn(database.db);
  const service = createIdentityService({
    uow,
    read,
    clock,
    logger: { warn: () => undefined },
    access: {
      require: adminsOnly,
      record: async (_stores, _context, event) => {
        events.push(event);
      },
    },
  });
  return {
    t,
    database,
    uow,
    read,
    events,
    clock,
    service,
    close: async () => {
      await database.close();
      await t.cleanup();
    },
  };
}
