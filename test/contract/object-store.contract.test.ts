import { randomBytes } from 'node:crypto';
import { link, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFsObjectStore } from '../../src/adapters/blob/fs-object-store.js';
import { openLocalKeyProvider } from '../../src/adapters/kms/local-key-provider.js';
import { encryptedFileSize, HEADER_SIZE, TAG } from '../../src/modules/artifacts/envelope-format.js';
import {
  type BlobStore,
  blobKey,
  createEncryptingBlobStore,
  hasEncryptedBlobs,
  kekUsage,
  type ObjectStore,
  retireKek,
  rewrapBlobs,
  rotateKeys,
} from '../../src/modules/artifacts/index.js';
import type { KeyProvider } from '../../src/modules/keys/index.js';
import {
  chunks,
  MiB,
  readAll,
  readVerified,
  sha256,
  storeBlob,
  tempDirs,
} from '../encryption/blob-helpers.js';
import { createMemoryObjectStore, type MemoryObjectStore } from '../fixtures/memory-object-store.js';

/** Publishes `bytes` (after a `prefix` filled last) under `key` through one pending area. */
async function put(objects: ObjectStore, key: string, bytes: Buffer, prefix?: Buffer, replace = false) {
  const area = await objects.createPending();
  try {
    const writer = await area.create({ reserve: prefix?.length ?? 0 });
    await writer.append([bytes.subarray(0, 3), bytes.subarray(3)]);
    const object = await writer.finish(prefix);
    return { size: object.size, created: await object.publish(key, { replace }) };
  } finally {
    await area.close();
  }
}

async function readObject(objects: ObjectStore, key: string): Promise<Buffer | null> {
  const reader = await objects.get(key);
  if (!reader) return null;
  try {
    return await reader.read(0, reader.size);
  } finally {
    await reader.close();
  }
}

async function keysOf(objects: ObjectStore, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const key of objects.list(prefix)) out.push(key);
  return out;
}

interface Backend {
  name: string;
  open(root: string): ObjectStore;
}
const backends: Backend[] = [
  { name: 'fs', open: (root) => createFsObjectStore({ root }) },
  { name: 'memory', open: () => createMemoryObjectStore() },
  {
    name: 'memory, no in-place overwrite',
    open: () => createMemoryObjectStore({ overwritesInPlace: false }),
  },
];

