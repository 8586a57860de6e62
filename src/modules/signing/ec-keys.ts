import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { signingKeyInvalid, signingKeyPassword, signingKeyUnsupported } from './signing-errors.js';

export const curves = ['p256', 'p384', 'p521'] as const;
export type Curve = (typeof curves)[number];

const byNodeName: Record<string, { curve: Curve; hash: 'sha256' | 'sha384' | 'sha512'; details: string }> = {
  prime256v1: { curve: 'p256', hash: 'sha256', details: 'PKIX_ECDSA_P256_SHA_256' },
  secp384r1: { curve: 'p384', hash: 'sha384', details: 'PKIX_ECDSA_P384_SHA_384' },
  secp521r1: { curve: 'p521', hash: 'sha512', details: 'PKIX_ECDSA_P521_SHA_512' },
};
export const nodeCurveName: Record<Curve, string> = {
  p256: 'prime256v1',
  p384: 'secp384r1',
  p521: 'secp521r1',
};

export interface EcKey {
  key: KeyObject;
  curve: Curve;
  /** The digest the curve signs with: P-256 → SHA-256, P-384 → SHA-384, P-521 → SHA-512. */
  hash: 'sha256' | 'sha384' | 'sha512';
  /** Sigstore `keyDetails` name, e.g. PKIX_ECDSA_P384_SHA_384. */
  keyDetails: string;
}

function describeCurve(key: KeyObject): EcKey {
  if (key.asymmetricKeyType !== 'ec')
    throw signingKeyUnsupported(`type ${key.asymmetricKeyType ?? 'unknown'}`);
  const name = key.asymmetricKeyDetails?.namedCurve ?? 'unknown';
  const info = byNodeName[name];
  if (!info) throw signingKeyUnsupported(`curve ${name}`);
  return { key, curve: info.curve, hash: info.hash, keyDetails: info.details };
}

/** The first PEM block of `label`: key files may carry a text dump before it (GnuTLS certtool does). */
function pemBlock(text: string, labels: readonly string[]): string | null {
  for (const label of labels) {
    const m = new RegExp(`-----BEGIN ${label}-----[\\s\\S]*?-----END ${label}-----`).exec(text);
    if (m) return `${m[0]}\n`;
  }
  return null;
}

/** Loads an ECDSA private key (PKCS#8 or SEC1 PEM, optionally encrypted with `passphrase`). */
export function loadPrivateKey(pem: string | Buffer, passphrase?: string): EcKey {
  const text = pem.toString();
  const block = pemBlock(text, ['ENCRYPTED PRIVATE KEY', 'PRIVATE KEY', 'EC PRIVATE KEY']);
  if (!block) throw signingKeyInvalid('no PEM private key block found');
  const encrypted = block.includes('ENCRYPTED') || /Proc-Type: 4,ENCRYPTED/.test(block);
  if (encrypted && !passphrase) throw signingKeyPassword();
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: block, format: 'pem', ...(passphrase ? { passphrase } : {}) });
  } catch (err) {
    if (encrypted) throw signingKeyPassword();
    throw signingKeyInvalid(`unreadable private key (${(err as Error).message})`);
  }
  return describeCurve(key);
}

/** Loads an ECDSA public key: a SubjectPublicKeyInfo PEM block anywhere in the text, or a private key's. */
export function loadPublicKey(pem: string | Buffer): EcKey {
  const text = pem.toString();
  const block = pemBlock(text, ['PUBLIC KEY']);
  if (!block) {
    if (pemBlock(text, ['PRIVATE KEY', 'EC PRIVATE KEY', 'ENCRYPTED PRIVATE KEY']))
      throw signingKeyInvalid('this is a private key; verify with the public key (.pub)');
    throw signingKeyInvalid('no "-----BEGIN PUBLIC KEY-----" block found');
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: block, format: 'pem' });
  } catch (err) {
    throw signingKeyInvalid(`unreadable public key (${(err as Error).message})`);
  }
  return describeCurve(key);
}

/** The public key as SubjectPublicKeyInfo PEM, re-serialized (64-column lines, trailing newline). */
export function publicKeyPem(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return pub.export({ type: 'spki', format: 'pem' }).toString();
}

/** The bundle's key hint: hex SHA-256 of the re-serialized public key PEM, as the reference writes it. */
export function publicKeyHint(key: KeyObject): string {
  return createHash('sha256').update(publicKeyPem(key)).digest('hex');
}
