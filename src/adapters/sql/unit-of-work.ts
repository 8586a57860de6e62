import type { Kysely } from 'kysely';
import { createAttestationSqlStore } from './attestation.sql-store.js';
import { createAuditSqlStore } from './audit.sql-store.js';
import { createConsoleSessionSqlStore } from './console-session.sql-store.js';
import type { Database } from './database.js';
import type { SqlCapabilities } from './db.js';
import { createDeploySqlStore } from './deploy.sql-store.js';
import { createGuardPolicySqlStore } from './guard-policy.sql-store.js';
import { createIdentitySqlStore } from './identity.sql-store.js';
import { createMonitorAlertSqlStore } from './monitor-alert.sql-store.js';
import { createOutboxSqlStore, type OutboxSqlStoreOptions } from './outbox.sql-store.js';
import { createReferenceSqlStore } from './reference.sql-store.js';
import { createRegistrySqlStore } from './registry.sql-store.js';
import { createSignatureSqlStore } from './signature.sql-store.js';
import type { Stores, UnitOfWork } from './stores.js';
import { createWebhookSqlStore } from './webhook.sql-store.js';

/** Builds every store on one executor (the root connection, or a transaction). */
export function createSqlStores(
  db: Kysely<Database>,
  capabilities: SqlCapabilities,
  outbox: OutboxSqlStoreOptions = {},
): Stores {
  return {
    registry: createRegistrySqlStore(db, capabilities),
    identity: createIdentitySqlStore(db),
    consoleSessions: createConsoleSessionSqlStore(db),
    audit: createAuditSqlStore(db, capabilities),
    signatures: createSignatureSqlStore(db),
    deploy: createDeploySqlStore(db, capabilities),
    attestations: createAttestationSqlStore(db),
    outbox: createOutboxSqlStore(db, capabilities, outbox),
    webhooks: createWebhookSqlStore(db),
    guardPolicies: createGuardPolicySqlStore(db),
    references: createReferenceSqlStore(db),
    monitorAlerts: createMonitorAlertSqlStore(db, capabilities),
  };
}

export interface SqlUnitOfWorkOptions {
  /** Called after a transaction that appended to the outbox commits (the dispatcher's wake-up). */
  onOutboxCommit?: () => void;
}

export function createSqlUnitOfWork(
  db: Kysely<Database>,
  capabilities: SqlCapabilities,
  options: SqlUnitOfWorkOptions = {},
): UnitOfWork {
  return {
    async run(work) {
      let appended = false;
      const onAppend = () => {
        appended = true;
      };
      const result = await db
        .transaction()
        .execute((trx) => work(createSqlStores(trx, capabilities, { onAppend })));
      if (appended) options.onOutboxCommit?.();
      return result;
    },
  };
}