describe.each(backends)('ObjectStore contract: $name', (backend) => {
  const dirs = tempDirs();
  let objects: ObjectStore;

  beforeEach(async () => {
    objects = backend.open(await dirs.make('warden-objects-'));
  });
  afterEach(() => dirs.cleanup());

  it('keeps a pending object invisible until it is published, then serves ranged reads', async () => {
    const bytes = Buffer.from('hello, opaque bytes');
    const area = await objects.createPending();
    const writer = await area.create();
    await writer.append([bytes]);
    const pending = await writer.finish();
    expect(pending.size).toBe(bytes.length);
    expect(await objects.get('a/b')).toBeNull();
    expect(await keysOf(objects, '')).toEqual([]);
    expect(await pending.publish('a/b')).toBe(true);
    await area.close();

    const reader = await objects.get('a/b');
    expect(reader?.size).toBe(bytes.length);
    expect((await reader!.read(7, 6)).toString()).toBe('opaque');
    // A range past the end is cut short, never padded.
    expect((await reader!.read(14, 100)).toString()).toBe('bytes');
    expect((await reader!.read(bytes.length, 10)).length).toBe(0);
    await reader!.close();
  });

  it('reads into a caller buffer, as a view of it, cut short where the object ends', async () => {
    await put(objects, 'r/i', Buffer.from('0123456789'));
    const reader = (await objects.get('r/i'))!;
    const into = Buffer.alloc(8, 0x2e);
    const got = await reader.read(2, 4, into);
    expect(got.toString()).toBe('2345');
    expect(got.buffer).toBe(into.buffer);
    expect(into.subarray(0, 4).toString()).toBe('2345');
    expect((await reader.read(8, 8, into)).toString()).toBe('89');
    await reader.close();
  });

  it('lands appends started before the previous one resolved in call order', async () => {
    const area = await objects.createPending();
    const writer = await area.create({ reserve: 2 });
    const parts = Array.from({ length: 6 }, (_, i) => randomBytes(1000 + i * 7919));
    await Promise.all(
      parts.map((part, i) => writer.append(i % 2 ? [part] : [part.subarray(0, 5), part.subarray(5)])),
    );
    const pending = await writer.finish(Buffer.from('HD'));
    await pending.publish('c/o');
    await area.close();
    expect(await readObject(objects, 'c/o')).toEqual(Buffer.concat([Buffer.from('HD'), ...parts]));
  });

  it('lands megabytes of appends after a 4 KiB reserve byte for byte, the last block short', async () => {
    // The encrypting store's shape: a 4 KiB header last, sealed chunks of 1 MiB + 16 bytes, two appends
    // in flight.
    const area = await objects.createPending();
    const writer = await area.create({ reserve: 4096 });
    const parts = [MiB + 16, MiB + 16, 300_001, 1, MiB + 16, 4096, 77].map((n) => randomBytes(n));
    const inFlight: Promise<void>[] = [];
    for (const part of parts) {
      if (inFlight.length >= 2) await inFlight.shift();
      inFlight.push(writer.append([part.subarray(0, part.length - 16), part.subarray(part.length - 16)]));
    }
    await Promise.all(inFlight);
    const header = randomBytes(4096);
    const pending = await writer.finish(header);
    const expected = Buffer.concat([header, ...parts]);
    expect(pending.size).toBe(expected.length);
    await pending.publish('d/o');
    await area.close();
    expect((await readObject(objects, 'd/o'))?.equals(expected)).toBe(true);
  });

  it('fills a reserved prefix last, as a header that depends on the body', async () => {
    expect(await put(objects, 'x/y', Buffer.from('body'), Buffer.from('HEAD'))).toEqual({
      size: 8,
      created: true,
    });
    expect((await readObject(objects, 'x/y'))?.toString()).toBe('HEADbody');
    const writer = await (await objects.createPending()).create({ reserve: 4 });
    await expect(writer.finish(Buffer.from('toolong'))).rejects.toThrow();
    await writer.abort();
  });

  it('publishes a key once: a second publisher keeps the first bytes, unless it replaces them', async () => {
    expect((await put(objects, 'k', Buffer.from('first'))).created).toBe(true);
    expect((await put(objects, 'k', Buffer.from('second'))).created).toBe(false);
    expect((await readObject(objects, 'k'))?.toString()).toBe('first');
    expect((await put(objects, 'k', Buffer.from('third'), undefined, true)).created).toBe(true);
    expect((await readObject(objects, 'k'))?.toString()).toBe('third');
  });

  it('lists keys by prefix, sorted, and deletes idempotently', async () => {
    for (const key of ['sha256/bb/2', 'sha256/aa/1', 'sha256/aa/0', 'other/1'])
      await put(objects, key, Buffer.from(key));
    expect(await keysOf(objects, 'sha256/')).toEqual(['sha256/aa/0', 'sha256/aa/1', 'sha256/bb/2']);
    expect(await keysOf(objects, 'sha256/aa/')).toEqual(['sha256/aa/0', 'sha256/aa/1']);
    expect(await keysOf(objects, 'none/')).toEqual([]);
    await objects.delete('sha256/aa/1');
    await objects.delete('sha256/aa/1');
    await objects.delete('never/was');
    expect(await objects.get('sha256/aa/1')).toBeNull();
    expect(await keysOf(objects, 'sha256/')).toEqual(['sha256/aa/0', 'sha256/bb/2']);
  });

  it('drops what an aborted writer, a discarded object or a closed area held', async () => {
    const area = await objects.createPending();
    const aborted = await area.create();
    await aborted.append([Buffer.from('a')]);
    await aborted.abort();
    const discarded = await (await area.create()).finish();
    await discarded.discard();
    const unpublished = await area.create();
    await unpublished.append([Buffer.from('c')]);
    const left = await unpublished.finish();
    await area.close();
    await expect(left.publish('c')).rejects.toThrow();
    expect(await keysOf(objects, '')).toEqual([]);
  });

  it('sweeps pending areas a crash left behind', async () => {
    expect(await objects.sweepPending()).toBe(0);
    await objects.createPending();
    await objects.createPending();
    expect(await objects.sweepPending()).toBe(2);
    expect(await objects.sweepPending()).toBe(0);
  });

  it('overwrites in place only where it says it can', async () => {
    await put(objects, 'o', Buffer.from('0123456789'));
    if (!objects.overwritesInPlace) {
      expect(objects.overwrite).toBeUndefined();
      return;
    }
    expect(await objects.overwrite!('o', 2, Buffer.from('xy'))).toBe(true);
    expect((await readObject(objects, 'o'))?.toString()).toBe('01xy456789');
    expect(await objects.overwrite!('absent', 0, Buffer.from('x'))).toBe(false);
  });

  it('refuses keys that are not plain lowercase segments', async () => {
    for (const key of ['../x', '/abs', 'a//b', 'a/../b', 'A/b', 'a/.staging', '']) {
      await expect(objects.get(key)).rejects.toThrow();
      await expect(objects.delete(key)).rejects.toThrow();
    }
  });
});

