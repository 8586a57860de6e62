import { randomBytes } from 'node:crypto';
import type { KeyProvider } from '../keys/index.js';
import type { WrappedSecret } from './webhook.types.js';

/** Standard Webhooks' prefix of a signing secret. */
export const secretPrefix = 'whsec_';
const secretBytes = 32;

/** What the wrapped secret is bound to: unwrapping it for another endpoint (or anything else) fails. */
const secretAad = (endpointId: string) => Buffer.from(`warden:webhook-secret:v1:${endpointId}`, 'utf8');

/** A new signing secret: `whsec_` and the base64 of 32 random bytes (what Standard Webhooks expects). */
export function generateSecret(): { secret: string; raw: Buffer } {
  const raw = randomBytes(secretBytes);
  return { secret: `${secretPrefix}${raw.toString('base64')}`, raw };
}

/** Enough of the secret to tell two apart (24 of its 256 bits), never enough to sign. */
export const secretHint = (secret: string) => `${secret.slice(0, secretPrefix.length + 4)}…`;

export async function wrapSecret(
  keys: Pick<KeyProvider, 'wrap'>,
  endpointId: string,
  raw: Buffer,
): Promise<WrappedSecret> {
  const { kekId, wrapped } = await keys.wrap(raw, secretAad(endpointId));
  return { kekId, wrapped: wrapped.toString('base64') };
}

/** The secret's raw bytes; throws (wrapped_key_invalid, master_key_mismatch) as unwrap does. */
export function unwrapSecretBytes(
  keys: Pick<KeyProvider, 'unwrap'>,
  endpointId: string,
  secret: WrappedSecret,
): Promise<Buffer> {
  return keys.unwrap(secret.kekId, Buffer.from(secret.wrapped, 'base64'), secretAad(endpointId));
}

/** The secret as the signing library takes it; throws (wrapped_key_invalid, master_key_mismatch) as unwrap does. */
export async function unwrapSecret(
  keys: Pick<KeyProvider, 'unwrap'>,
  endpointId: string,
  secret: WrappedSecret,
): Promise<string> {
  const raw = await unwrapSecretBytes(keys, endpointId, secret);
  const text = `${secretPrefix}${raw.toString('base64')}`;
  raw.fill(0);
  return text;
}
