// The manifest moved to modules/manifest; these stay re-exported for callers that read them from here.
export { collectModelFiles, compareOmsPaths, digestModel, rootDigest } from '../manifest/index.js';
export type {
  SignatureStore,
  SignerRecord,
  StoredSignatureStatus,
  VersionSignatureRecord,
} from '../signing/index.js';
export { type OnnxSignature, readOnnxSignature, type TensorSpec } from './formats/onnx-signature.js';
export { paramsLimits, paramsViolation } from './params-limits.js';
export type { IncomingFile, PushRequest, PushSource } from './push-request.js';
export * as registryErrors from './registry.errors.js';
export type { EventModel, RegistryEvent, RegistryEventType } from './registry.events.js';
export type { Page, RegistryStore, Stores, UnitOfWork } from './registry.ports.js';
export {
  createRegistryService,
  type RegistryService,
  type RegistryServiceDeps,
  sortFiles,
} from './registry.service.js';
export type * from './registry.types.js';
export type * from './registry.views.js';
export {
  aliasResource,
  eventModel,
  modelResource,
  type RegistryAccess,
  versionResource,
} from './registry-access.js';
export { describeRegistryEvent } from './registry-audit.js';
export type { DeletionResult } from './registry-deletion.js';
export type { PushLimits } from './registry-deps.js';
export {
  createRegistryPermissions,
  type RegistryPermissionDeps,
  type RegistryTarget,
} from './registry-permissions.js';
export { resolveVersion } from './resolve-version.js';
export { formatRef, parseVersionRef, splitModelRef } from './version-ref.js';
