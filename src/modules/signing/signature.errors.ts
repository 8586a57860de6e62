import { defineError } from '../../platform/errors.js';

export const signatureUntrusted = defineError('signature_untrusted', 'invalid', () => ({
  message:
    'The signature does not verify with the key of any trusted (non-revoked) signer; add the signer first, or sign with a trusted key.',
}));

export const signatureMismatch = defineError(
  'signature_mismatch',
  'invalid',
  (model: string, number: number, reason: string) => ({
    message: `The signature is valid but signs other content than ${model}@${number}: ${reason}.`,
    details: { model, version: number, reason },
  }),
);

export const signatureExists = defineError(
  'signature_exists',
  'conflict',
  (model: string, number: number, signer: string) => ({
    message: `${model}@${number} already carries a signature by "${signer}".`,
    details: { model, version: number, signer },
  }),
);

export const signerExists = defineError('signer_exists', 'conflict', (name: string) => ({
  message: `A signer named "${name}" already exists (revoked signers keep their name).`,
  details: { signer: name },
}));

export const signerKeyExists = defineError('signer_key_exists', 'conflict', (name: string) => ({
  message: `This public key is already trusted as signer "${name}".`,
  details: { signer: name },
}));

export const signerNotFound = defineError('signer_not_found', 'not_found', (name: string) => ({
  message: `No signer named "${name}".`,
  details: { signer: name },
}));

export const signerRevoked = defineError('signer_revoked', 'conflict', (name: string, at: string) => ({
  message: `Signer "${name}" was already revoked at ${at}.`,
  details: { signer: name, revokedAt: at },
}));
