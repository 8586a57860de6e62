import type { AttestationStore } from '../../modules/attestations/index.js';
import type { AuditStore } from '../../modules/audit/index.js';
import type { DeployStore } from '../../modules/deploy/index.js';
import type { GuardPolicyStore } from '../../modules/gateway/index.js';
import type { ConsoleSessionStore, IdentityStore } from '../../modules/identity/index.js';
import type { MonitorAlertStore, ReferenceStore } from '../../modules/monitor/index.js';
import type { OutboxStore } from '../../modules/outbox/index.js';
import type { RegistryStore } from '../../modules/registry/registry.ports.js';
import type { SignatureStore } from '../../modules/signing/signature.types.js';
import type { WebhookStore } from '../../modules/webhooks/index.js';
import type { UnitOfWork as UnitOfWorkOf } from '../../platform/unit-of-work.js';

/**
 * Every module's store, each bound to the same transaction (or to the root connection for reads): the
 * union of the store sets the modules declare (registry's Stores, IdentityStores, AttestationStores,
 * policy's AccessStores, WebhookStores, DeployStores, the gateway's GuardPolicyStores), built by this adapter.
 */
export interface Stores {
  registry: RegistryStore;
  identity: IdentityStore;
  consoleSessions: ConsoleSessionStore;
  audit: AuditStore;
  signatures: SignatureStore;
  deploy: DeployStore;
  attestations: AttestationStore;
  outbox: OutboxStore;
  webhooks: WebhookStore;
  guardPolicies: GuardPolicyStore;
  references: ReferenceStore;
  monitorAlerts: MonitorAlertStore;
}

/** Runs a use case on one transaction: the stores it is given are bound to it; a throw rolls back. */
export type UnitOfWork = UnitOfWorkOf<Stores>;
