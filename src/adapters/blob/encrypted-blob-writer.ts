// Upload path of the encrypted store: hash and encrypt in one streaming pass; only ciphertext reaches disk.
import { createHash, randomBytes } from 'node:crypto';
import { type FileHandle, open } from 'node:fs/promises';
import {
  encodeHeader,
  encodePrefix,
  HEADER_SIZE,
  SALT,
  sealChunkParts,
  wrapAad,
} from '../../modules/artifacts/envelope-format.js';
import { blobTooLarge, type StagedBlob, type WriteOptions } from '../../modules/artifacts/index.js';
import type { KeyProvider } from '../../modules/keys/index.js';
import { CHUNK, FILE_MODE } from './fs-blob-files.js';

async function writeAt(fh: FileHandle, buf: Buffer, position: number): Promise<void> {
  let offset = 0;
  while (offset < buf.length) {
    const { bytesWritten } = await fh.write(buf, offset, buf.length - offset, position + offset);
    offset += bytesWritten;
  }
}

/** Writes the pieces back to back from `position`: one writev, then plain writes for what a short one left. */
async function writeAllAt(fh: FileHandle, pieces: Buffer[], position: number): Promise<void> {
  let written = (await fh.writev(pieces, position)).bytesWritten;
  let at = position;
  for (const piece of pieces) {
    const done = Math.min(written, piece.length);
    written -= done;
    if (done < piece.length) await writeAt(fh, piece.subarray(done), at + done);
    at += piece.length;
  }
}

/**
 * Encrypts `source` into `file` under a fresh data key. The digest is known only at the end, so the body
 * goes first (after room for the header) and the header, whose wrapped key is bound to the digest, last.
 * At most one 1 MiB plaintext chunk is held in memory, and it is wiped afterwards; at most one sealed
 * (ciphertext) chunk waits to be written.
 */
export async function encryptToFile(
  source: AsyncIterable<Uint8Array>,
  file: string,
  options: WriteOptions,
  keys: Pick<KeyProvider, 'wrap'>,
): Promise<StagedBlob> {
  const fh = await open(file, 'wx', FILE_MODE);
  const dek = randomBytes(32);
  const salt = randomBytes(SALT);
  const hash = createHash('sha256');
  const pending = Buffer.alloc(CHUNK);
  let used = 0;
  let size = 0;
  let index = 0;
  let position = HEADER_SIZE;
  // One sealed chunk is written (on libuv's pool) while the next is received, hashed and encrypted: at most
  // one write in flight, so memory stays bounded. Its rejection is awaited below, never left unhandled.
  let writing: Promise<void> = Promise.resolve();
  // A full chunk is sealed only once more bytes arrive, so the last chunk is the one marked final.
  const seal = async (final: boolean) => {
    const sealed = sealChunkParts(dek, salt, index, final, pending.subarray(0, used));
    await writing;
    writing = writeAllAt(fh, sealed, position);
    writing.catch(() => {});
    position += sealed.reduce((n, piece) => n + piece.length, 0);
    index++;
    used = 0;
  };
  try {
    for await (const piece of source) {
      const chunk = Buffer.isBuffer(piece)
        ? piece
        : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
      size += chunk.length;
      if (size > options.maxBytes) throw blobTooLarge(options.maxBytes);
      hash.update(chunk);
      options.onChunk?.(chunk);
      let offset = 0;
      while (offset < chunk.length) {
        if (used === CHUNK) await seal(false);
        const n = Math.min(CHUNK - used, chunk.length - offset);
        chunk.copy(pending, used, offset, offset + n);
        used += n;
        offset += n;
      }
    }
    await seal(true);
    await writing;
    const digest = hash.digest('hex');
    const prefix = encodePrefix({ chunkSize: CHUNK, size, salt, digest });
    const { kekId, wrapped } = await keys.wrap(dek, wrapAad(prefix));
    await writeAt(fh, encodeHeader(prefix, { generation: 1, kekId, wrapped }), 0);
    await fh.sync();
    return { digest, size };
  } finally {
    dek.fill(0);
    pending.fill(0);
    await writing.catch(() => {});
    await fh.close();
  }
}
