import { appendFile, mkdir, open, readFile, rename, stat, truncate, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLocalKeyProvider } from '../../src/adapters/kms/local-key-provider.js';
import {
  encodeHeader,
  encodePrefix,
  HEADER_SIZE,
  parseHeader,
  TAG,
  wrapAad,
} from '../../src/modules/artifacts/envelope-format.js';
import type { BlobStore } from '../../src/modules/artifacts/index.js';
import { createEncryptedFsBlobStore } from '../fixtures/fs-blob-stores.js';
import {
  blobFile,
  chunks,
  filesUnder,
  MiB,
  readVerified,
  sha256,
  storeBlob,
  tempDirs,
} from './blob-helpers.js';

const SEALED = MiB + TAG;
const chunkAt = (i: number) => HEADER_SIZE + i * SEALED;

/** 3.5 MiB whose every 1 MiB chunk is distinct, so which chunks were emitted can be told apart. */
function pattern(): Buffer {
  const data = Buffer.alloc(3 * MiB + MiB / 2);
  for (let i = 0; i < data.length; i++) data[i] = (i >> 20) * 50 + (i % 7);
  return data;
}

async function rewrite(file: string, edit: (bytes: Buffer) => Buffer): Promise<void> {
  const bytes = await readFile(file);
  const fh = await open(file, 'w');
  await fh.writeFile(edit(bytes));
  await fh.close();
}

