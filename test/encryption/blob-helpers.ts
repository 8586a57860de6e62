import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLocalKeyProvider } from '../../src/adapters/kms/local-key-provider.js';
import type { BlobStore } from '../../src/modules/artifacts/index.js';
import type { KeyProvider } from '../../src/modules/keys/index.js';
import { createEncryptedFsBlobStore, createFsBlobStore } from '../fixtures/fs-blob-stores.js';

export const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
export const MiB = 1024 * 1024;

export async function* chunks(...parts: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield typeof part === 'string' ? Buffer.from(part) : part;
}

export async function readAll(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part);
  return Buffer.concat(parts);
}

/** Reads a blob through openVerified: what was emitted before any error, and the error (from open or stream). */
export async function readVerified(
  store: BlobStore,
  digest: string,
): Promise<{ emitted: Buffer; error: unknown }> {
  const parts: Buffer[] = [];
  try {
    const { stream } = await store.openVerified(digest);
    for await (const part of stream) parts.push(part);
    return { emitted: Buffer.concat(parts), error: null };
  } catch (error) {
    return { emitted: Buffer.concat(parts), error };
  }
}

export async function storeBlob(store: BlobStore, data: Buffer): Promise<string> {
  const staging = await store.createStaging();
  const { digest } = await staging.write(chunks(data), { maxBytes: 1e10 });
  await staging.commit();
  return digest;
}

export const blobFile = (root: string, digest: string) =>
  join(root, 'sha256', digest.slice(0, 2), digest.slice(2));

/** Every regular file under `dir`, recursively. */
export async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

export interface TempDirs {
  make(prefix: string): Promise<string>;
  cleanup(): Promise<void>;
}
export function tempDirs(): TempDirs {
  const made: string[] = [];
  return {
    async make(prefix) {
      const dir = await mkdtemp(join(tmpdir(), prefix));
      made.push(dir);
      return dir;
    },
    async cleanup() {
      for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface BlobBackend {
  name: string;
  open(root: string, dirs: TempDirs): Promise<BlobStore>;
}

/** Every BlobStore implementation; the contract suite runs against each. */
export const blobBackends: BlobBackend[] = [
  { name: 'fs (plaintext)', open: async (root) => createFsBlobStore({ root }) },
  {
    name: 'fs (encrypted, local keys)',
    open: async (root, dirs) => {
      const keys: KeyProvider = await openLocalKeyProvider({
        dataDir: await dirs.make('warden-keys-'),
        allowCreate: true,
      });
      return createEncryptedFsBlobStore({ root, keys });
    },
  },
];
