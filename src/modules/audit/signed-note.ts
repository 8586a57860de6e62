import { createHash, createPublicKey, type KeyObject, verify } from 'node:crypto';
import { auditVkeyInvalid } from './audit.errors.js';

/**
 * C2SP signed notes (https://c2sp.org/signed-note) with Ed25519 keys: a UTF-8 text ending in a newline, a
 * blank line, then one line per signature, `— <key name> <base64(key id ‖ signature)>`. The key id is the
 * first 4 bytes of SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key), and a verifier key is written
 * `<name>+<hex key id>+<base64(0x01 ‖ public key)>`, the same strings Go's golang.org/x/mod/sumdb/note reads.
 */

/** Signs with a key the caller holds; `vkey` names the matching public key. */
export interface NoteSigner {
  vkey: string;
  sign(message: Buffer): Buffer;
}

export interface NoteVerifier {
  name: string;
  keyId: Buffer;
  vkey: string;
  publicKey: KeyObject;
}

export type OpenedNote =
  | { ok: true; text: string; signedBy: string }
  | { ok: false; reason: 'malformed' | 'unknown_key' | 'bad_signature'; message: string };

const ED25519 = 0x01;
const DASH = '\u2014';
// Names are free of whitespace and '+'; the signed-note spec allows any other non-space Unicode.
const KEY_NAME = /^[^\s+]+$/u;
const SIG_LINE = /^\u2014 (\S+) ([A-Za-z0-9+/]+={0,2})$/u;
// Newlines are the only control characters a note may hold.
const hasControl = (text: string): boolean => {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x0a) || c === 0x7f) return true;
  }
  return false;
};

/** The id of an Ed25519 verifier key: the first 4 bytes of SHA-256(name ‖ "\n" ‖ 0x01 ‖ key). */
export function noteKeyId(name: string, rawPublicKey: Buffer): Buffer {
  return createHash('sha256')
    .update(`${name}\n`, 'utf8')
    .update(Buffer.from([ED25519]))
    .update(rawPublicKey)
    .digest()
    .subarray(0, 4);
}

/** Writes the verifier key string of a 32-byte Ed25519 public key. */
export function formatVerifierKey(name: string, rawPublicKey: Buffer): string {
  if (!KEY_NAME.test(name)) throw auditVkeyInvalid('the key name is empty or has a space or "+"');
  if (rawPublicKey.length !== 32) throw auditVkeyInvalid('an Ed25519 public key is 32 bytes');
  const key = Buffer.concat([Buffer.from([ED25519]), rawPublicKey]).toString('base64');
  return `${name}+${noteKeyId(name, rawPublicKey).toString('hex')}+${key}`;
}

/** Reads a verifier key string; throws audit_vkey_invalid when it is malformed or its id is wrong. */
export function parseVerifierKey(vkey: string): NoteVerifier {
  const parts = vkey.trim().split('+');
  // base64 itself may contain '+', so the name and id are the first two fields and the key is the rest.
  const [name, idHex, ...rest] = parts;
  const keyB64 = rest.join('+');
  if (!name || !KEY_NAME.test(name)) throw auditVkeyInvalid('the key name is missing or malformed');
  if (!idHex || !/^[0-9a-f]{8}$/.test(idHex)) throw auditVkeyInvalid('the key id is not 8 hex digits');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(keyB64)) throw auditVkeyInvalid('the key is not base64');
  const key = Buffer.from(keyB64, 'base64');
  if (key.length !== 33 || key[0] !== ED25519) throw auditVkeyInvalid('not an Ed25519 key');
  const raw = key.subarray(1);
  const keyId = noteKeyId(name, raw);
  if (keyId.toString('hex') !== idHex) throw auditVkeyInvalid('the key id does not match the key');
  const publicKey = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
    format: 'jwk',
  });
  return { name, keyId, vkey: `${name}+${idHex}+${keyB64}`, publicKey };
}

/** Signs `text` (which must end in a newline) and returns the whole note. */
export function signNote(text: string, signer: NoteSigner): string {
  if (!text.endsWith('\n') || text.includes('\n\n') || hasControl(text))
    throw new TypeError('note text must end in one newline, hold no blank line and no control character');
  const { name, keyId } = parseVerifierKey(signer.vkey);
  const signature = signer.sign(Buffer.from(text, 'utf8'));
  return `${text}\n${DASH} ${name} ${Buffer.concat([keyId, signature]).toString('base64')}\n`;
}

/**
 * Checks a note against the keys the caller trusts. Signatures by other keys are ignored, as the spec
 * says; the note is good when at least one trusted key signed it and no trusted key's signature fails.
 */
export function openNote(note: string, verifiers: NoteVerifier[]): OpenedNote {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n'))
    return { ok: false, reason: 'malformed', message: 'no signature block' };
  const text = note.slice(0, split + 1);
  if (hasControl(note)) return { ok: false, reason: 'malformed', message: 'control characters' };
  const lines = note.slice(split + 2, -1).split('\n');
  let signedBy: string | null = null;
  for (const line of lines) {
    const m = SIG_LINE.exec(line);
    if (!m) return { ok: false, reason: 'malformed', message: 'a signature line is malformed' };
    const [, name, b64] = m as unknown as [string, string, string];
    const blob = Buffer.from(b64, 'base64');
    if (blob.length < 5) return { ok: false, reason: 'malformed', message: 'a signature is too short' };
    const id = blob.subarray(0, 4);
    const verifier = verifiers.find((v) => v.name === name && v.keyId.equals(id));
    if (!verifier) continue;
    if (!verify(null, Buffer.from(text, 'utf8'), verifier.publicKey, blob.subarray(4)))
      return { ok: false, reason: 'bad_signature', message: `the signature by ${verifier.vkey} is invalid` };
    signedBy ??= verifier.vkey;
  }
  if (!signedBy) return { ok: false, reason: 'unknown_key', message: 'no signature by a trusted key' };
  return { ok: true, text, signedBy };
}
