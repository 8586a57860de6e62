import type { UnitOfWork } from '../../platform/unit-of-work.js';
import type { AuditStore } from '../audit/index.js';
import type { OutboxStore } from '../outbox/index.js';
import type { RegistryStore } from '../registry/index.js';
import type { AttestationRecord } from './attestation.types.js';

/** Persistence of attestations; every method runs on the transaction the store was built on. */
export interface AttestationStore {
  /** Stores one attestation with the document it attests (canonical JSON text). Never updated or deleted. */
  insert(record: AttestationRecord, document: string): Promise<void>;
  /** A version's attestations, oldest first, without their documents. */
  listForVersion(versionId: string): Promise<AttestationRecord[]>;
  /** One attestation of a version with its document, or null. */
  findWithDocument(
    versionId: string,
    id: string,
  ): Promise<{ record: AttestationRecord; document: string } | null>;
}

/**
 * The stores an attestation use case needs, each bound to the same transaction (or to the root connection
 * for reads): the version it attests (registry), the audit log, its own. The adapter's set is a superset.
 */
export interface AttestationStores {
  registry: RegistryStore;
  audit: AuditStore;
  outbox: OutboxStore;
  attestations: AttestationStore;
}

export type AttestationUnitOfWork = UnitOfWork<AttestationStores>;
