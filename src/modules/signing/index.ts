export { BUNDLE_MEDIA_TYPE, buildBundle, type KeyBundle, type ParsedBundle, parseBundle } from './bundle.js';
export { IN_TOTO_PAYLOAD_TYPE, pae } from './dsse.js';
export {
  type Curve,
  curves,
  type EcKey,
  loadPrivateKey,
  loadPublicKey,
  nodeCurveName,
  publicKeyHint,
  publicKeyPem,
} from './ec-keys.js';
export {
  type HashedModel,
  type HashModelOptions,
  hashModel,
  type Method,
  rootDigestOf,
} from './hash-model.js';
export { generateKeyPair, type KeyPairFiles } from './keygen.js';
export { defaultWorkers, type HashTask, hashRanges, type RangeDigest } from './parallel-hash.js';
export { readFileOr } from './read-file-or.js';
export { DEFAULT_SHARD_SIZE, fileShards, parseShardName, shardName } from './sharded-manifest.js';
export { type SignedModel, type SignModelInput, signModel } from './sign-model.js';
export {
  signatureExists,
  signatureMismatch,
  signatureUntrusted,
  signerExists,
  signerKeyExists,
  signerNotFound,
  signerRevoked,
} from './signature.errors.js';
export type * from './signature.types.js';
export { signatureStatuses } from './signature.types.js';
export { createSignatureVerifier, type Keyring, type SignatureVerifier } from './signature-verifier.js';
export {
  keyFileExists,
  keyFileNotFound,
  modelChangedWhileHashing,
  modelVerificationFailed,
  serializationUnsupported,
  signatureMalformed,
  signatureNotFound,
  signingKeyInvalid,
  signingKeyPassword,
  signingKeyUnsupported,
} from './signing-errors.js';
export {
  LEGACY_PREDICATE_TYPE,
  type ModelStatement,
  PREDICATE_TYPE,
  parseStatement,
  type Resource,
  type Serialization,
  STATEMENT_TYPE,
} from './statement.js';
export {
  problemKinds,
  type VerifyModelInput,
  type VerifyProblem,
  type VerifyResult,
  verifyModel,
} from './verify-model.js';
export {
  checkSignature,
  recheckSignature,
  type SignatureCheck,
  type SignedContent,
  signedBy,
} from './verify-signature.js';
