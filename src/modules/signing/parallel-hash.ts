import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { modelPathNotFound, modelSpecialFile, modelSymlink } from '../manifest/index.js';
import { modelChangedWhileHashing } from './signing-errors.js';

/** One byte range to hash; `end` -1 means to the end of the file. */
export interface HashTask {
  path: string;
  start: number;
  end: number;
  /** Expected bytes, for scheduling only (`end - start` when `end` is set; the file's size when it is -1). */
  size?: number;
}

/** A task's expected bytes, for scheduling (unknown counts as 0). */
const expectedBytes = (t: HashTask) => (t.end >= 0 ? t.end - t.start : (t.size ?? 0));

/**
 * Task indexes, largest first: the pool finishes when its last task does, so the big ones start at once
 * and the small ones fill in (4 files of 100, 10, 10, 10 MiB in order would leave one core idle).
 */
function largestFirst(tasks: readonly HashTask[]): number[] {
  return tasks
    .map((_, i) => i)
    .sort((a, b) => expectedBytes(tasks[b] as HashTask) - expectedBytes(tasks[a] as HashTask) || a - b);
}

export interface RangeDigest {
  /** Lowercase hex. */
  digest: string;
  /** Bytes hashed. */
  size: number;
}

export interface HashRangesOptions {
  /** Node hash name, e.g. sha256 or blake2b512. */
  algorithm: string;
  /** Worker threads to use; defaults to os.availableParallelism(). */
  workers?: number;
  /** Called with the bytes hashed so far across all tasks. */
  onProgress?(bytesDone: number): void;
}

// Plain CommonJS run with `eval: true`, so the same pool works from tsx, vitest and the compiled dist
// without resolving a worker file; no inherited execArgv (an --input-type=module or a loader would
// change how the source is read, and slow every start). Each worker reuses two 4 MiB buffers: the next
// read runs on libuv's pool while this thread hashes the previous one (a lone worker then hashes at
// SHA-256 speed, not read + hash in turn), and memory is workers × 8 MiB whatever the model's size.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const CHUNK = 4 * 1024 * 1024;
const PROGRESS_EVERY = 32 * 1024 * 1024;
const bufs = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
const FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW || 0) | (fs.constants.O_NONBLOCK || 0);
const readAt = (fd, buf, length, position) =>
  length <= 0
    ? Promise.resolve(0)
    : new Promise((resolve, reject) =>
        fs.read(fd, buf, 0, length, position, (err, n) => (err ? reject(err) : resolve(n))));
parentPort.on('message', async (t) => {
  let fd = -1;
  let pending = Promise.resolve(0);
  try {
    fd = fs.openSync(t.path, FLAGS);
    if (!fs.fstatSync(fd).isFile()) throw Object.assign(new Error('not a regular file'), { code: 'ESPECIAL' });
    const hash = createHash(t.algorithm);
    const end = t.end < 0 ? Number.POSITIVE_INFINITY : t.end;
    let pos = t.start;
    let reported = 0;
    let current = 0;
    pending = readAt(fd, bufs[0], Math.min(CHUNK, end - pos), pos);
    for (;;) {
      const n = await pending;
      if (n === 0) break;
      const filled = bufs[current];
      pos += n;
      current ^= 1;
      pending = readAt(fd, bufs[current], Math.min(CHUNK, end - pos), pos);
      hash.update(filled.subarray(0, n));
      if (pos - t.start - reported >= PROGRESS_EVERY) {
        parentPort.postMessage({ id: t.id, progress: pos - t.start - reported });
        reported = pos - t.start;
      }
    }
    if (t.end >= 0 && pos < t.end) throw Object.assign(new Error('file shrank'), { code: 'ESHORT' });
    parentPort.postMessage({ id: t.id, digest: hash.digest('hex'), size: pos - t.start, progress: pos - t.start - reported });
  } catch (e) {
    parentPort.postMessage({ id: t.id, error: { code: e.code, message: e.message } });
  } finally {
    // A read still running when an error struck must finish before its descriptor is closed.
    await pending.catch(() => 0);
    if (fd >= 0) fs.closeSync(fd);
  }
});
`;

interface WorkerReply {
  id: number;
  progress?: number;
  digest?: string;
  size?: number;
  error?: { code?: string; message: string };
}

function toError(path: string, error: { code?: string; message: string }): Error {
  if (error.code === 'ELOOP') return modelSymlink(path);
  if (error.code === 'ESPECIAL') return modelSpecialFile(path);
  if (error.code === 'ENOENT') return modelPathNotFound(path);
  if (error.code === 'ESHORT') return modelChangedWhileHashing(path);
  return Object.assign(new Error(`${path}: ${error.message}`), { code: error.code });
}

/** A sensible pool size: one worker per core, but no more workers than tasks. */
export function defaultWorkers(tasks: number): number {
  return Math.max(1, Math.min(availableParallelism(), tasks));
}

/**
 * Hashes byte ranges on a pool of worker threads and returns the digests in task order; tasks are handed
 * out largest first. At most one task per worker is in flight, so memory stays bounded by the pool size
 * whatever the model's size.
 */
export async function hashRanges(
  tasks: readonly HashTask[],
  options: HashRangesOptions,
): Promise<RangeDigest[]> {
  if (tasks.length === 0) return [];
  const size = Math.max(1, Math.min(options.workers ?? availableParallelism(), tasks.length));
  const results: RangeDigest[] = new Array(tasks.length);
  const workers: Worker[] = [];
  const order = largestFirst(tasks);
  let next = 0;
  let done = 0;
  let bytesDone = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      const fail = (err: Error) => {
        if (!failed) {
          failed = true;
          reject(err);
        }
      };
      const dispatch = (worker: Worker) => {
        if (failed || next >= tasks.length) return;
        const id = order[next++] as number;
        const task = tasks[id] as HashTask;
        worker.postMessage({
          id,
          path: task.path,
          start: task.start,
          end: task.end,
          algorithm: options.algorithm,
        });
      };
      for (let i = 0; i < size; i++) {
        const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [] });
        workers.push(worker);
        worker.on('error', fail);
        worker.on('message', (reply: WorkerReply) => {
          if (reply.progress) {
            bytesDone += reply.progress;
            options.onProgress?.(bytesDone);
          }
          if (reply.error) return fail(toError((tasks[reply.id] as HashTask).path, reply.error));
          if (reply.digest === undefined) return;
          results[reply.id] = { digest: reply.digest, size: reply.size ?? 0 };
          if (++done === tasks.length) resolve();
          else dispatch(worker);
        });
        dispatch(worker);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
