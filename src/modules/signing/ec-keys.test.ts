import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { modelSigningVectors } from '../../../test/fixtures/interop/model-signing-vectors.js';
import { loadPrivateKey, loadPublicKey, publicKeyHint } from './ec-keys.js';
import { generateKeyPair } from './keygen.js';

const pub = `${modelSigningVectors}signing-key-pub.pem`;

describe('ec keys', () => {
  it('reads a public key PEM preceded by a certtool text dump; the hint matches the reference bundle', () => {
    const key = loadPublicKey(readFileSync(pub));
    expect(key).toMatchObject({ curve: 'p384', hash: 'sha384', keyDetails: 'PKIX_ECDSA_P384_SHA_384' });
    expect(publicKeyHint(key.key)).toBe('e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e');
  });

  it('maps each curve to its hash and reads encrypted keys', () => {
    for (const [curve, hash] of [
      ['p256', 'sha256'],
      ['p384', 'sha384'],
      ['p521', 'sha512'],
    ] as const) {
      const pair = generateKeyPair(curve, 'pw');
      expect(loadPrivateKey(pair.privateKeyPem, 'pw')).toMatchObject({ curve, hash });
      expect(publicKeyHint(loadPrivateKey(pair.privateKeyPem, 'pw').key)).toBe(
        publicKeyHint(loadPublicKey(pair.publicKeyPem).key),
      );
    }
  });

  it('explains a private key given as the public one', () => {
    expect(() => loadPublicKey(generateKeyPair('p256').privateKeyPem)).toThrow(/private key/);
  });
});
