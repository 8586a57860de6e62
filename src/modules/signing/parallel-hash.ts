import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { hashFileHere, modelPathNotFound, modelSpecialFile, modelSymlink } from '../manifest/index.js';
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
  /** Hashing threads, the calling thread included; defaults to os.availableParallelism(). */
  workers?: number;
  /** Called with the bytes hashed so far across all tasks. */
  onProgress?(bytesDone: number): void;
}

// Plain CommonJS run with `eval: true`, so the same pool works from tsx, vitest and the compiled dist
// without resolving a worker file; no inherited execArgv (an --input-type=module or a loader would
// change how the source is read, and slow every start). Workers take tasks from a shared counter (no round
// trip per task) and hash them as `hashFileHere` does on the calling thread: synchronous 256 KiB reads into
// one reused buffer, so the hash reads bytes still in this core's cache (see hash-file-here.ts for the
// measurements); memory is 256 KiB per thread whatever the model's size. Control words: [0] the next
// index into `order`, [1] set to 1 to stop every thread (a task failed).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const { tasks, order, algorithm } = workerData;
const control = new Int32Array(workerData.control);
const CHUNK = 256 * 1024;
const PROGRESS_EVERY = 32 * 1024 * 1024;
const buf = Buffer.allocUnsafe(CHUNK);
const FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW || 0) | (fs.constants.O_NONBLOCK || 0);
function hashOne(id, t) {
  const fd = fs.openSync(t.path, FLAGS);
  try {
    if (!fs.fstatSync(fd).isFile()) throw Object.assign(new Error('not a regular file'), { code: 'ESPECIAL' });
    const hash = createHash(algorithm);
    const end = t.end < 0 ? Number.POSITIVE_INFINITY : t.end;
    let pos = t.start;
    let reported = t.start;
    while (pos < end) {
      const n = fs.readSync(fd, buf, 0, Math.min(CHUNK, end - pos), pos);
      if (n === 0) break;
      pos += n;
      hash.update(n === CHUNK ? buf : buf.subarray(0, n));
      if (pos - reported >= PROGRESS_EVERY) {
        parentPort.postMessage({ id, progress: pos - reported });
        reported = pos;
      }
      if (Atomics.load(control, 1) !== 0) return;
    }
    if (t.end >= 0 && pos < t.end) throw Object.assign(new Error('file shrank'), { code: 'ESHORT' });
    parentPort.postMessage({ id, digest: hash.digest('hex'), size: pos - t.start, progress: pos - reported });
  } finally {
    fs.closeSync(fd);
  }
}
for (;;) {
  if (Atomics.load(control, 1) !== 0) break;
  const next = Atomics.add(control, 0, 1);
  if (next >= order.length) break;
  const id = order[next];
  try {
    hashOne(id, tasks[id]);
  } catch (e) {
    Atomics.store(control, 1, 1);
    parentPort.postMessage({ id, error: { code: e.code, message: e.message } });
    break;
  }
}
parentPort.postMessage({ idle: true });
`;

interface WorkerReply {
  id: number;
  idle?: boolean;
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

/** A sensible pool size: one hashing thread per core, but no more threads than tasks. */
export function defaultWorkers(tasks: number): number {
  return Math.max(1, Math.min(availableParallelism(), tasks));
}

/** A system error (open, read) raised on this thread, reported as a worker's would be. */
function hereError(path: string, err: unknown): Error {
  if (!(err instanceof Error)) return new Error(String(err));
  const { code, syscall } = err as NodeJS.ErrnoException;
  if (syscall === undefined) return err;
  return toError(path, { message: err.message, ...(code ? { code } : {}) });
}

/**
 * Hashes byte ranges on `workers` threads and returns the digests in task order; tasks are handed out
 * largest first from a shared counter. The calling thread is one of them: it hashes with synchronous reads
 * (`hashFileHere`, yielding every 32 MiB), so this is for a command-line process, not a server's event
 * loop; `workers - 1` worker threads are started once and take tasks until none is left (one task: no
 * worker at all). Memory is 256 KiB of buffer per thread whatever the model's size.
 */
export async function hashRanges(
  tasks: readonly HashTask[],
  options: HashRangesOptions,
): Promise<RangeDigest[]> {
  if (tasks.length === 0) return [];
  const threads = Math.max(1, Math.min(options.workers ?? availableParallelism(), tasks.length));
  const order = largestFirst(tasks);
  const control = new Int32Array(new SharedArrayBuffer(8));
  const results: (RangeDigest | undefined)[] = tasks.map(() => undefined);
  let failure: Error | undefined;
  const fail = (err: Error) => {
    failure ??= err;
    Atomics.store(control, 1, 1);
  };
  let bytesDone = 0;
  const progress = (bytes: number) => {
    if (bytes <= 0) return;
    bytesDone += bytes;
    options.onProgress?.(bytesDone);
  };
  const workers: Worker[] = [];
  const idle: Promise<void>[] = [];
  const workerData = {
    tasks: tasks.map((t) => ({ path: t.path, start: t.start, end: t.end })),
    order,
    algorithm: options.algorithm,
    control: control.buffer,
  };
  try {
    for (let i = 1; i < threads; i++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData });
      workers.push(worker);
      idle.push(
        new Promise<void>((resolve) => {
          worker.on('error', (err) => {
            fail(err);
            resolve();
          });
          worker.on('exit', () => resolve());
          worker.on('message', (reply: WorkerReply) => {
            if (reply.progress) progress(reply.progress);
            if (reply.error) fail(toError((tasks[reply.id] as HashTask).path, reply.error));
            else if (reply.digest !== undefined)
              results[reply.id] = { digest: reply.digest, size: reply.size ?? 0 };
            if (reply.idle) resolve();
          });
        }),
      );
    }
    // This thread takes tasks from the same counter while the workers start and run.
    const stopped = () => Atomics.load(control, 1) !== 0;
    while (!stopped()) {
      const next = Atomics.add(control, 0, 1);
      if (next >= order.length) break;
      const id = order[next] as number;
      const task = tasks[id] as HashTask;
      let reported = 0;
      try {
        const d = await hashFileHere(task.path, {
          algorithm: options.algorithm,
          start: task.start,
          end: task.end,
          onProgress: (bytes) => {
            progress(bytes - reported);
            reported = bytes;
          },
          stopped,
        });
        if (stopped()) break;
        if (task.end >= 0 && d.size < task.end - task.start) throw modelChangedWhileHashing(task.path);
        results[id] = d;
      } catch (err) {
        fail(hereError(task.path, err));
      }
    }
    await Promise.all(idle);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  if (failure) throw failure;
  const missing = results.indexOf(undefined);
  if (missing >= 0)
    throw new Error(`${(tasks[missing] as HashTask).path}: a hashing thread stopped without an answer`);
  return results as RangeDigest[];
}
