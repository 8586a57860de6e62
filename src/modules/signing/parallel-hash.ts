import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { modelPathNotFound, modelSpecialFile, modelSymlink } from '../manifest/index.js';
import { modelChangedWhileHashing } from './signing-errors.js';

/** One byte range to hash; `end` -1 means to the end of the file. */
export interface HashTask {
  path: string;
  start: number;
  end: number;
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
// change how the source is read, and slow every start). Each worker reuses one 1 MiB buffer: memory is workers × 1 MiB.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const CHUNK = 1024 * 1024;
const PROGRESS_EVERY = 32 * CHUNK;
const buf = Buffer.allocUnsafe(CHUNK);
const FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW || 0) | (fs.constants.O_NONBLOCK || 0);
parentPort.on('message', (t) => {
  let fd = -1;
  try {
    fd = fs.openSync(t.path, FLAGS);
    if (!fs.fstatSync(fd).isFile()) throw Object.assign(new Error('not a regular file'), { code: 'ESPECIAL' });
    const hash = createHash(t.algorithm);
    const end = t.end < 0 ? Number.POSITIVE_INFINITY : t.end;
    let pos = t.start;
    let reported = 0;
    while (pos < end) {
      const n = fs.readSync(fd, buf, 0, Math.min(CHUNK, end - pos), pos);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
      pos += n;
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
 * Hashes byte ranges on a pool of worker threads and returns the digests in task order. At most one task
 * per worker is in flight, so memory stays bounded by the pool size whatever the model's size.
 */
export async function hashRanges(
  tasks: readonly HashTask[],
  options: HashRangesOptions,
): Promise<RangeDigest[]> {
  if (tasks.length === 0) return [];
  const size = Math.max(1, Math.min(options.workers ?? availableParallelism(), tasks.length));
  const results: RangeDigest[] = new Array(tasks.length);
  const workers: Worker[] = [];
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
        const id = next++;
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
