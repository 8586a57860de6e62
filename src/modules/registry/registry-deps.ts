import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';
import type { BlobStore } from '../artifacts/index.js';
import type { SignatureVerifier } from '../signing/index.js';
import type { Stores, UnitOfWork } from './registry.ports.js';
import type { RegistryAccess } from './registry-access.js';

export interface PushLimits {
  maxFileBytes: number;
  maxVersionBytes: number;
  maxFilesPerVersion: number;
}

/**
 * What the registry's use cases are built from. Its own file so that the use-case files (push, aliases,
 * deletion, signatures) and the service that assembles them never import each other.
 */
export interface RegistryServiceDeps {
  uow: UnitOfWork;
  /** Stores on the root connection, for reads that need no transaction. */
  read: Stores;
  blobs: BlobStore;
  clock: Clock;
  logger: Logger;
  limits: PushLimits;
  access: RegistryAccess;
  /** Checks signatures at push and attach, and re-checks them whenever a version is shown. */
  verifier: SignatureVerifier;
}
