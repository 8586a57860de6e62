// Filesystem steps of the fs blob store: streaming a blob into staging and placing it durably.
import { createHash } from 'node:crypto';
import { type FileHandle, link, mkdir, open, readdir, rename, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  blobTooLarge,
  isSha256Digest,
  type StagedBlob,
  type WriteOptions,
} from '../../modules/artifacts/index.js';

export const CHUNK = 1024 * 1024;
export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;

export function errCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
}

/** Makes a rename or link durable: the new directory entry survives a crash once this returns. */
export async function fsyncDir(dir: string): Promise<void> {
  // Windows cannot open a directory for fsync; NTFS journals the metadata change itself.
  if (process.platform === 'win32') return;
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function writeAll(fh: FileHandle, buf: Buffer, length: number): Promise<void> {
  let offset = 0;
  while (offset < length) {
    const { bytesWritten } = await fh.write(buf, offset, length - offset);
    offset += bytesWritten;
  }
}

/** Streams `source` into `file`, hashing and counting; a buffer of at most 1 MiB is held at any time. */
export async function streamToFile(
  source: AsyncIterable<Uint8Array>,
  file: string,
  options: WriteOptions,
): Promise<StagedBlob> {
  const fh = await open(file, 'wx', FILE_MODE);
  const hash = createHash('sha256');
  const pending = Buffer.allocUnsafe(CHUNK);
  let used = 0;
  let size = 0;
  try {
    for await (const piece of source) {
      const chunk = Buffer.isBuffer(piece)
        ? piece
        : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
      size += chunk.length;
      if (size > options.maxBytes) throw blobTooLarge(options.maxBytes);
      hash.update(chunk);
      options.onChunk?.(chunk);
      // Small network chunks are gathered into 1 MiB writes; large ones go straight to the file.
      if (used + chunk.length > CHUNK) {
        await writeAll(fh, pending, used);
        used = 0;
      }
      if (chunk.length >= CHUNK) {
        await writeAll(fh, chunk, chunk.length);
      } else {
        chunk.copy(pending, used);
        used += chunk.length;
      }
    }
    await writeAll(fh, pending, used);
    await fh.sync();
  } finally {
    await fh.close();
  }
  return { digest: hash.digest('hex'), size };
}

/** Places `staged` at `final` unless a blob already lives there; true when this call created it. */
export async function place(staged: string, final: string): Promise<boolean> {
  const fanOut = dirname(final);
  const made = await mkdir(fanOut, { recursive: true, mode: DIR_MODE });
  if (made !== undefined) {
    await fsyncDir(dirname(fanOut));
    await fsyncDir(dirname(dirname(fanOut)));
  }
  try {
    // link() refuses to replace an existing name, so of two uploads racing on the same bytes exactly one
    // reports the blob as created (rename would silently let both claim it).
    await link(staged, final);
  } catch (err) {
    const code = errCode(err);
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw err;
    if (await exists(final)) return false;
    await rename(staged, final);
  }
  await fsyncDir(fanOut);
  return true;
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (err) {
    if (errCode(err) === 'ENOENT') return false;
    throw err;
  }
}

/** Reads until `buf` is full or the file ends; returns how many bytes were read. */
export async function readFully(fh: FileHandle, buf: Buffer, position: number): Promise<number> {
  let got = 0;
  while (got < buf.length) {
    const { bytesRead } = await fh.read(buf, got, buf.length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got;
}

/** Every blob digest under `root`, from the `sha256/ab/cdef…` layout, sorted; other names are skipped. */
export async function* storedDigests(root: string): AsyncGenerator<string> {
  let fanOut: string[];
  try {
    fanOut = (await readdir(join(root, 'sha256'))).sort();
  } catch (err) {
    if (errCode(err) === 'ENOENT') return;
    throw err;
  }
  for (const dir of fanOut) {
    if (dir.length !== 2) continue;
    const names = await readdir(join(root, 'sha256', dir)).catch(() => [] as string[]);
    for (const name of names.sort()) if (isSha256Digest(dir + name)) yield dir + name;
  }
}
