import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SqliteDatabase from 'better-sqlite3';

/**
 * WAL checkpoints of the embedded SQLite file, run from a worker thread instead of the server's event loop.
 *
 * Why: better-sqlite3 answers synchronously, and in WAL mode the connection that commits when the log has
 * passed `wal_autocheckpoint` pages (1,000 by default, about 4 MiB) copies the log into the database and
 * syncs it inside that commit: a monitor window written at a busy gateway held the loop 15 ms that way
 * (docs/gateway.md, tail latency). A second connection on a worker thread runs `wal_checkpoint(PASSIVE)`
 * every `everyMs` (it never waits for readers or writers, and they never wait for it), so the log stays
 * small and the serving connection's own threshold, raised to `fallbackPages`, is only a safety net.
 *
 * Fails safe: if the worker cannot open the file or dies, the serving connection gets its default
 * threshold back and checkpoints in its commits as before. Hand-written: a timer and a pragma on a second
 * connection; no package does this for better-sqlite3.
 */
export interface WalCheckpointerOptions {
  /** Milliseconds between checkpoints (default 1,000). */
  everyMs?: number;
  /** The serving connection's own threshold while the worker runs (default 16,384 pages, 64 MiB). */
  fallbackPages?: number;
}

export interface WalCheckpointer {
  /** Resolves once the worker has its connection open (false: it could not, and the fallback is in force). */
  readonly ready: Promise<boolean>;
  /** Checkpoints the worker has run. */
  checkpoints(): number;
  stop(): Promise<void>;
}

/** SQLite's default `wal_autocheckpoint`, restored on the serving connection when the worker is gone. */
export const defaultAutocheckpointPages = 1000;

// Evaluated as CommonJS in the worker: no worker file to resolve from dist/ or from tsx, no execArgv.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
try {
  db = new Database(workerData.file, { fileMustExist: true });
  db.pragma('busy_timeout = 1000');
} catch (err) {
  parentPort.postMessage({ type: 'failed', message: String(err && err.message) });
  process.exit(1);
}
parentPort.postMessage({ type: 'ready' });
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ type: 'checkpoint' });
  } catch {
    // Busy or locked: the next tick tries again; the serving connection's threshold is the safety net.
  }
}, workerData.everyMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

const driverPath = createRequire(import.meta.url).resolve('better-sqlite3');

/** Starts checkpointing `file` (the database `serving` has open in WAL mode) from a worker thread. */
export function startWalCheckpointer(
  serving: SqliteDatabase.Database,
  file: string,
  options: WalCheckpointerOptions = {},
): WalCheckpointer {
  const everyMs = options.everyMs ?? 1000;
  serving.pragma(`wal_autocheckpoint = ${options.fallbackPages ?? 16_384}`);
  let count = 0;
  let stopped = false;
  let exited = false;
  const restore = () => {
    if (stopped || !serving.open) return;
    serving.pragma(`wal_autocheckpoint = ${defaultAutocheckpointPages}`);
  };
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    execArgv: [],
    workerData: { driver: driverPath, file, everyMs },
  });
  worker.unref();
  let settle: (ok: boolean) => void = () => {};
  const ready = new Promise<boolean>((resolve) => {
    settle = resolve;
  });
  worker.on('message', (message: { type: string }) => {
    if (message.type === 'ready') settle(true);
    else if (message.type === 'checkpoint') count++;
    else if (message.type === 'failed') settle(false);
  });
  worker.on('error', () => {
    settle(false);
    restore();
  });
  const gone = new Promise<void>((resolve) =>
    worker.on('exit', () => {
      exited = true;
      settle(false);
      restore();
      resolve();
    }),
  );
  return {
    ready,
    checkpoints: () => count,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (exited) return;
      worker.postMessage('stop');
      // A worker stuck in a checkpoint is not waited for past a second.
      const timeout = setTimeout(() => void worker.terminate(), 1000);
      await gone;
      clearTimeout(timeout);
    },
  };
}
