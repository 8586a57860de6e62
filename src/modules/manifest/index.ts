export {
  type CollectModelFilesOptions,
  collectModelFiles,
  GIT_IGNORE_PATHS,
  type ModelFile,
  type ModelFiles,
  SIGNATURE_FILE_NAME,
} from './collect-model-files.js';
export { assertSha256Digest, isSha256Digest, sameDigest } from './digest.js';
export {
  type DigestModelOptions,
  digestModel,
  type ModelDigest,
  type ModelResource,
} from './digest-model.js';
export { type FileDigest, sha256File } from './hash-file.js';
export { type HashFileHereOptions, hashFileHere } from './hash-file-here.js';
export {
  conflictingFilePaths,
  invalidDigest,
  invalidFilePath,
  modelEmpty,
  modelFileNameNotUtf8,
  modelPathNotFound,
  modelSpecialFile,
  modelSymlink,
} from './manifest-errors.js';
export { compareCodePoints, compareOmsPaths } from './path-order.js';
export {
  checkPath,
  checkPaths,
  createPathSet,
  type PathConflict,
  type PathRule,
  type PathSet,
  type PathSetRule,
  type PathViolation,
  pathKey,
} from './path-rules.js';
export { validateRelativePath, validateVersionPaths } from './relative-path.js';
export { type ResourceDigest, rootDigest, sortResources } from './root-digest.js';
