import { defineError } from '../../platform/errors.js';

export const blobNotFound = defineError('blob_not_found', 'not_found', (digest: string) => ({
  message: `Blob sha256:${digest} is not stored.`,
  details: { digest },
}));

// The message is shown to callers, so it names the digest only, never where the bytes live on disk.
export const blobIntegrity = defineError('blob_integrity', 'integrity', (digest: string) => ({
  message: `Stored bytes of blob sha256:${digest} no longer match their digest; the blob is not served.`,
  details: { digest },
}));

export const blobTooLarge = defineError('file_too_large', 'too_large', (limitBytes: number) => ({
  message: `The file is larger than the limit of ${limitBytes} bytes.`,
  details: { limitBytes },
}));

export const blobDigestMismatch = defineError(
  'digest_mismatch',
  'invalid',
  (expected: string, actual: string) => ({
    message: `The bytes received hash to sha256:${actual}, not to the declared sha256:${expected}.`,
    details: { expected, actual },
  }),
);
