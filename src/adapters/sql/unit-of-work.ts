import type { Kysely } from 'kysely';
import { createAttestationSqlStore } from './attestation.sql-store.js';
import { createAuditSqlStore } from './audit.sql-store.js';
import type { Database } from './database.js';
import type { SqlCapabilities } from './db.js';
import { createDeploySqlStore } from './deploy.sql-store.js';
import { createIdentitySqlStore } from './identity.sql-store.js';
import { createRegistrySqlStore } from './registry.sql-store.js';
import { createSignatureSqlStore } from './signature.sql-store.js';
import type { Stores, UnitOfWork } from './stores.js';

/** Builds every store on one executor (the root connection, or a transaction). */
export function createSqlStores(db: Kysely<Database>, capabilities: SqlCapabilities): Stores {
  return {
    registry: createRegistrySqlStore(db, capabilities),
    identity: createIdentitySqlStore(db),
    audit: createAuditSqlStore(db, capabilities),
    signatures: createSignatureSqlStore(db),
    deploy: createDeploySqlStore(db, capabilities),
    attestations: createAttestationSqlStore(db),
  };
}

export function createSqlUnitOfWork(db: Kysely<Database>, capabilities: SqlCapabilities): UnitOfWork {
  return {
    run: (work) => db.transaction().execute((trx) => work(createSqlStores(trx, capabilities))),
  };
}
