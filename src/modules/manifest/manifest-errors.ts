import { defineError } from '../../platform/errors.js';

/** JSON-escapes a path for a message (a NUL shows as \u0000) and shortens very long ones. */
export function quotePath(path: string, max = 300): string {
  return JSON.stringify(path.length > max ? `${path.slice(0, max)}…` : path);
}

export const modelPathNotFound = defineError('model_path_not_found', 'not_found', (path: string) => ({
  message: `No model file or directory at ${quotePath(path)}.`,
  details: { path },
}));

export const modelSymlink = defineError('model_symlink', 'invalid', (path: string) => ({
  message: `${quotePath(path)} is a symbolic link; models must contain only regular files and directories.`,
  details: { path },
}));

export const modelSpecialFile = defineError('model_special_file', 'invalid', (path: string) => ({
  message: `${quotePath(path)} is not a regular file or directory (a pipe, socket or device).`,
  details: { path },
}));

export const modelEmpty = defineError('model_empty', 'invalid', (path: string) => ({
  message: `The model at ${quotePath(path)} contains no files after applying the ignore paths.`,
  details: { path },
}));

export const modelFileNameNotUtf8 = defineError('model_file_name_not_utf8', 'invalid', (path: string) => ({
  message: `A file name in ${quotePath(path)} is not valid UTF-8, so it cannot be named in a manifest.`,
  details: { path },
}));

/** A path that breaks one of the path rules (path-rules.ts); `rule` is the stable id of the rule. */
export const invalidFilePath = defineError(
  'invalid_file_path',
  'invalid',
  (reason: string, path: string, rule?: string) => ({
    message: `Invalid file path ${quotePath(path)}: ${reason}${rule ? ` (rule: ${rule})` : ''}.`,
    details: { reason, path: path.length > 300 ? `${path.slice(0, 300)}…` : path, ...(rule ? { rule } : {}) },
  }),
);

/** Two paths of one version that cannot both exist on a user's disk. */
export const conflictingFilePaths = defineError(
  'conflicting_file_paths',
  'invalid',
  (rule: string, reason: string, path: string, other: string) => ({
    message: `File paths ${quotePath(other)} and ${quotePath(path)} ${reason} (rule: ${rule}).`,
    details: { rule, reason, path, other },
  }),
);

/** Shortens caller-supplied text before it goes into a message, JSON-escaped so control characters show. */
function quote(value: string, max = 100): string {
  return JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);
}

export const invalidDigest = defineError('invalid_digest', 'invalid', (value: string) => ({
  message: `${quote(value)} is not a SHA-256 digest (64 lowercase hex characters).`,
}));