describe('fs ObjectStore: what only a folder can show', () => {
  const dirs = tempDirs();
  afterEach(() => dirs.cleanup());

  it('lays objects out as files under root, pending ones under .staging, and overwrites through every link', async () => {
    const root = await dirs.make('warden-objects-');
    const objects = createFsObjectStore({ root });
    const area = await objects.createPending();
    const writer = await area.create();
    await writer.append([Buffer.from('abcdef')]);
    const pending = await writer.finish();
    expect((await readdir(join(root, '.staging'))).length).toBe(1);
    await pending.publish('sha256/ab/cd');
    await area.close();
    expect(await readdir(join(root, '.staging'))).toEqual([]);
    const file = join(root, 'sha256', 'ab', 'cd');
    expect((await readFile(file)).toString()).toBe('abcdef');
    // Dot-names (staging, markers) are no objects.
    expect(await keysOf(objects, '')).toEqual(['sha256/ab/cd']);
    const other = join(root, 'second-name');
    await link(file, other);
    await objects.overwrite!('sha256/ab/cd', 0, Buffer.from('XY'));
    expect((await readFile(other)).toString()).toBe('XYcdef');
  });
});

/** The encrypting BlobStore over a store that only moves bytes in memory: no file anywhere. */
describe.each([
  { name: 'in place', overwritesInPlace: true },
  { name: 'rewrite and publish', overwritesInPlace: false },
])('encrypting BlobStore over an in-memory ObjectStore ($name)', ({ overwritesInPlace }) => {
  const dirs = tempDirs();
  let objects: MemoryObjectStore;
  let keys: KeyProvider;
  let store: BlobStore;

  beforeEach(async () => {
    objects = createMemoryObjectStore({ overwritesInPlace });
    keys = await openLocalKeyProvider({ dataDir: await dirs.make('warden-keys-'), allowCreate: true });
    store = createEncryptingBlobStore(objects, keys);
  });
  afterEach(() => dirs.cleanup());

  it.each([0, 1, MiB - 1, MiB, MiB + 1, 3 * MiB + 7])(
    'round-trips %i bytes; only ciphertext reaches the backend',
    async (n) => {
      const data = Buffer.alloc(n, 'WARDEN-PLAINTEXT-');
      const pieces: Buffer[] = [];
      for (let at = 0; at < n; at += 300_001) pieces.push(data.subarray(at, at + 300_001));
      const staging = await store.createStaging();
      const blob = await staging.write(chunks(...pieces), { maxBytes: 1e9 });
      expect(blob).toEqual({ digest: sha256(data), size: n });
      expect(await store.stat(blob.digest)).toBeNull();
      expect(await staging.commit()).toEqual({ created: [blob.digest] });
      expect(objects.openAreas).toBe(0);
      const stored = objects.raw(blobKey(blob.digest))!;
      expect(stored.length).toBe(encryptedFileSize(n, MiB));
      if (n >= 64) expect(stored.includes(data.subarray(0, 64))).toBe(false);
      expect(await store.stat(blob.digest)).toEqual(blob);
      const { size, stream } = await store.openVerified(blob.digest);
      expect(size).toBe(n);
      expect((await readAll(stream)).equals(data)).toBe(true);
      expect(await store.verify(blob.digest)).toEqual(blob);
      expect(await hasEncryptedBlobs(objects)).toBe(true);
    },
  );

  it('deduplicates, refuses a wrong digest and a blob over the limit, leaving nothing pending', async () => {
    const digest = await storeBlob(store, Buffer.from('same'));
    const staging = await store.createStaging();
    await expect(
      staging.write(chunks('actual'), { maxBytes: 10, expectedDigest: sha256(Buffer.from('other')) }),
    ).rejects.toMatchObject({ code: 'digest_mismatch' });
    await expect(staging.write(chunks('12345', '6789'), { maxBytes: 8 })).rejects.toMatchObject({
      code: 'file_too_large',
    });
    await staging.write(chunks('same'), { maxBytes: 10 });
    expect(await staging.commit()).toEqual({ created: [] });
    expect(await keysOf(objects, '')).toEqual([blobKey(digest)]);
    expect(objects.openAreas).toBe(0);
  });

  it('detects a flipped byte, a truncation and a header copied to another name', async () => {
    const data = randomBytes(2 * MiB + 5);
    const digest = await storeBlob(store, data);
    const key = blobKey(digest);
    const original = Buffer.from(objects.raw(key)!);

    objects.raw(key)![HEADER_SIZE + MiB + TAG + 10]! ^= 1;
    const flipped = await readVerified(store, digest);
    expect(flipped.error).toMatchObject({ code: 'blob_integrity' });
    // The first chunk was authentic and may go out; nothing of the damaged one does.
    expect(flipped.emitted.length).toBeLessThanOrEqual(MiB);

    objects.setRaw(key, original.subarray(0, original.length - 1));
    expect((await readVerified(store, digest)).error).toMatchObject({ code: 'blob_integrity' });

    const otherDigest = await storeBlob(store, Buffer.from('other'));
    objects.setRaw(blobKey(otherDigest), original);
    expect((await readVerified(store, otherDigest)).error).toMatchObject({ code: 'blob_integrity' });
    await expect(store.stat(otherDigest)).rejects.toMatchObject({ code: 'blob_integrity' });
  });

  it('rotates keys over the port and shreds the data key on delete', async () => {
    const data = randomBytes(MiB + 3);
    const digest = await storeBlob(store, data);
    const before = (await kekUsage(objects)).usage;
    const oldKek = [...before.keys()][0]!;

    const rotated = await rotateKeys({ objects, keys });
    expect(rotated).toMatchObject({ rewrapped: 1, unchanged: 0, failed: [] });
    expect(await rewrapBlobs({ objects, keys })).toMatchObject({ rewrapped: 0, unchanged: 1 });
    expect([...(await kekUsage(objects)).usage.keys()]).toEqual([rotated.kekId]);
    await retireKek({ objects, keys }, oldKek);
    expect((await readVerified(store, digest)).emitted.equals(data)).toBe(true);

    // A reference kept to the stored bytes (another name, a backup) no longer holds a usable key after an
    // in-place shred; a store without in-place overwrite relies on its own deletion.
    const kept = objects.raw(blobKey(digest))!;
    await store.delete(digest);
    await store.delete(digest);
    expect(await store.stat(digest)).toBeNull();
    await expect(store.openVerified(digest)).rejects.toMatchObject({ code: 'blob_not_found' });
    if (overwritesInPlace) expect(kept.subarray(0, HEADER_SIZE).every((b) => b === 0)).toBe(true);
  });

  it('rejects invalid digests before touching the backend', async () => {
    for (const digest of ['../../etc/passwd', 'A'.repeat(64), 'abc']) {
      await expect(store.stat(digest)).rejects.toMatchObject({ code: 'invalid_digest' });
      await expect(store.openVerified(digest)).rejects.toMatchObject({ code: 'invalid_digest' });
      await expect(store.delete(digest)).rejects.toMatchObject({ code: 'invalid_digest' });
    }
  });
});
