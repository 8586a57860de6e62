import type { ModelRuntime, Session, Tensor, TensorData, TensorMeta } from './runtime.port.js';

/**
 * Dynamic batching (what Triton's dynamic batcher does), for models whose rows are independent: the runs
 * asked of one session in the same event-loop turn (a keep-alive server reads several sockets per turn) are
 * coalesced into one run of the rows laid end to end, and each caller gets its own rows of every output
 * back. A run of the runtime costs a fixed part (the call into the native session, its scheduling, the
 * kernels' start) that a small model like iris pays per request; batched, it is paid once per turn.
 *
 * Written here rather than taken from a library: the queue is per session, flushed by one setImmediate (the
 * tick in which ONNX Runtime's own binding would run it), and the only work is concatenating and slicing
 * typed arrays; no package does this for onnxruntime-node sessions.
 *
 * Only where it cannot change an answer:
 * - the operator opted the model in (its rows must not see each other: no normalisation across the batch,
 *   no sequence models whose first dimension is time);
 * - every input and output is a tensor whose first dimension is symbolic (the batch) and whose rank is
 *   known; otherwise the session is used as it is;
 * - runs are grouped by what they ask (the outputs named, and each input's type and shape past the first
 *   dimension), and a request whose inputs disagree on their row count runs alone;
 * - when a batched run fails, or answers an output whose first dimension is not the rows sent, each request
 *   of the batch runs alone, so one bad request never fails the others.
 */

export interface BatchingOptions {
  /** Most rows one batched run sends (a request with more runs alone). */
  maxRows: number;
}

interface Pending {
  inputs: Record<string, Tensor>;
  outputs: readonly string[] | undefined;
  rows: number;
  resolve(value: Record<string, Tensor>): void;
  reject(err: unknown): void;
}

type Results = Record<string, Tensor>;

/** True when every input and output has a known rank and a symbolic first dimension. */
export function batchable(session: {
  inputs: readonly TensorMeta[];
  outputs: readonly TensorMeta[];
}): boolean {
  const ok = (m: TensorMeta) =>
    m.type !== 'non-tensor' && m.shape !== null && m.shape.length > 0 && m.shape[0] === null;
  return session.inputs.length > 0 && session.inputs.every(ok) && session.outputs.every(ok);
}

/** The rows of a request (the first dimension all its inputs share), or -1 when they do not share one. */
function rowsOf(inputs: Record<string, Tensor>): number {
  let rows = -1;
  for (const name in inputs) {
    const dims = (inputs[name] as Tensor).dims;
    const n = dims.length > 0 ? (dims[0] as number) : -1;
    if (n < 0 || (rows !== -1 && n !== rows)) return -1;
    rows = n;
  }
  return rows;
}

/** What runs may share a batch: the outputs asked for, and each input's name, type and trailing dims. */
function keyOf(p: Pending): string {
  let key = p.outputs ? p.outputs.join('\u0000') : '*';
  for (const name in p.inputs) {
    const t = p.inputs[name] as Tensor;
    key += `\u0001${name}\u0002${t.type}\u0002${t.dims.slice(1).join(',')}`;
  }
  return key;
}

/** The tensors of several requests laid end to end along the first dimension. */
function concat(parts: readonly Tensor[], rows: number): Tensor {
  const first = parts[0] as Tensor;
  const dims = [rows, ...first.dims.slice(1)];
  if (Array.isArray(first.data)) {
    const data: string[] = [];
    for (const p of parts) for (const s of p.data as string[]) data.push(s);
    return { type: first.type, dims, data };
  }
  let length = 0;
  for (const p of parts) length += p.data.length;
  const Ctor = first.data.constructor as new (n: number) => Exclude<TensorData, string[]>;
  const data = new Ctor(length);
  let at = 0;
  for (const p of parts) {
    (data as unknown as { set(a: ArrayLike<unknown>, at: number): void }).set(
      p.data as ArrayLike<unknown>,
      at,
    );
    at += p.data.length;
  }
  return { type: first.type, dims, data };
}

/** Rows [from, from + rows) of a tensor whose first dimension is the batch (a view: no copy). */
function rowsSlice(t: Tensor, total: number, from: number, rows: number): Tensor {
  const per = total === 0 ? 0 : t.data.length / total;
  const data = Array.isArray(t.data)
    ? t.data.slice(from * per, (from + rows) * per)
    : (t.data as Exclude<TensorData, string[]>).subarray(from * per, (from + rows) * per);
  return { type: t.type, dims: [rows, ...t.dims.slice(1)], data: data as TensorData };
}

/** A session whose runs of one event-loop turn are coalesced (see above); `session` when it is not batchable. */
export function batchedSession(session: Session, options: BatchingOptions): Session {
  if (!batchable(session) || session.chat || session.prepare) return session;
  let queue: Pending[] = [];
  let scheduled = false;

  const alone = (p: Pending) => {
    session.run(p.inputs, p.outputs).then(p.resolve, p.reject);
  };

  async function runBatch(batch: Pending[]) {
    const first = batch[0] as Pending;
    let total = 0;
    for (const p of batch) total += p.rows;
    let results: Results;
    try {
      // Building the feeds is inside the try too: whatever fails, each request runs alone, and nothing is
      // left as an unhandled rejection of the flush.
      const feeds: Results = {};
      for (const name in first.inputs)
        feeds[name] = concat(
          batch.map((p) => p.inputs[name] as Tensor),
          total,
        );
      results = await session.run(feeds, first.outputs);
    } catch {
      for (const p of batch) alone(p);
      return;
    }
    for (const name in results) {
      const t = results[name] as Tensor;
      if (t.dims[0] !== total || (total > 0 && t.data.length % total !== 0)) {
        for (const p of batch) alone(p);
        return;
      }
    }
    let from = 0;
    for (const p of batch) {
      const own: Results = {};
      for (const name in results) own[name] = rowsSlice(results[name] as Tensor, total, from, p.rows);
      from += p.rows;
      p.resolve(own);
    }
  }

  function flush() {
    scheduled = false;
    const taken = queue;
    queue = [];
    if (taken.length === 1) return alone(taken[0] as Pending);
    const groups = new Map<string, Pending[]>();
    for (const p of taken) {
      if (p.rows < 0 || p.rows >= options.maxRows) {
        alone(p);
        continue;
      }
      const key = keyOf(p);
      const group = groups.get(key);
      if (group) group.push(p);
      else groups.set(key, [p]);
    }
    for (const group of groups.values()) {
      let batch: Pending[] = [];
      let rows = 0;
      for (const p of group) {
        if (rows + p.rows > options.maxRows) {
          void runOrAlone(batch);
          batch = [];
          rows = 0;
        }
        batch.push(p);
        rows += p.rows;
      }
      void runOrAlone(batch);
    }
  }

  const runOrAlone = (batch: Pending[]) =>
    batch.length === 1 ? alone(batch[0] as Pending) : runBatch(batch);

  return {
    inputs: session.inputs,
    outputs: session.outputs,
    ...(session.platform ? { platform: session.platform } : {}),
    run(inputs, outputs) {
      return new Promise<Results>((resolve, reject) => {
        queue.push({ inputs, outputs, rows: rowsOf(inputs), resolve, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
    release: () => session.release(),
  };
}

/** A runtime whose sessions batch (see `batchedSession`); every other call goes to `runtime`. */
export function batchingRuntime(runtime: ModelRuntime, options: BatchingOptions): ModelRuntime {
  return {
    platform: runtime.platform,
    accepts: (format) => runtime.accepts(format),
    load: async (files) => batchedSession(await runtime.load(files), options),
  };
}
