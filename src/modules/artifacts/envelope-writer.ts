// Upload path of the encrypting store: hash and encrypt in one streaming pass; only ciphertext reaches the
// object store.
import { randomBytes } from 'node:crypto';
import type { KeyProvider } from '../keys/index.js';
import { CHUNK, createUploadMeter } from './blob-objects.js';
import type { StagedBlob, WriteOptions } from './blob-store.port.js';
import { encodeHeader, encodePrefix, HEADER_SIZE, SALT, sealChunkParts, wrapAad } from './envelope-format.js';
import type { PendingArea, PendingObject } from './object-store.port.js';

/** Sealed chunks being appended at once, at most. */
const WRITES_IN_FLIGHT = 2;

/**
 * Encrypts `source` into a new pending object under a fresh data key. The digest is known only at the
 * end, so the body goes first (after the reserved header) and the header, whose wrapped key is bound to
 * the digest, last. At most one 1 MiB plaintext chunk is held in memory, and it is wiped afterwards; at
 * most two sealed (ciphertext) chunks wait to be written.
 */
export async function sealBlob(
  area: PendingArea,
  source: AsyncIterable<Uint8Array>,
  options: WriteOptions,
  keys: Pick<KeyProvider, 'wrap'>,
): Promise<StagedBlob & { object: PendingObject }> {
  const writer = await area.create({ reserve: HEADER_SIZE });
  const dek = randomBytes(32);
  const salt = randomBytes(SALT);
  const meter = createUploadMeter(options);
  const pending = Buffer.alloc(CHUNK);
  let used = 0;
  let index = 0;
  let finished = false;
  // Sealed chunks are written while the next is received, hashed and encrypted: at most WRITES_IN_FLIGHT
  // appends at once (copying into the page cache runs on several of libuv's threads), so memory stays
  // bounded. Their rejections are awaited below, never left unhandled.
  const writing: Promise<void>[] = [];
  // A full chunk is sealed only once more bytes arrive, so the last chunk is the one marked final.
  const seal = async (final: boolean) => {
    const sealed = sealChunkParts(dek, salt, index, final, pending.subarray(0, used));
    if (writing.length >= WRITES_IN_FLIGHT) await writing.shift();
    const write = writer.append(sealed);
    write.catch(() => {});
    writing.push(write);
    index++;
    used = 0;
  };
  try {
    for await (const piece of source) {
      const chunk = meter.take(piece);
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
    await Promise.all(writing);
    const digest = meter.digest();
    const size = meter.size;
    const prefix = encodePrefix({ chunkSize: CHUNK, size, salt, digest });
    const { kekId, wrapped } = await keys.wrap(dek, wrapAad(prefix));
    const object = await writer.finish(encodeHeader(prefix, { generation: 1, kekId, wrapped }));
    finished = true;
    return { object, digest, size };
  } finally {
    dek.fill(0);
    pending.fill(0);
    await Promise.allSettled(writing);
    if (!finished) await writer.abort();
  }
}