describe('encrypted fs blob store: tampering is detected and nothing unverified is served', () => {
  const dirs = tempDirs();
  let root: string;
  let store: BlobStore;
  let keys: Awaited<ReturnType<typeof openLocalKeyProvider>>;
  let data: Buffer;
  let digest: string;
  let file: string;

  beforeEach(async () => {
    root = await dirs.make('warden-enc-');
    keys = await openLocalKeyProvider({ dataDir: await dirs.make('warden-keys-'), allowCreate: true });
    store = createEncryptedFsBlobStore({ root, keys });
    data = pattern();
    digest = await storeBlob(store, data);
    file = blobFile(root, digest);
  });
  afterEach(() => dirs.cleanup());

  it('never writes plaintext to disk, not even while staged', async () => {
    // A recognisable 3 MiB pattern: any 64-byte window of it must be absent from every stored file.
    const secret = Buffer.alloc(3 * MiB);
    for (let i = 0; i < secret.length; i++) secret[i] = 'WARDEN-PLAINTEXT-'.charCodeAt(i % 17);
    const staging = await store.createStaging();
    const staged = await staging.write(chunks(secret), { maxBytes: 1e9 });
    const probes = [0, MiB, 2 * MiB + 5, secret.length - 64].map((at) => secret.subarray(at, at + 64));
    const scan = async () => {
      const files = await filesUnder(root);
      expect(files.length).toBeGreaterThan(0);
      for (const f of files) {
        const bytes = await readFile(f);
        for (const probe of probes) expect(bytes.includes(probe)).toBe(false);
      }
    };
    await scan();
    await staging.commit();
    await scan();
    expect((await readVerified(store, staged.digest)).emitted.equals(secret)).toBe(true);
  });

  it('a flipped byte in a chunk: blob_integrity, and no byte of that chunk or after it is emitted', async () => {
    const fh = await open(file, 'r+');
    const at = chunkAt(2) + 1000;
    const byte = Buffer.alloc(1);
    await fh.read(byte, 0, 1, at);
    await fh.write(Buffer.from([byte[0]! ^ 0x80]), 0, 1, at);
    await fh.close();
    const { emitted, error } = await readVerified(store, digest);
    expect(error).toMatchObject({ code: 'blob_integrity', kind: 'integrity' });
    expect(emitted.equals(data.subarray(0, 2 * MiB))).toBe(true);
    await expect(store.verify(digest)).rejects.toMatchObject({ code: 'blob_integrity' });
  });

  it('a flipped byte in the first chunk is refused before a stream is handed out', async () => {
    await rewrite(file, (b) => {
      b[chunkAt(0) + 10] = b[chunkAt(0) + 10]! ^ 1;
      return b;
    });
    expect(store.releasesOnlyVerifiedBytes).toBe(true);
    await expect(store.openVerified(digest)).rejects.toMatchObject({ code: 'blob_integrity' });
  });

  it('a flipped tag byte of the final chunk: the final chunk is withheld', async () => {
    const size = (await stat(file)).size;
    await rewrite(file, (b) => {
      b[size - 1] = b[size - 1]! ^ 1;
      return b;
    });
    const { emitted, error } = await readVerified(store, digest);
    expect(error).toMatchObject({ code: 'blob_integrity' });
    expect(emitted.length).toBe(3 * MiB);
  });

  it('a dropped chunk is detected', async () => {
    await rewrite(file, (b) => Buffer.concat([b.subarray(0, chunkAt(1)), b.subarray(chunkAt(2))]));
    expect((await readVerified(store, digest)).error).toMatchObject({ code: 'blob_integrity' });
  });

  it('two swapped chunks are detected before either is emitted', async () => {
    await rewrite(file, (b) =>
      Buffer.concat([
        b.subarray(0, chunkAt(1)),
        b.subarray(chunkAt(2), chunkAt(3)),
        b.subarray(chunkAt(1), chunkAt(2)),
        b.subarray(chunkAt(3)),
      ]),
    );
    const { emitted, error } = await readVerified(store, digest);
    expect(error).toMatchObject({ code: 'blob_integrity' });
    expect(emitted.equals(data.subarray(0, MiB))).toBe(true);
  });

  it('a truncated final chunk, a dropped final chunk and appended bytes are detected', async () => {
    const size = (await stat(file)).size;
    await appendFile(file, Buffer.alloc(TAG));
    expect((await readVerified(store, digest)).error).toMatchObject({ code: 'blob_integrity' });
    await truncate(file, size - 10);
    expect((await readVerified(store, digest)).error).toMatchObject({ code: 'blob_integrity' });
    await truncate(file, chunkAt(3));
    expect((await readVerified(store, digest)).error).toMatchObject({ code: 'blob_integrity' });
    await truncate(file, 0);
    expect((await readVerified(store, digest)).error).toMatchObject({ code: 'blob_integrity' });
  });

  it('a blob moved under another digest does not decrypt', async () => {
    const other = await storeBlob(store, Buffer.from('another blob'));
    await rename(file, blobFile(root, other));
    expect((await readVerified(store, other)).error).toMatchObject({ code: 'blob_integrity' });
    // Even with the header's digest field rewritten to match its new name, its wrapped key refuses to open.
    await rewrite(blobFile(root, other), (b) => {
      Buffer.from(other, 'hex').copy(b, 28);
      return b;
    });
    const { emitted, error } = await readVerified(store, other);
    expect(error).toMatchObject({ code: 'blob_integrity' });
    expect(emitted.length).toBe(0);
  });

  it('an altered header size field is refused before anything is emitted', async () => {
    await rewrite(file, (b) => {
      b.writeBigUInt64BE(BigInt(data.length - 1), 12);
      return b;
    });
    const { emitted, error } = await readVerified(store, digest);
    expect(error).toMatchObject({ code: 'blob_integrity' });
    expect(emitted.length).toBe(0);
  });

  it("a byte written into the header's zero padding is refused before anything is emitted", async () => {
    await rewrite(file, (b) => {
      b[HEADER_SIZE - 1] = 0x5a;
      return b;
    });
    const { emitted, error } = await readVerified(store, digest);
    expect(error).toMatchObject({ code: 'blob_integrity' });
    expect(emitted.length).toBe(0);
  });

  it('an altered wrapped data key is refused as blob_integrity', async () => {
    await rewrite(file, (b) => {
      b[60 + 4 + 16 + 2 + 20] = b[60 + 4 + 16 + 2 + 20]! ^ 1;
      return b;
    });
    const { error } = await readVerified(store, digest);
    // The slot checksum no longer matches either, so the header has no usable key slot left.
    expect(error).toMatchObject({ code: 'blob_integrity' });
  });

  it('trusts the key holder on download, and verify() re-hashes: a blob re-labelled with the KEK', async () => {
    // Only someone holding the key-encryption key can bind a data key to another digest: here the blob's
    // key is unwrapped and wrapped again for the name of other bytes. Downloads take each chunk's tag as
    // proof (the module README says why that is enough without the KEK); verify() still re-hashes.
    const other = sha256(Buffer.from('other bytes'));
    const bytes = await readFile(file);
    const header = parseHeader(bytes.subarray(0, HEADER_SIZE))!;
    const slot = header.slots[0]!;
    const dek = await keys.unwrap(slot.kekId, slot.wrapped, wrapAad(header.prefix));
    const prefix = encodePrefix({ ...header, digest: other });
    const { kekId, wrapped } = await keys.wrap(dek, wrapAad(prefix));
    const forged = blobFile(root, other);
    await mkdir(dirname(forged), { recursive: true });
    await writeFile(
      forged,
      Buffer.concat([encodeHeader(prefix, { generation: 1, kekId, wrapped }), bytes.subarray(HEADER_SIZE)]),
    );
    expect((await readVerified(store, other)).emitted.equals(data)).toBe(true);
    await expect(store.verify(other)).rejects.toMatchObject({ code: 'blob_integrity' });
  });

  it('gives each blob its own data key: equal bytes stored twice differ on disk', async () => {
    const root2 = await dirs.make('warden-enc2-');
    const keys2 = await openLocalKeyProvider({ dataDir: await dirs.make('warden-keys-'), allowCreate: true });
    const store2 = createEncryptedFsBlobStore({ root: root2, keys: keys2 });
    await storeBlob(store2, data);
    const a = await readFile(file);
    const b = await readFile(join(root2, 'sha256', digest.slice(0, 2), digest.slice(2)));
    expect(a.subarray(HEADER_SIZE, HEADER_SIZE + 64).equals(b.subarray(HEADER_SIZE, HEADER_SIZE + 64))).toBe(
      false,
    );
    expect(sha256(data)).toBe(digest);
  });
});
