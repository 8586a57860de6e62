import { createHash } from 'node:crypto';
import { mkdir, open, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BlobStore } from '../../src/modules/artifacts/index.js';
import {
  blobBackends,
  blobFile,
  chunks,
  MiB,
  readAll,
  readVerified,
  sha256,
  storeBlob,
  tempDirs,
} from '../encryption/blob-helpers.js';

describe.each(blobBackends)('BlobStore contract: $name', (backend) => {
  const dirs = tempDirs();
  let root: string;
  let store: BlobStore;
  const stagingEntries = async (): Promise<string[]> => {
    const areas = await readdir(join(root, '.staging'));
    const inside = await Promise.all(areas.map((area) => readdir(join(root, '.staging', area))));
    return inside.flat();
  };

  beforeEach(async () => {
    root = await dirs.make('warden-blobs-');
    store = await backend.open(root, dirs);
  });
  afterEach(() => dirs.cleanup());

  it('round-trips bytes through staging, commit and a verified read', async () => {
    const staging = await store.createStaging();
    const seen: number[] = [];
    const blob = await staging.write(chunks('hello ', 'world'), {
      maxBytes: 100,
      onChunk: (c) => seen.push(c.length),
    });
    expect(blob).toEqual({ digest: sha256(Buffer.from('hello world')), size: 11 });
    expect(seen).toEqual([6, 5]);
    expect(await store.stat(blob.digest)).toBeNull();
    expect(await staging.commit()).toEqual({ created: [blob.digest] });
    expect(await store.stat(blob.digest)).toEqual(blob);
    const { size, stream } = await store.openVerified(blob.digest);
    expect(size).toBe(11);
    expect((await readAll(stream)).toString()).toBe('hello world');
    expect(await store.verify(blob.digest)).toEqual(blob);
    expect(await readdir(join(root, '.staging'))).toEqual([]);
  });

  it.each([0, 1, MiB - 1, MiB, MiB + 1, 3 * MiB])('round-trips %i bytes exactly', async (n) => {
    const data = Buffer.alloc(n);
    for (let i = 0; i < n; i++) data[i] = (i * 31 + 7) & 0xff;
    // Odd-sized pieces so chunk boundaries never line up with the source's.
    const pieces: Buffer[] = [];
    for (let at = 0; at < n; at += 300_001) pieces.push(data.subarray(at, at + 300_001));
    const staging = await store.createStaging();
    const blob = await staging.write(chunks(...pieces), { maxBytes: 1e9 });
    await staging.commit();
    expect(blob).toEqual({ digest: sha256(data), size: n });
    expect(await store.stat(blob.digest)).toEqual(blob);
    const { emitted, error } = await readVerified(store, blob.digest);
    expect(error).toBeNull();
    expect(emitted.equals(data)).toBe(true);
  });

  it('deduplicates: committing stored bytes again creates nothing', async () => {
    const first = await store.createStaging();
    const { digest } = await first.write(chunks('same'), { maxBytes: 10 });
    await first.commit();
    const second = await store.createStaging();
    await second.write(chunks('sa', 'me'), { maxBytes: 10 });
    await second.write(chunks('same'), { maxBytes: 10 });
    expect(await second.commit()).toEqual({ created: [] });
    expect(await store.stat(digest)).toEqual({ digest, size: 4 });
    expect((await readVerified(store, digest)).emitted.toString()).toBe('same');
  });

  it('commits only the digests asked for', async () => {
    const staging = await store.createStaging();
    const a = await staging.write(chunks('a'), { maxBytes: 10 });
    const b = await staging.write(chunks('b'), { maxBytes: 10 });
    expect(await staging.commit([b.digest])).toEqual({ created: [b.digest] });
    expect(await store.stat(a.digest)).toBeNull();
  });

  it('keeps staged blobs invisible and drops them on discard', async () => {
    const staging = await store.createStaging();
    const { digest } = await staging.write(chunks('secret'), { maxBytes: 10 });
    expect(await store.stat(digest)).toBeNull();
    await expect(store.openVerified(digest)).rejects.toMatchObject({ code: 'blob_not_found' });
    await staging.discard();
    expect(await readdir(join(root, '.staging'))).toEqual([]);
    expect(await store.stat(digest)).toBeNull();
  });

  it('stops at maxBytes mid-stream and leaves no temp file', async () => {
    const staging = await store.createStaging();
    const write = staging.write(chunks('12345', '67890', 'abc'), { maxBytes: 8 });
    await expect(write).rejects.toMatchObject({ code: 'file_too_large', kind: 'too_large' });
    expect(await stagingEntries()).toEqual([]);
  });

  it('leaves nothing when the source fails halfway (client disconnect)', async () => {
    const staging = await store.createStaging();
    async function* broken(): AsyncGenerator<Uint8Array> {
      yield Buffer.alloc(2 * MiB, 1);
      throw new Error('socket hang up');
    }
    await expect(staging.write(broken(), { maxBytes: 1e9 })).rejects.toThrow('socket hang up');
    expect(await stagingEntries()).toEqual([]);
  });

  it('refuses bytes that do not match the declared digest', async () => {
    const staging = await store.createStaging();
    const write = staging.write(chunks('actual'), {
      maxBytes: 10,
      expectedDigest: sha256(Buffer.from('other')),
    });
    await expect(write).rejects.toMatchObject({ code: 'digest_mismatch', kind: 'invalid' });
    expect(await stagingEntries()).toEqual([]);
    const ok = await staging.write(chunks('other'), {
      maxBytes: 10,
      expectedDigest: sha256(Buffer.from('other')),
    });
    expect(ok.size).toBe(5);
  });

  it('detects a flipped byte on read and on verify, without naming the file path', async () => {
    const digest = await storeBlob(store, Buffer.alloc(3 * MiB, 7));
    const file = blobFile(root, digest);
    const fh = await open(file, 'r+');
    const at = Math.floor((await stat(file)).size / 2);
    const byte = Buffer.alloc(1);
    await fh.read(byte, 0, 1, at);
    await fh.write(Buffer.from([byte[0]! ^ 0x01]), 0, 1, at);
    await fh.close();

    const { error } = await readVerified(store, digest);
    expect(error).toMatchObject({ code: 'blob_integrity', kind: 'integrity' });
    expect((error as Error).message).not.toContain(root);
    await expect(store.verify(digest)).rejects.toMatchObject({ code: 'blob_integrity' });
  });

  it('rejects invalid digests before touching the filesystem', async () => {
    const bad = ['../../etc/passwd', 'A'.repeat(64), 'abc', `${'a'.repeat(63)}/`, `../${'a'.repeat(61)}`];
    for (const digest of bad) {
      await expect(store.stat(digest)).rejects.toMatchObject({ code: 'invalid_digest' });
      await expect(store.openVerified(digest)).rejects.toMatchObject({ code: 'invalid_digest' });
      await expect(store.delete(digest)).rejects.toMatchObject({ code: 'invalid_digest' });
      await expect(store.verify(digest)).rejects.toMatchObject({ code: 'invalid_digest' });
    }
    const staging = await store.createStaging();
    const write = staging.write(chunks('x'), { maxBytes: 10, expectedDigest: 'A'.repeat(64) });
    await expect(write).rejects.toMatchObject({ code: 'invalid_digest' });
    await expect(staging.commit(['../x'])).rejects.toMatchObject({ code: 'invalid_digest' });
  });

  it('deletes blobs, idempotently', async () => {
    const digest = await storeBlob(store, Buffer.from('gone'));
    await store.delete(digest);
    await store.delete(digest);
    expect(await store.stat(digest)).toBeNull();
    await expect(store.openVerified(digest)).rejects.toMatchObject({ code: 'blob_not_found' });
  });

  it('sweeps staging areas left behind by a crash', async () => {
    expect(await store.sweepStaging()).toBe(0);
    await store.createStaging();
    await mkdir(join(root, '.staging', 'left-over'), { recursive: true });
    await writeFile(join(root, '.staging', 'left-over', 'x.part'), 'partial');
    expect(await store.sweepStaging()).toBe(2);
    expect(await readdir(join(root, '.staging'))).toEqual([]);
  });

  it('streams 64 MiB in and out without holding it in memory', async () => {
    const piece = Buffer.alloc(64 * 1024);
    const expected = createHash('sha256');
    async function* big(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 1024; i++) {
        piece.fill(i % 251);
        expected.update(piece);
        yield piece;
      }
    }
    const before = process.memoryUsage().rss;
    const staging = await store.createStaging();
    const blob = await staging.write(big(), { maxBytes: 64 * MiB });
    await staging.commit();
    const { stream } = await store.openVerified(blob.digest);
    const back = createHash('sha256');
    for await (const part of stream) back.update(part);
    const growth = process.memoryUsage().rss - before;
    expect(blob).toEqual({ digest: expected.digest('hex'), size: 64 * MiB });
    expect(back.digest('hex')).toBe(blob.digest);
    expect(growth).toBeLessThan(48 * MiB);
  });
});
