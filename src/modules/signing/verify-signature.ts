import { verify } from 'node:crypto';
import { type ParsedBundle, parseBundle } from './bundle.js';
import { IN_TOTO_PAYLOAD_TYPE, pae } from './dsse.js';
import { loadPublicKey } from './ec-keys.js';
import { rootDigestOf } from './hash-model.js';
import type { SignerRecord, StoredSignatureStatus } from './signature.types.js';
import { parseStatement } from './statement.js';

/** What the registry knows of the version a signature claims to cover. */
export interface SignedContent {
  /** The version's root digest (hex). */
  digest: string;
  /** The version's manifest resources (name, hex digest), when names are to be compared too. */
  resources?: readonly { name: string; digest: string }[];
}

/** The outcome of checking a bundle: which trusted signer made it and whether it covers the content. */
export type SignatureCheck =
  | { ok: false; reason: 'untrusted' }
  | { ok: false; reason: 'mismatch'; signer: SignerRecord; detail: string }
  | { ok: true; signer: SignerRecord; status: StoredSignatureStatus; detail: string };

/** Whether the bundle's DSSE signature over the PAE verifies with this signer's key. */
export function signedBy(bundle: ParsedBundle, signer: SignerRecord): boolean {
  try {
    const key = loadPublicKey(signer.publicKeyPem);
    return verify(key.hash, pae(bundle.payloadType, bundle.payload), key.key, bundle.signature);
  } catch {
    return false;
  }
}

/**
 * Checks a bundle against the trusted keyring and a version's manifest. The signer is found by the bundle's
 * key hint, else by trying each key; a bundle no trusted key verifies is untrusted. A trusted signature
 * over other content is a mismatch; one whose statement cannot be compared (sharded, unknown hash) is
 * recorded as failed with the reason. Throws `signature_malformed` when the bundle cannot be read.
 */
export function checkSignature(
  bundleText: string,
  trusted: readonly SignerRecord[],
  content: SignedContent,
): SignatureCheck {
  const bundle = parseBundle(bundleText);
  const active = trusted.filter((s) => s.revokedAt === null);
  const hinted = bundle.hint ? active.filter((s) => s.keyHint === bundle.hint) : [];
  const signer = [...hinted, ...active].find((s) => signedBy(bundle, s));
  if (!signer) return { ok: false, reason: 'untrusted' };
  const result = compareStatement(bundle, content);
  if (result.kind === 'mismatch') return { ok: false, reason: 'mismatch', signer, detail: result.detail };
  return { ok: true, signer, status: result.kind, detail: result.detail };
}

/**
 * Re-checks a stored signature when it is shown or its version's bytes leave the store: the key still
 * verifies it and its statement still names the version's root digest.
 */
export function recheckSignature(
  bundleText: string,
  signer: SignerRecord,
  digest: string,
): { ok: boolean; detail: string } {
  let bundle: ParsedBundle;
  try {
    bundle = parseBundle(bundleText);
  } catch {
    return { ok: false, detail: 'the stored bundle is no longer readable' };
  }
  if (!signedBy(bundle, signer))
    return { ok: false, detail: `the stored signature no longer verifies with ${signer.name}'s key` };
  const result = compareStatement(bundle, { digest });
  return result.kind === 'verified'
    ? { ok: true, detail: result.detail }
    : { ok: false, detail: result.detail };
}

function compareStatement(
  bundle: ParsedBundle,
  content: SignedContent,
): { kind: 'verified' | 'failed' | 'mismatch'; detail: string } {
  if (bundle.payloadType !== IN_TOTO_PAYLOAD_TYPE)
    return { kind: 'failed', detail: `payloadType is ${bundle.payloadType}, not ${IN_TOTO_PAYLOAD_TYPE}` };
  const statement = parseStatement(bundle.payload);
  if (!statement.ok)
    return { kind: 'failed', detail: `the signed statement is unreadable: ${statement.detail}` };
  const { serialization, resources } = statement;
  if (serialization.method !== 'files' || serialization.hash_type !== 'sha256')
    return {
      kind: 'failed',
      detail: `signed with the ${serialization.method}/${serialization.hash_type} serialization; the registry can only compare files/sha256 manifests`,
    };
  const signedRoot = rootDigestOf(resources);
  if (statement.rootDigest !== null && statement.rootDigest !== signedRoot)
    return { kind: 'failed', detail: 'the statement subject digest does not match its own resources' };
  if (signedRoot !== content.digest)
    return {
      kind: 'mismatch',
      detail: `it signs root digest sha256:${signedRoot}, the version is sha256:${content.digest}`,
    };
  if (content.resources) {
    const names = content.resources.map((r) => `${r.name}\n${r.digest}`).join('\n');
    const signed = resources.map((r) => `${r.name}\n${r.digest}`).join('\n');
    if (names !== signed || resources.some((r) => r.algorithm !== 'sha256'))
      return { kind: 'mismatch', detail: 'the signed file names differ from the version manifest' };
  }
  return { kind: 'verified', detail: `signature over sha256:${signedRoot} verified` };
}
