import { signatureMalformed } from './signing-errors.js';

export const BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';

export interface KeyBundle {
  mediaType: string;
  verificationMaterial: {
    publicKey: { hint?: string; rawBytes?: string; keyDetails?: string };
    tlogEntries?: unknown[];
  };
  dsseEnvelope: {
    payload: string;
    payloadType: string;
    signatures: { sig: string; keyid?: string | null }[];
  };
}

/** A parsed bundle: the raw payload and signature bytes plus the key material it names. */
export interface ParsedBundle {
  payload: Buffer;
  payloadType: string;
  signature: Buffer;
  hint?: string;
  /** The embedded public key (v1.0 bundles carry the PEM, base64, in `rawBytes`). */
  rawKey?: Buffer;
  keyDetails?: string;
}

/** Builds the key-based Sigstore bundle exactly as the reference `model_signing sign key` writes it. */
export function buildBundle(
  payload: Buffer,
  payloadType: string,
  signature: Buffer,
  hint: string,
): KeyBundle {
  return {
    mediaType: BUNDLE_MEDIA_TYPE,
    verificationMaterial: { publicKey: { hint }, tlogEntries: [] },
    dsseEnvelope: {
      payload: payload.toString('base64'),
      payloadType,
      signatures: [{ sig: signature.toString('base64'), keyid: '' }],
    },
  };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function base64Field(value: unknown, name: string): Buffer {
  if (typeof value !== 'string' || value.length % 4 !== 0 || !BASE64.test(value))
    throw signatureMalformed(`${name} is not base64`);
  return Buffer.from(value, 'base64');
}

/** Parses a signature file; anything that is not a single-signature DSSE bundle is malformed. */
export function parseBundle(text: string): ParsedBundle {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw signatureMalformed(`invalid JSON (${(err as Error).message})`);
  }
  if (!isObject(json)) throw signatureMalformed('not a JSON object');
  if (typeof json.mediaType !== 'string' || !json.mediaType.startsWith('application/vnd.dev.sigstore.bundle'))
    throw signatureMalformed('mediaType is not a Sigstore bundle');
  const envelope = json.dsseEnvelope;
  if (!isObject(envelope)) throw signatureMalformed('no dsseEnvelope');
  if (typeof envelope.payloadType !== 'string')
    throw signatureMalformed('dsseEnvelope.payloadType is missing');
  const sigs = envelope.signatures;
  if (!Array.isArray(sigs) || sigs.length !== 1 || !isObject(sigs[0]))
    throw signatureMalformed('dsseEnvelope must hold exactly one signature');
  const material = json.verificationMaterial;
  const publicKey = isObject(material) && isObject(material.publicKey) ? material.publicKey : undefined;
  const parsed: ParsedBundle = {
    payload: base64Field(envelope.payload, 'dsseEnvelope.payload'),
    payloadType: envelope.payloadType,
    signature: base64Field(sigs[0].sig, 'dsseEnvelope.signatures[0].sig'),
  };
  if (publicKey) {
    if (typeof publicKey.hint === 'string') parsed.hint = publicKey.hint;
    if (publicKey.rawBytes !== undefined)
      parsed.rawKey = base64Field(publicKey.rawBytes, 'publicKey.rawBytes');
    if (typeof publicKey.keyDetails === 'string') parsed.keyDetails = publicKey.keyDetails;
  }
  return parsed;
}
