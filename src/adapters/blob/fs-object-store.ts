// The ObjectStore port on a local folder: `root/<key>` files, pending objects under `root/.staging/`.
// Bytes only: what they mean (digests, envelope encryption) is the artifacts module's business.
import { randomUUID } from 'node:crypto';
import { constants, type FileHandle, link, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ObjectReader, ObjectStore, PendingArea, PendingObject } from '../../modules/artifacts/index.js';

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

async function writeAt(fh: FileHandle, buf: Buffer, position: number): Promise<void> {
  let offset = 0;
  while (offset < buf.length) {
    const { bytesWritten } = await fh.write(buf, offset, buf.length - offset, position + offset);
    offset += bytesWritten;
  }
}

/** Writes the pieces back to back from `position`: one writev, then plain writes for what a short one left. */
async function writeAllAt(fh: FileHandle, pieces: readonly Buffer[], position: number): Promise<void> {
  let written = (await fh.writev(pieces as Buffer[], position)).bytesWritten;
  let at = position;
  for (const piece of pieces) {
    const done = Math.min(written, piece.length);
    written -= done;
    if (done < piece.length) await writeAt(fh, piece.subarray(done), at + done);
    at += piece.length;
  }
}

const KEY = /^[a-z0-9]+(\/[a-z0-9]+)*$/;
const STAGING = '.staging';

/** An object store in the folder `root` (e.g. `<dataDir>/blobs`). */
export function createFsObjectStore(options: { root: string }): ObjectStore {
  const { root } = options;
  const stagingRoot = join(root, STAGING);
  const pathOf = (key: string): string => {
    // Keys come from the artifacts module, already validated; this guard keeps a path from leaving root.
    if (!KEY.test(key)) throw new Error(`invalid object key ${JSON.stringify(key)}`);
    return join(root, ...key.split('/'));
  };

  /** Places `temp` at `final` unless something lives there (or replaces it); true when it did. */
  async function place(temp: string, final: string, replace: boolean): Promise<boolean> {
    const fanOut = dirname(final);
    const made = await mkdir(fanOut, { recursive: true, mode: DIR_MODE });
    // Every directory mkdir created is made durable in its parent, up to root.
    for (let dir = made === undefined ? null : fanOut; dir && dir.length > root.length; dir = dirname(dir)) {
      await fsyncDir(dirname(dir));
      if (dir === made) break;
    }
    if (replace) await rename(temp, final);
    else {
      try {
        // link() refuses to replace an existing name, so of two uploads racing on the same bytes exactly one
        // reports the object as created (rename would silently let both claim it).
        await link(temp, final);
      } catch (err) {
        const code = errCode(err);
        if (code === 'EEXIST') return false;
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw err;
        if (await exists(final)) return false;
        await rename(temp, final);
      }
    }
    await fsyncDir(fanOut);
    return true;
  }

  async function createPending(): Promise<PendingArea> {
    const dir = join(stagingRoot, randomUUID());
    await mkdir(dir, { recursive: true, mode: DIR_MODE });
    return {
      async create(createOptions) {
        const reserve = createOptions?.reserve ?? 0;
        const temp = join(dir, `${randomUUID()}.part`);
        const fh = await open(temp, 'wx', FILE_MODE);
        let position = reserve;
        let open_ = true;
        const closeOnce = async () => {
          if (open_) {
            open_ = false;
            await fh.close();
          }
        };
        return {
          async append(pieces) {
            const at = position;
            position += pieces.reduce((n, piece) => n + piece.length, 0);
            await writeAllAt(fh, pieces, at);
          },
          async finish(prefix): Promise<PendingObject> {
            if ((prefix?.length ?? 0) !== reserve) throw new Error('prefix does not fill the reserved bytes');
            try {
              if (prefix && prefix.length > 0) await writeAt(fh, prefix, 0);
              await fh.sync();
            } finally {
              await closeOnce();
            }
            const size = position;
            return {
              size,
              publish: (key, publishOptions) => place(temp, pathOf(key), publishOptions?.replace === true),
              discard: () => rm(temp, { force: true }),
            };
          },
          async abort() {
            await closeOnce();
            await rm(temp, { force: true });
          },
        };
      },
      close: () => rm(dir, { recursive: true, force: true }),
    };
  }

  return {
    overwritesInPlace: true,
    createPending,

    async sweepPending() {
      let entries: string[];
      try {
        entries = await readdir(stagingRoot);
      } catch (err) {
        if (errCode(err) === 'ENOENT') return 0;
        throw err;
      }
      for (const entry of entries) await rm(join(stagingRoot, entry), { recursive: true, force: true });
      return entries.length;
    },

    async get(key): Promise<ObjectReader | null> {
      let fh: FileHandle;
      try {
        fh = await open(pathOf(key), constants.O_RDONLY);
      } catch (err) {
        if (errCode(err) === 'ENOENT' || errCode(err) === 'ENOTDIR') return null;
        throw err;
      }
      let size: number;
      try {
        const st = await fh.stat();
        // A directory under an object's name opens on POSIX but cannot be read: it is no object.
        if (!st.isFile()) {
          await fh.close();
          return null;
        }
        size = st.size;
      } catch (err) {
        await fh.close();
        throw err;
      }
      return {
        size,
        async read(offset, length, into) {
          const want = Math.max(0, Math.min(length, size - offset));
          if (into && into.length < want) throw new RangeError('read buffer smaller than the length asked');
          const buf = into ? into.subarray(0, want) : Buffer.allocUnsafe(want);
          const got = await readFully(fh, buf, offset);
          return got === buf.length ? buf : buf.subarray(0, got);
        },
        close: () => fh.close(),
      };
    },

    async *list(prefix) {
      yield* walk(root, '', prefix);
    },

    async delete(key) {
      await rm(pathOf(key), { force: true });
    },

    async overwrite(key, offset, bytes) {
      let fh: FileHandle;
      try {
        fh = await open(pathOf(key), 'r+');
      } catch (err) {
        if (errCode(err) === 'ENOENT') return false;
        throw err;
      }
      try {
        await writeAt(fh, bytes, offset);
        await fh.sync();
        return true;
      } finally {
        await fh.close();
      }
    },
  };
}

/** Keys under `dir` (named `base`), sorted, skipping dot-names (staging, markers) and what `prefix` excludes. */
async function* walk(dir: string, base: string, prefix: string): AsyncGenerator<string> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (errCode(err) === 'ENOENT' || errCode(err) === 'ENOTDIR') return;
    throw err;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || !KEY.test(entry.name)) continue;
    const key = base ? `${base}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (prefix.startsWith(`${key}/`) || `${key}/`.startsWith(prefix))
        yield* walk(join(dir, entry.name), key, prefix);
    } else if (key.startsWith(prefix)) yield key;
  }
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
