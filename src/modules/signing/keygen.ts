import { generateKeyPairSync } from 'node:crypto';
import { type Curve, nodeCurveName } from './ec-keys.js';

export interface KeyPairFiles {
  /** PKCS#8 PEM, AES-256-CBC encrypted when a password is given. */
  privateKeyPem: string;
  /** SubjectPublicKeyInfo PEM. */
  publicKeyPem: string;
}

/** Makes an ECDSA key pair in the PEM forms the reference `model_signing` reads. */
export function generateKeyPair(curve: Curve, password?: string): KeyPairFiles {
  const { privateKey, publicKey } = generateKeyPairSync('ec', {
    namedCurve: nodeCurveName[curve],
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: password
      ? { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: password }
      : { type: 'pkcs8', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}
