// The on-disk format of an encrypted blob (docs/encryption.md): a fixed 4 KiB header, then the chunks.
import { createCipheriv, createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';

export const MAGIC = Buffer.from('WDNE', 'ascii');
export const FORMAT_VERSION = 1;
export const HEADER_SIZE = 4096;
export const TAG = 16;
export const SALT = 8;
export const KEK_ID_MAX = 16;
/** Room for a wrapped key from any provider (local AES-GCM needs 60 bytes, cloud KMS blobs ~200). */
export const WRAPPED_MAX = 512;

// Fixed prefix: magic(4) version(1) reserved(3) chunkSize(4) size(8) salt(8) digest(32).
const PREFIX_SIZE = 60;
// Key slot: generation(4) kekId(16) wrappedLength(2) wrapped(512) checksum(32).
const SLOT_BODY = 4 + KEK_ID_MAX + 2 + WRAPPED_MAX;
export const SLOT_SIZE = SLOT_BODY + 32;
export const slotOffset = (index: 0 | 1) => PREFIX_SIZE + index * SLOT_SIZE;

export interface BlobPrefix {
  chunkSize: number;
  size: number;
  salt: Buffer;
  digest: string;
}
export interface KeySlot {
  index: 0 | 1;
  generation: number;
  kekId: string;
  wrapped: Buffer;
}
export interface ParsedHeader extends BlobPrefix {
  prefix: Buffer;
  /** Intact slots, newest generation first. */
  slots: KeySlot[];
}

export function encodePrefix(p: BlobPrefix): Buffer {
  const buf = Buffer.alloc(PREFIX_SIZE);
  MAGIC.copy(buf, 0);
  buf.writeUInt8(FORMAT_VERSION, 4);
  buf.writeUInt32BE(p.chunkSize, 8);
  buf.writeBigUInt64BE(BigInt(p.size), 12);
  p.salt.copy(buf, 20);
  Buffer.from(p.digest, 'hex').copy(buf, 28);
  return buf;
}

/** What a wrapped data key is bound to: the whole prefix, so digest, size, salt and chunk size are all authenticated. */
export function wrapAad(prefix: Buffer): Buffer {
  return Buffer.concat([Buffer.from('warden/blob-dek/v1\0', 'ascii'), prefix]);
}

// The checksum only detects a slot torn by a crash mid-write; authenticity comes from unwrapping.
const slotChecksum = (prefix: Buffer, body: Buffer) =>
  createHash('sha256').update(prefix).update(body).digest();

export function encodeSlot(prefix: Buffer, slot: Omit<KeySlot, 'index'>): Buffer {
  const id = Buffer.from(slot.kekId, 'ascii');
  if (id.length === 0 || id.length > KEK_ID_MAX || !/^[\x21-\x7e]+$/.test(slot.kekId))
    throw new Error(`key id ${JSON.stringify(slot.kekId)} does not fit a blob header`);
  if (slot.wrapped.length > WRAPPED_MAX) throw new Error('wrapped key does not fit a blob header');
  const buf = Buffer.alloc(SLOT_SIZE);
  buf.writeUInt32BE(slot.generation, 0);
  id.copy(buf, 4);
  buf.writeUInt16BE(slot.wrapped.length, 4 + KEK_ID_MAX);
  slot.wrapped.copy(buf, 6 + KEK_ID_MAX);
  slotChecksum(prefix, buf.subarray(0, SLOT_BODY)).copy(buf, SLOT_BODY);
  return buf;
}

/** The header of a freshly written blob: slot 0 holds the key, slot 1 is empty. */
export function encodeHeader(prefix: Buffer, slot: Omit<KeySlot, 'index'>): Buffer {
  const header = Buffer.alloc(HEADER_SIZE);
  prefix.copy(header, 0);
  encodeSlot(prefix, slot).copy(header, slotOffset(0));
  return header;
}

/** Parses a header; null when it is not one (wrong magic or version, no intact key slot, impossible sizes). */
export function parseHeader(buf: Buffer): ParsedHeader | null {
  // Nothing may hide in the header's tail: it is written as zeros and must stay so.
  if (buf.length >= HEADER_SIZE && buf.subarray(slotOffset(1) + SLOT_SIZE, HEADER_SIZE).some((b) => b !== 0))
    return null;
  if (buf.length < HEADER_SIZE || !buf.subarray(0, 4).equals(MAGIC) || buf.readUInt8(4) !== FORMAT_VERSION)
    return null;
  const prefix = Buffer.from(buf.subarray(0, PREFIX_SIZE));
  const chunkSize = buf.readUInt32BE(8);
  const size = buf.readBigUInt64BE(12);
  if (chunkSize === 0 || size > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  const slots: KeySlot[] = [];
  for (const index of [0, 1] as const) {
    const raw = buf.subarray(slotOffset(index), slotOffset(index) + SLOT_SIZE);
    if (!timingSafeEqual(slotChecksum(prefix, raw.subarray(0, SLOT_BODY)), raw.subarray(SLOT_BODY))) continue;
    const length = raw.readUInt16BE(4 + KEK_ID_MAX);
    if (length > WRAPPED_MAX) continue;
    slots.push({
      index,
      generation: raw.readUInt32BE(0),
      kekId: raw
        .subarray(4, 4 + KEK_ID_MAX)
        .toString('ascii')
        .replace(/\0+$/, ''),
      wrapped: Buffer.from(raw.subarray(6 + KEK_ID_MAX, 6 + KEK_ID_MAX + length)),
    });
  }
  if (slots.length === 0) return null;
  slots.sort((a, b) => b.generation - a.generation);
  return {
    prefix,
    chunkSize,
    size: Number(size),
    salt: Buffer.from(buf.subarray(20, 28)),
    digest: buf.subarray(28, 60).toString('hex'),
    slots,
  };
}

/** An empty blob still has one (empty, final) chunk, so truncation to nothing is detected too. */
export const chunkCount = (size: number, chunkSize: number) => Math.max(1, Math.ceil(size / chunkSize));
export const encryptedFileSize = (size: number, chunkSize: number) =>
  HEADER_SIZE + size + chunkCount(size, chunkSize) * TAG;

function nonceAndAad(salt: Buffer, index: number, final: boolean) {
  const nonce = Buffer.alloc(12);
  salt.copy(nonce, 0);
  nonce.writeUInt32BE(index, SALT);
  const aad = Buffer.alloc(5);
  aad.writeUInt32BE(index, 0);
  aad.writeUInt8(final ? 1 : 0, 4);
  return { nonce, aad };
}

/** Ciphertext then tag of one chunk; its index and final flag are authenticated with it. */
export function sealChunk(dek: Buffer, salt: Buffer, index: number, final: boolean, plain: Buffer): Buffer {
  return Buffer.concat(sealChunkParts(dek, salt, index, final, plain));
}

/** The same bytes as sealChunk, in pieces to write one after another (no 1 MiB copy per chunk). */
export function sealChunkParts(
  dek: Buffer,
  salt: Buffer,
  index: number,
  final: boolean,
  plain: Buffer,
): Buffer[] {
  const { nonce, aad } = nonceAndAad(salt, index, final);
  const cipher = createCipheriv('aes-256-gcm', dek, nonce, { authTagLength: TAG });
  cipher.setAAD(aad);
  return [cipher.update(plain), cipher.final(), cipher.getAuthTag()];
}

/** The plaintext of one chunk, or null when it does not authenticate. None of it is returned before the tag checks. */
export function openChunk(
  dek: Buffer,
  salt: Buffer,
  index: number,
  final: boolean,
  sealed: Buffer,
): Buffer | null {
  if (sealed.length < TAG) return null;
  const { nonce, aad } = nonceAndAad(salt, index, final);
  try {
    const decipher = createDecipheriv('aes-256-gcm', dek, nonce, { authTagLength: TAG });
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG));
    const plain = decipher.update(sealed.subarray(0, sealed.length - TAG));
    // GCM is a stream mode: final() only checks the tag and returns no bytes, so the 1 MiB chunk is not
    // copied again by a concat.
    const rest = decipher.final();
    return rest.length === 0 ? plain : Buffer.concat([plain, rest]);
  } catch {
    return null;
  }
}
