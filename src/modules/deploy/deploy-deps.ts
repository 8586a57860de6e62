import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';
import type { Access, GateEngine } from '../policy/index.js';
import type { SignatureVerifier } from '../signing/index.js';
import type { ChangeFeed } from './change-feed.js';
import type { DeployEvent } from './deploy.events.js';
import type { DeployStores, DeployUnitOfWork, ReadVulnerabilities } from './deploy.ports.js';
import type { DeployEnvironment } from './environment.js';

/** What the deploy module is built from; the container wires it. */
export interface DeployServiceDeps<S extends DeployStores = DeployStores> {
  uow: DeployUnitOfWork<S>;
  /** Stores on the root connection, for reads outside a change. */
  read: S;
  clock: Clock;
  logger: Logger;
  access: Access<DeployEvent>;
  gates: GateEngine;
  verifier: SignatureVerifier;
  /** The configured environments, by name. */
  environments: Readonly<Record<string, DeployEnvironment>>;
  vulnerabilities: ReadVulnerabilities<S>;
  feed: ChangeFeed;
  /** How often a waiting change-feed reader re-reads the revision (changes made by other replicas). */
  pollMs?: number;
}
