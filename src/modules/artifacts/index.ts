export { assertSha256Digest, isSha256Digest, sameDigest } from '../manifest/digest.js';
export {
  blobDigestMismatch,
  blobIntegrity,
  blobNotFound,
  blobTooLarge,
  invalidDigest,
} from './artifact-errors.js';
export type { BlobStaging, BlobStat, BlobStore, StagedBlob, WriteOptions } from './blob-store.port.js';
