// Writing large files past the page cache (O_DIRECT, Linux), with buffered writes wherever that is refused.
//
// Why: a pull writes hundreds of MiB once and only flushes them. On a VM whose page-cache pages are
// faulted in from the host, copying them into the page cache costs more CPU than hashing them
// (bench/README.md, "Push and pull, round 5"); a direct write lets the disk read the buffer itself. On a
// bare-metal host the gain is smaller (the copy costs about 0.1 s per 512 MiB) and the file is not left in
// the page cache, so whoever reads it next reads it from the disk. Only local block filesystems are
// written this way (network ones would pay a round trip per write). The server's blob staging file is not
// written this way: measured, the next pull of the blob then reads it from the disk and pays the page
// cache there, and a server's page cache is what serves repeated pulls.
import { constants, type FileHandle, open, statfs } from 'node:fs/promises';
import path from 'node:path';

/**
 * Offsets and lengths of direct writes are multiples of this: 4 KiB covers every logical block size in
 * common use (512 B and 4 KiB); the buffers' addresses are page-aligned (see alignedBuffers).
 */
export const DIRECT_BLOCK = 4096;
const WASM_PAGE = 64 * 1024;

const O_DIRECT: number | undefined = process.platform === 'linux' ? constants.O_DIRECT : undefined;

// The one WebAssembly API used here; the project's lib (ES2023, no DOM) does not declare it as a value.
interface WasmMemoryApi {
  Memory: new (descriptor: { initial: number; maximum: number }) => { buffer: ArrayBuffer };
}
const wasm = (globalThis as { WebAssembly?: WasmMemoryApi }).WebAssembly;

export interface AlignedBuffers {
  buffers: Buffer[];
  /** False when no aligned memory could be had: direct writes are then not tried. */
  aligned: boolean;
}

/**
 * `count` buffers of `size` bytes (a multiple of DIRECT_BLOCK) whose memory starts on a page boundary.
 *
 * Node cannot allocate aligned memory: a Buffer comes from malloc (16-byte alignment, EINVAL for
 * O_DIRECT). A WebAssembly.Memory does: V8 reserves it from the OS page allocator, so its first byte is on
 * a page, and slices at multiples of 4 KiB stay aligned. No specification promises that, so the writers
 * below treat a refused direct write (EINVAL) as "not aligned after all" and write buffered instead; the
 * bytes are right either way. Without WebAssembly (--jitless) or memory for it, plain buffers are
 * returned and marked unaligned.
 */
export function alignedBuffers(count: number, size: number): AlignedBuffers {
  if (size % DIRECT_BLOCK !== 0) throw new RangeError(`aligned buffers are multiples of ${DIRECT_BLOCK}`);
  if (O_DIRECT !== undefined && wasm) {
    try {
      const pages = Math.ceil((count * size) / WASM_PAGE);
      const memory = new wasm.Memory({ initial: pages, maximum: pages });
      const buffers = Array.from({ length: count }, (_, i) => Buffer.from(memory.buffer, i * size, size));
      return { buffers, aligned: true };
    } catch {
      // No room for a wasm memory: buffered writes.
    }
  }
  return { buffers: Array.from({ length: count }, () => Buffer.allocUnsafeSlow(size)), aligned: false };
}

/**
 * Local block filesystems (statfs magic numbers): ext2/3/4, XFS, Btrfs, F2FS. Anywhere else the page cache
 * is kept: a network filesystem (NFS, SMB, Ceph, 9p, virtiofs, FUSE) turns each direct write into a
 * synchronous round trip, tmpfs refuses it or ignores it, and overlay and ZFS pass it on in ways that
 * differ by version.
 */
const LOCAL_BLOCK_FILESYSTEMS: ReadonlySet<number> = new Set([0xef53, 0x58465342, 0x9123683e, 0xf2f52010]);

/** Whether direct writes are tried on a filesystem of this statfs type. */
export function directWritesSuit(fsType: number): boolean {
  return LOCAL_BLOCK_FILESYSTEMS.has(fsType);
}

/** Opens the second, direct descriptor of a file; replaceable in tests (a filesystem that refuses it). */
export type OpenDirect = (path: string) => Promise<FileHandle>;

const openDirectDefault: OpenDirect = (file) =>
  open(file, constants.O_WRONLY | constants.O_NOFOLLOW | (O_DIRECT ?? 0));

/** Positional writes to one file, direct where the kernel takes them, buffered otherwise. */
export interface PositionalWriter {
  /** Whether writes still go past the page cache (false from the first refusal on). */
  readonly direct: boolean;
  /**
   * Writes `buf[0, length)` at `position`. When `position` is block-aligned and `buf` (from alignedBuffers)
   * has room, a `length` that is not a whole number of blocks is written padded to the next block with
   * whatever `buf` holds past `length`: end() cuts the file back, so only the last write of a file may be
   * short. Writes may run concurrently at distinct positions.
   */
  write(buf: Buffer, length: number, position: number): Promise<void>;
  /** Cuts the file to `size` (the padding of a short direct write) without flushing; call it once, last. */
  end(size: number): Promise<void>;
  /** Closes the direct descriptor (the caller closes its own). */
  close(): Promise<void>;
}

/**
 * Adds a direct descriptor to `handle`, a file the caller opened (and created, with its own flags: the
 * create is never retried with O_DIRECT, as a filesystem that refuses O_DIRECT at open may already have
 * made the file). The path is opened again, so it must be in a folder nobody else writes to (a private
 * staging folder). Only on a local block filesystem (directWritesSuit; `openDirect`, given by tests, skips
 * that check). Every refusal (no O_DIRECT on this platform, EINVAL at open on old tmpfs, EINVAL at a
 * write: alignment) falls back to `handle` with buffered writes; other errors are the caller's.
 */
export async function directWriter(
  file: string,
  handle: FileHandle,
  options: { aligned: boolean; openDirect?: OpenDirect },
): Promise<PositionalWriter> {
  let direct: FileHandle | null = null;
  if (O_DIRECT !== undefined && options.aligned && (options.openDirect || (await onLocalBlockFs(file)))) {
    direct = await (options.openDirect ?? openDirectDefault)(file).catch(() => null);
  }
  const opened = direct;
  let padded = false;
  return {
    get direct() {
      return direct !== null;
    },
    async write(buf, length, position) {
      const span = Math.ceil(length / DIRECT_BLOCK) * DIRECT_BLOCK;
      if (direct && position % DIRECT_BLOCK === 0 && span <= buf.length) {
        try {
          await writeAll(direct, buf, span, position);
          if (span !== length) padded = true;
          return;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EINVAL') throw err;
          // Refused (alignment): from now on, and for this write, the page cache. A write already under
          // way on the direct descriptor finishes there; the two descriptors write distinct ranges.
          direct = null;
        }
      }
      await writeAll(handle, buf, length, position);
    },
    async end(size) {
      if (padded) await handle.truncate(size);
    },
    async close() {
      await opened?.close();
    },
  };
}

async function onLocalBlockFs(file: string): Promise<boolean> {
  try {
    return directWritesSuit((await statfs(path.dirname(file))).type);
  } catch {
    return false;
  }
}

async function writeAll(fh: FileHandle, buf: Buffer, length: number, position: number): Promise<void> {
  let offset = 0;
  while (offset < length)
    offset += (await fh.write(buf, offset, length - offset, position + offset)).bytesWritten;
}
