// Key rotation for the encrypted fs store: re-wrap every data key under the current KEK, in place.
import { open } from 'node:fs/promises';
import { encodeSlot, SLOT_SIZE, slotOffset, wrapAad } from '../../modules/artifacts/envelope-format.js';
import { type KeyProvider, kekInUse } from '../../modules/keys/index.js';
import { AppError } from '../../platform/errors.js';
import { encryptedBlobPath, readBlobHeader, unwrapDataKey } from './encrypted-fs-blob-store.js';
import { errCode, storedDigests } from './fs-blob-files.js';

export interface RewrapFailure {
  digest: string;
  code: string;
  reason: string;
}
export interface RewrapResult {
  kekId: string;
  rewrapped: number;
  unchanged: number;
  /** Blobs left exactly as they were, with why. */
  failed: RewrapFailure[];
}
interface RotationDeps {
  root: string;
  keys: KeyProvider;
}

const describe = (digest: string, err: unknown): RewrapFailure =>
  err instanceof AppError
    ? { digest, code: err.code, reason: err.message }
    : { digest, code: errCode(err) ?? 'error', reason: err instanceof Error ? err.message : String(err) };

/**
 * Re-wraps one blob's data key under the current KEK. The new wrapping goes into the header's other key
 * slot with a higher generation and is flushed; the body is never touched, and a crash mid-write leaves
 * the older slot intact. Returns false when the blob already uses the current KEK.
 */
async function rewrapOne(root: string, keys: KeyProvider, digest: string): Promise<boolean> {
  const fh = await open(encryptedBlobPath(root, digest), 'r+');
  try {
    const header = await readBlobHeader(fh, digest);
    const newest = header.slots[0]!;
    if (newest.kekId === keys.currentKekId()) return false;
    const { dek, slot } = await unwrapDataKey(keys, header, digest);
    let wrapped: { kekId: string; wrapped: Buffer };
    try {
      wrapped = await keys.wrap(dek, wrapAad(header.prefix));
    } finally {
      dek.fill(0);
    }
    const target = slot.index === 0 ? 1 : 0;
    const encoded = encodeSlot(header.prefix, { generation: newest.generation + 1, ...wrapped });
    await fh.write(encoded, 0, SLOT_SIZE, slotOffset(target));
    await fh.sync();
    return true;
  } finally {
    await fh.close();
  }
}

/** Re-wraps every blob not yet under the current KEK; safe to run again after an interruption. */
export async function rewrapBlobs({ root, keys }: RotationDeps): Promise<RewrapResult> {
  const result: RewrapResult = { kekId: keys.currentKekId(), rewrapped: 0, unchanged: 0, failed: [] };
  for await (const digest of storedDigests(root)) {
    try {
      if (await rewrapOne(root, keys, digest)) result.rewrapped++;
      else result.unchanged++;
    } catch (err) {
      result.failed.push(describe(digest, err));
    }
  }
  return result;
}

/** Makes a new KEK current, then re-wraps every data key under it without re-encrypting any blob. */
export async function rotateKeys(deps: RotationDeps): Promise<RewrapResult> {
  await deps.keys.rotate();
  return rewrapBlobs(deps);
}

/** How many blobs each KEK wraps now (the newest intact slot), and the blobs whose header cannot be read. */
export async function kekUsage(
  root: string,
): Promise<{ usage: Map<string, number>; unreadable: RewrapFailure[] }> {
  const usage = new Map<string, number>();
  const unreadable: RewrapFailure[] = [];
  for await (const digest of storedDigests(root)) {
    try {
      const fh = await open(encryptedBlobPath(root, digest), 'r');
      try {
        const kekId = (await readBlobHeader(fh, digest)).slots[0]!.kekId;
        usage.set(kekId, (usage.get(kekId) ?? 0) + 1);
      } finally {
        await fh.close();
      }
    } catch (err) {
      unreadable.push(describe(digest, err));
    }
  }
  return { usage, unreadable };
}

/** Retires a KEK once no blob depends on it; refused (kek_in_use) while any still does. */
export async function retireKek({ root, keys }: RotationDeps, kekId: string): Promise<void> {
  const count = (await kekUsage(root)).usage.get(kekId) ?? 0;
  if (count > 0)
    throw kekInUse(
      kekId,
      `${count} blob(s) are still wrapped by it; run \`warden keys rotate\` (or rewrap) first`,
    );
  await keys.retire(kekId);
}
