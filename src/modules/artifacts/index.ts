// Digest helpers live in manifest (the root digest needs them); re-exported for the byte stores.
export { assertSha256Digest, invalidDigest, isSha256Digest, sameDigest } from '../manifest/index.js';
export {
  blobDigestMismatch,
  blobIntegrity,
  blobNotFound,
  blobTooLarge,
} from './artifact-errors.js';
export type { BlobBookkeeping, CollectorUnitOfWork } from './blob-bookkeeping.port.js';
export { type BlobCollector, type CollectionResult, createBlobCollector } from './blob-collector.js';
export { blobKey, storedDigests } from './blob-objects.js';
export type { BlobStaging, BlobStat, BlobStore, StagedBlob, WriteOptions } from './blob-store.port.js';
export {
  createEncryptingBlobStore,
  hasEncryptedBlobs,
  readBlobHeader,
} from './encrypting-blob-store.js';
export { sealBlob } from './envelope-writer.js';
export {
  kekUsage,
  type RewrapFailure,
  type RewrapResult,
  type RotationDeps,
  retireKek,
  rewrapBlobs,
  rotateKeys,
} from './key-rotation.js';
export type {
  ObjectReader,
  ObjectStore,
  ObjectWriter,
  PendingArea,
  PendingObject,
} from './object-store.port.js';
export { createPlainBlobStore } from './plain-blob-store.js';
