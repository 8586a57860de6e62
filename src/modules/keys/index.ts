export {
  kekInUse,
  kekNotFound,
  keyRotationUnsupported,
  masterKeyInvalid,
  masterKeyMismatch,
  masterKeyMissing,
  wrappedKeyInvalid,
} from './key-errors.js';
export type { KekInfo, KeyProvider } from './key-provider.port.js';
