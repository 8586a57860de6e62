import path from 'node:path';
import { createDatasetSpool } from './adapters/datasets/dataset-spool.js';
import { createOnnxReferenceScorer } from './adapters/onnx/reference-scorer.js';
import type { Stores, UnitOfWork } from './adapters/sql/stores.js';
import type { Config } from './config/index.js';
import { type BlobStore, createBlobCollector } from './modules/artifacts/index.js';
import { createReferenceService, describeReferenceEvent } from './modules/monitor/index.js';
import type { Access, DescribeEvent } from './modules/policy/index.js';
import type { RegistryService } from './modules/registry/index.js';
import type { Clock } from './platform/clock.js';
import type { Logger } from './platform/logger.js';

/**
 * Reference datasets (monitoring's baselines): uploads wait in a private spool under the data directory
 * (emptied at start), then go to the blob store beside version files; the collector gives back a dataset's
 * blob once no live version's reference or file names it.
 */
export async function composeReference(deps: {
  config: Readonly<Config>;
  logger: Logger;
  uow: UnitOfWork;
  read: Stores;
  blobs: BlobStore;
  clock: Clock;
  accessFor: <E>(describe: DescribeEvent<E>) => Access<E>;
  /** The versions' verified files: the model a reference without its answers is scored with. */
  registry: Pick<RegistryService, 'readVerifiedFiles'>;
  /** A gateway process leaves the spool's clean-up to the server. */
  role: 'server' | 'gateway';
}) {
  const spool = createDatasetSpool({ dir: path.join(deps.config.dataDir, 'spool', 'references') });
  if (deps.role !== 'gateway') await spool.sweep();
  return createReferenceService({
    uow: deps.uow,
    read: deps.read,
    blobs: deps.blobs,
    collector: createBlobCollector({ uow: deps.uow, blobs: deps.blobs, logger: deps.logger }),
    spool,
    clock: deps.clock,
    logger: deps.logger,
    access: deps.accessFor(describeReferenceEvent),
    limits: deps.config.monitor.reference,
    scorer: createOnnxReferenceScorer({ files: (version) => deps.registry.readVerifiedFiles(version) }),
  });
}
