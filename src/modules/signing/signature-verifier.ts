import type { SignerRecord } from './signature.types.js';
import {
  checkSignature,
  recheckSignature,
  type SignatureCheck,
  type SignedContent,
} from './verify-signature.js';

/** The trusted signers a check reads, as of the caller's transaction (a SignatureStore is one). */
export interface Keyring {
  listSigners(): Promise<SignerRecord[]>;
}

/**
 * The one way Warden checks a model signature: at push and attach today, and again wherever a version's
 * bytes are trusted later (deploy apply, gateway load). Callers pass the keyring bound to their own
 * transaction, so a signer revoked meanwhile is not trusted.
 */
export interface SignatureVerifier {
  /** Which trusted signer made the bundle, and whether it signs exactly this content. */
  check(keyring: Keyring, bundleText: string, content: SignedContent): Promise<SignatureCheck>;
  /** Whether a stored signature still verifies with its signer's key and still names `digest`. */
  recheck(bundleText: string, signer: SignerRecord, digest: string): { ok: boolean; detail: string };
}

export function createSignatureVerifier(): SignatureVerifier {
  return {
    check: async (keyring, bundleText, content) =>
      checkSignature(bundleText, await keyring.listSigners(), content),
    recheck: recheckSignature,
  };
}
