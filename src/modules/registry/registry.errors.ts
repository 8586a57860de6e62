import { defineError } from '../../platform/errors.js';

export const modelNotFound = defineError('model_not_found', 'not_found', (name: string) => ({
  message: `Model "${name}" does not exist.`,
  details: { model: name },
}));
export const modelExists = defineError('model_exists', 'conflict', (name: string) => ({
  message: `A model named "${name}" already exists.`,
  details: { model: name },
}));
export const invalidName = defineError('invalid_name', 'invalid', (what: string, value: string) => ({
  message: `${what} ${JSON.stringify(value)} is not a valid name: use 1-63 lowercase letters, digits and single dashes, starting with a letter.`,
  details: { [what.toLowerCase()]: value },
}));
export const versionNotFound = defineError(
  'version_not_found',
  'not_found',
  (model: string, ref: string) => ({
    message: `Model "${model}" has no version ${ref}.`,
    details: { model, ref },
  }),
);
export const ambiguousDigest = defineError(
  'ambiguous_digest',
  'invalid',
  (model: string, prefix: string) => ({
    message: `Digest prefix ${prefix} matches more than one version of "${model}"; give more characters.`,
    details: { model, prefix },
  }),
);
export const invalidVersionRef = defineError('invalid_version_ref', 'invalid', (ref: string) => ({
  message: `"${ref}" is not a version reference: use a number (3), a digest (sha256:<hex>, at least 12 hex characters) or an alias name.`,
  details: { ref },
}));
export const versionExists = defineError(
  'version_exists',
  'conflict',
  (model: string, number: number, digest: string) => ({
    message: `Model "${model}" already has this content as version ${number} (sha256:${digest}).`,
    details: { model, version: number, digest: `sha256:${digest}` },
  }),
);
export const versionImmutable = defineError(
  'version_immutable',
  'conflict',
  (model: string, number: number) => ({
    message: `Version ${number} of "${model}" is published and can never change; push a new version instead.`,
    details: { model, version: number },
  }),
);
export const aliasNotFound = defineError('alias_not_found', 'not_found', (model: string, alias: string) => ({
  message: `Model "${model}" has no alias "${alias}".`,
  details: { model, alias },
}));
export const fileNotInVersion = defineError('file_not_in_version', 'not_found', (path: string) => ({
  message: `The version has no file ${JSON.stringify(path)}.`,
  details: { path },
}));
export const duplicateFilePath = defineError('duplicate_file_path', 'invalid', (path: string) => ({
  message: `File ${JSON.stringify(path)} appears twice in the upload.`,
  details: { path },
}));
export const tooManyFiles = defineError('too_many_files', 'too_large', (limit: number) => ({
  message: `A version may hold at most ${limit} files.`,
  details: { limit },
}));
export const versionTooLarge = defineError('version_too_large', 'too_large', (limit: number) => ({
  message: `A version may hold at most ${limit} bytes in all.`,
  details: { limit },
}));
export const emptyUpload = defineError('empty_upload', 'invalid', () => 'The upload carried no files.');
export const singleFileMismatch = defineError(
  'single_file_kind_mismatch',
  'invalid',
  (count: number) => `A version of kind "file" holds exactly one file; the upload carried ${count}.`,
);
export const rootDigestMismatch = defineError(
  'root_digest_mismatch',
  'invalid',
  (expected: string, actual: string) => ({
    message: `The uploaded files have root digest sha256:${actual}, not the sha256:${expected} the client computed; nothing was stored.`,
    details: { expected: `sha256:${expected}`, actual: `sha256:${actual}` },
  }),
);
export const parentNotFound = defineError('parent_version_not_found', 'invalid', (ref: string) => ({
  message: `Lineage names parent version ${ref}, which does not exist.`,
  details: { parent: ref },
}));
export const versionDeleted = defineError(
  'version_deleted',
  'gone',
  (model: string, number: number, deletion: { at: string; by: string }) => ({
    message: `Version ${number} of "${model}" was deleted (${deletion.at} by ${deletion.by}); its files were destroyed.`,
    details: { model, version: number, deletedAt: deletion.at, deletedBy: deletion.by },
  }),
);
export const contentDeleted = defineError(
  'content_deleted',
  'conflict',
  (model: string, number: number, digest: string) => ({
    message: `Model "${model}" held this content as version ${number}, which was deleted; deleted content is not accepted again in the same model (sha256:${digest}).`,
    details: { model, version: number, digest: `sha256:${digest}` },
  }),
);
export const versionAliased = defineError(
  'version_aliased',
  'conflict',
  (model: string, number: number, aliases: string[]) => ({
    message: `Version ${number} of "${model}" is the target of ${aliases.length === 1 ? 'alias' : 'aliases'} ${aliases.join(', ')}; move or remove ${aliases.length === 1 ? 'it' : 'them'} first.`,
    details: { model, version: number, aliases },
  }),
);
export const pushConflict = defineError('push_conflict', 'conflict', (model: string) => ({
  message: `A file of this push to "${model}" was destroyed by a version deletion that ran at the same time; nothing was published. Push again.`,
  details: { model },
}));
export const invalidReason = defineError('invalid_reason', 'invalid', (max: number) => ({
  message: `A reason is required: 1 to ${max} characters of text, without control characters.`,
  details: { max },
}));
export const invalidParams = defineError('invalid_params', 'invalid', (problem: string) => ({
  message: `The version's params ${problem}.`,
  details: { problem },
}));
