import { defineError } from '../../platform/errors.js';

export const signatureMalformed = defineError('signature_malformed', 'invalid', (reason: string) => ({
  message: `The signature file is not a readable model-signing bundle: ${reason}.`,
  details: { reason },
}));

export const signatureNotFound = defineError('signature_not_found', 'not_found', (path: string) => ({
  message: `No signature file at ${JSON.stringify(path)}.`,
  details: { path },
}));

export const signingKeyInvalid = defineError('signing_key_invalid', 'invalid', (reason: string) => ({
  message: `Cannot use the key: ${reason}.`,
  details: { reason },
}));

export const signingKeyUnsupported = defineError('signing_key_unsupported', 'invalid', (what: string) => ({
  message: `Unsupported key ${what}: model signing uses ECDSA keys on P-256, P-384 or P-521.`,
  details: { key: what },
}));

export const signingKeyPassword = defineError('signing_key_password', 'invalid', () => ({
  message: 'The private key is encrypted and the password is missing or wrong.',
}));

export const serializationUnsupported = defineError(
  'signing_serialization_unsupported',
  'invalid',
  (what: string) => ({
    message: `Unsupported model-signing serialization: ${what}.`,
    details: { serialization: what },
  }),
);

export const keyFileExists = defineError('key_file_exists', 'conflict', (path: string) => ({
  message: `${JSON.stringify(path)} already exists; keygen never overwrites a key. Choose another --out.`,
  details: { path },
}));

export const modelVerificationFailed = defineError(
  'model_verification_failed',
  'integrity',
  (count: number, problems: { kind: string; path?: string; detail: string }[]) => ({
    message: `Verification failed with ${count} problem${count === 1 ? '' : 's'}.`,
    details: {
      problems,
      errors: problems.map((p) => ({ path: p.path ?? p.kind, message: `${p.kind}: ${p.detail}` })),
    },
  }),
);

export const modelChangedWhileHashing = defineError(
  'model_changed_while_hashing',
  'conflict',
  (path: string) => ({
    message: `${JSON.stringify(path)} changed size while it was being hashed; try again once the model is stable.`,
    details: { path },
  }),
);

export const keyFileNotFound = defineError('key_file_not_found', 'not_found', (path: string) => ({
  message: `No key file at ${JSON.stringify(path)}.`,
  details: { path },
}));
