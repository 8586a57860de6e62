// Key rotation over any ObjectStore: re-wrap every data key under the current KEK without re-encrypting.

import { AppError } from '../../platform/errors.js';
import { type KeyProvider, kekInUse } from '../keys/index.js';
import { blobKey, errorCode, storedDigests } from './blob-objects.js';
import { openBlobObject, readBlobHeader, unwrapDataKey } from './encrypting-blob-store.js';
import { encodeSlot, HEADER_SIZE, SLOT_SIZE, slotOffset, wrapAad } from './envelope-format.js';
import type { ObjectStore } from './object-store.port.js';

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
export interface RotationDeps {
  objects: ObjectStore;
  keys: KeyProvider;
}

const describe = (digest: string, err: unknown): RewrapFailure =>
  err instanceof AppError
    ? { digest, code: err.code, reason: err.message }
    : { digest, code: errorCode(err) ?? 'error', reason: err instanceof Error ? err.message : String(err) };

/**
 * Re-wraps one blob's data key under the current KEK. The new wrapping goes into the header's other key
 * slot with a higher generation; the body is never touched, and a crash mid-write leaves the older slot
 * intact. A store that cannot overwrite in place gets a copy with the new header, published over the old
 * one. Returns false when the blob already uses the current KEK.
 */
async function rewrapOne({ objects, keys }: RotationDeps, digest: string): Promise<boolean> {
  const reader = await openBlobObject(objects, digest);
  let slotBytes: Buffer;
  let at: number;
  try {
    const header = await readBlobHeader(reader, digest);
    const newest = header.slots[0]!;
    if (newest.kekId === keys.currentKekId()) return false;
    const { dek, slot } = await unwrapDataKey(keys, header, digest);
    let wrapped: { kekId: string; wrapped: Buffer };
    try {
      wrapped = await keys.wrap(dek, wrapAad(header.prefix));
    } finally {
      dek.fill(0);
    }
    at = slotOffset(slot.index === 0 ? 1 : 0);
    slotBytes = encodeSlot(header.prefix, { generation: newest.generation + 1, ...wrapped });
    if (!(objects.overwritesInPlace && objects.overwrite)) {
      await rewriteWithSlot(objects, reader, digest, slotBytes, at);
      return true;
    }
  } finally {
    await reader.close();
  }
  if (!(await objects.overwrite!(blobKey(digest), at, slotBytes)))
    throw new Error('blob vanished during rewrap');
  return true;
}

/** Copies the object with one key slot replaced and publishes the copy over it, 1 MiB at a time. */
async function rewriteWithSlot(
  objects: ObjectStore,
  reader: Awaited<ReturnType<typeof openBlobObject>>,
  digest: string,
  slotBytes: Buffer,
  at: number,
): Promise<void> {
  const area = await objects.createPending();
  try {
    const header = await reader.read(0, HEADER_SIZE);
    slotBytes.copy(header, at, 0, SLOT_SIZE);
    const writer = await area.create({ reserve: HEADER_SIZE });
    try {
      for (let offset = HEADER_SIZE; offset < reader.size; ) {
        const piece = await reader.read(offset, Math.min(1024 * 1024, reader.size - offset));
        if (piece.length === 0) break;
        await writer.append([piece]);
        offset += piece.length;
      }
      await (await writer.finish(header)).publish(blobKey(digest), { replace: true });
    } catch (err) {
      await writer.abort();
      throw err;
    }
  } finally {
    await area.close();
  }
}

/** Re-wraps every blob not yet under the current KEK; safe to run again after an interruption. */
export async function rewrapBlobs(deps: RotationDeps): Promise<RewrapResult> {
  const result: RewrapResult = { kekId: deps.keys.currentKekId(), rewrapped: 0, unchanged: 0, failed: [] };
  for await (const digest of storedDigests(deps.objects)) {
    try {
      if (await rewrapOne(deps, digest)) result.rewrapped++;
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
  objects: ObjectStore,
): Promise<{ usage: Map<string, number>; unreadable: RewrapFailure[] }> {
  const usage = new Map<string, number>();
  const unreadable: RewrapFailure[] = [];
  for await (const digest of storedDigests(objects)) {
    try {
      const reader = await openBlobObject(objects, digest);
      try {
        const kekId = (await readBlobHeader(reader, digest)).slots[0]!.kekId;
        usage.set(kekId, (usage.get(kekId) ?? 0) + 1);
      } finally {
        await reader.close();
      }
    } catch (err) {
      unreadable.push(describe(digest, err));
    }
  }
  return { usage, unreadable };
}

/** Retires a KEK once no blob depends on it; refused (kek_in_use) while any still does. */
export async function retireKek({ objects, keys }: RotationDeps, kekId: string): Promise<void> {
  const count = (await kekUsage(objects)).usage.get(kekId) ?? 0;
  if (count > 0)
    throw kekInUse(
      kekId,
      `${count} blob(s) are still wrapped by it; run \`warden keys rotate\` (or rewrap) first`,
    );
  await keys.retire(kekId);
}
