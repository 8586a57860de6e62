import { defineError } from '../../platform/errors.js';

// Messages name files and key ids but never key material.

export const masterKeyMissing = defineError('master_key_missing', 'unavailable', (file: string) => ({
  message: `The master key file ${file} is missing, but encrypted blobs exist. Restore it from your backup (or set the master key in configuration); Warden does not start, because a new key would leave every stored blob unreadable.`,
  details: { file },
}));

export const masterKeyInvalid = defineError(
  'master_key_invalid',
  'unavailable',
  (source: string, reason: string) => ({
    message: `The master key from ${source} cannot be used: ${reason}.`,
    details: { source, reason },
  }),
);

export const masterKeyMismatch = defineError(
  'master_key_mismatch',
  'unavailable',
  (kekId: string, reason: 'unknown' | 'retired') => ({
    message:
      reason === 'unknown'
        ? `Stored data is wrapped by key-encryption key ${kekId}, which the configured master key(s) do not include: the wrong master key or keyring is in use.`
        : `Stored data is wrapped by key-encryption key ${kekId}, which has been retired; it can no longer be read.`,
    details: { kekId, reason },
  }),
);

export const wrappedKeyInvalid = defineError('wrapped_key_invalid', 'integrity', (kekId: string) => ({
  message: `A wrapped data key does not authenticate under key-encryption key ${kekId}: it was altered, or belongs to other data.`,
  details: { kekId },
}));

export const keyRotationUnsupported = defineError(
  'key_rotation_unsupported',
  'precondition_failed',
  (why: string) => ({ message: `Keys cannot be rotated or retired here: ${why}.` }),
);

export const kekNotFound = defineError('kek_not_found', 'not_found', (kekId: string) => ({
  message: `There is no key-encryption key ${JSON.stringify(kekId.slice(0, 40))}.`,
  details: { kekId: kekId.slice(0, 40) },
}));

export const kekInUse = defineError('kek_in_use', 'conflict', (kekId: string, why: string) => ({
  message: `Key-encryption key ${kekId} cannot be retired: ${why}.`,
  details: { kekId },
}));
