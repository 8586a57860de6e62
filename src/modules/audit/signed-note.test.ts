import { createPrivateKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import {
  formatVerifierKey,
  type NoteSigner,
  noteKeyId,
  openNote,
  parseVerifierKey,
  signNote,
} from './signed-note.js';

// The example of golang.org/x/mod/sumdb/note (and of the C2SP signed-note spec): another implementation's
// keys and signature, so this one is checked against more than itself.
const peterVkey = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const peterSkey = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const peterText =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const peterNote = `${peterText}\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;
const specVkey = 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k';
const specNote =
  'This is an example message.\n\n\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';

/** The Go private key string holds 0x01 ‖ the 32-byte Ed25519 seed. */
function goSigner(skey: string, vkey: string): NoteSigner {
  const seed = Buffer.from(skey.split('+').slice(4).join('+'), 'base64').subarray(1);
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  const key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  return { vkey, sign: (m) => sign(null, m, key) };
}

function freshSigner(name = 'warden-audit'): NoteSigner & { privateKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url');
  return { privateKey, vkey: formatVerifierKey(name, raw), sign: (m) => sign(null, m, privateKey) };
}

describe('signed notes', () => {
  it('reads the Go and spec verifier keys, key ids included', () => {
    const peter = parseVerifierKey(peterVkey);
    expect(peter.name).toBe('PeterNeumann');
    expect(peter.keyId.toString('hex')).toBe('c74f20a3');
    expect(peter.vkey).toBe(peterVkey);
    expect(parseVerifierKey(specVkey).keyId.toString('hex')).toBe('530d903a');
  });

  it('signs exactly as the Go implementation does', () => {
    expect(signNote(peterText, goSigner(peterSkey, peterVkey))).toBe(peterNote);
  });

  it('opens the Go and spec notes with their keys', () => {
    expect(openNote(peterNote, [parseVerifierKey(peterVkey)])).toEqual({
      ok: true,
      text: peterText,
      signedBy: peterVkey,
    });
    expect(openNote(specNote, [parseVerifierKey(specVkey)])).toMatchObject({
      ok: true,
      text: 'This is an example message.\n',
    });
  });

  it('round-trips a fresh key and computes the same key id both ways', () => {
    const signer = freshSigner();
    const verifier = parseVerifierKey(signer.vkey);
    const raw = Buffer.from(signer.vkey.split('+').slice(2).join('+'), 'base64').subarray(1);
    expect(verifier.keyId.equals(noteKeyId('warden-audit', raw))).toBe(true);
    const note = signNote('warden/audit\n3\nAAAA\n', signer);
    expect(openNote(note, [verifier])).toEqual({
      ok: true,
      text: 'warden/audit\n3\nAAAA\n',
      signedBy: signer.vkey,
    });
  });

  it('reports a note signed by another key as unknown_key', () => {
    const note = signNote('hello\n', freshSigner());
    expect(openNote(note, [parseVerifierKey(freshSigner().vkey)])).toMatchObject({
      ok: false,
      reason: 'unknown_key',
    });
    expect(openNote(peterNote, [parseVerifierKey(specVkey)])).toMatchObject({
      ok: false,
      reason: 'unknown_key',
    });
  });

  it('reports a wrong key with the same name and id as bad_signature', () => {
    // Same name and key id, different key: only the signature check can tell.
    const real = freshSigner();
    const note = signNote('hello\n', real);
    const forger = freshSigner();
    const forged = note.replace(/ (\S+)\n$/, () => {
      const id = parseVerifierKey(real.vkey).keyId;
      const sig = sign(null, Buffer.from('hello\n'), forger.privateKey);
      return ` ${Buffer.concat([id, sig]).toString('base64')}\n`;
    });
    expect(openNote(forged, [parseVerifierKey(real.vkey)])).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('reports altered text as bad_signature', () => {
    const altered = peterNote.replace('cryptography', 'cryptograph¥');
    expect(openNote(altered, [parseVerifierKey(peterVkey)])).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it.each([
    ['no signature block', 'hello\n'],
    ['no final newline', peterNote.slice(0, -1)],
    ['a garbled signature line', `${peterText}\n-- PeterNeumann abc\n`],
    ['a short signature', `${peterText}\n\u2014 PeterNeumann AAAA\n`],
    ['a control character', `he\u0000llo\n${peterNote.slice(peterText.length)}`],
  ])('reports %s as malformed', (_what, note) => {
    expect(openNote(note, [parseVerifierKey(peterVkey)])).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it.each([
    ['a mangled key id', peterVkey.replace('c74f20a3', 'c74f20a4')],
    ['a mangled key', peterVkey.replace('ARpc', 'ARpd')],
    ['another algorithm', peterVkey.replace('+ARpc', '+AhpC')],
    ['a missing part', 'PeterNeumann+c74f20a3'],
    ['a name with a space', 'Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'],
    ['nothing', ''],
  ])('refuses a verifier key with %s', (_what, vkey) => {
    expect(() => parseVerifierKey(vkey)).toThrow(AppError);
  });

  it('refuses to sign text that is not one block ending in a newline', () => {
    const signer = freshSigner();
    expect(() => signNote('no newline', signer)).toThrow(TypeError);
    expect(() => signNote('a\n\nb\n', signer)).toThrow(TypeError);
  });
});
