import type { GatewayMetrics } from './gateway-metrics.port.js';
import type { GuardCall, InferenceGuard } from './guard-pipeline.js';
import type { InferRequest, ResponseTensor } from './infer-request.js';
import type { Tensor, TensorData } from './runtime.port.js';

/** A tensor as the buffer keeps it: numbers in a typed array (never a JS array of boxed numbers). */
export interface ObservedTensor {
  name: string;
  /** The V2 datatype (FP32, INT64, BYTES…) for outputs; the ONNX element type for inputs. */
  datatype: string;
  shape: number[];
  data: TensorData;
}

/** One successful request: what the model was given and what it answered (after every other guard). */
export interface Observation {
  /** Milliseconds since the epoch. */
  at: number;
  model: string;
  version: number;
  digest: string;
  /** The caller's request id (what delayed ground-truth labels name it by); null when the call had none. */
  requestId: string | null;
  inputs: ObservedTensor[];
  outputs: ObservedTensor[];
  /** What the buffer counts for it. */
  bytes: number;
}

export interface ObservationBufferOptions {
  /**
   * Bytes one deployment+digest ring may hold between two drains; once full it keeps a uniform sample of
   * the requests since the last drain (0: keep nothing).
   */
  maxBytes: number;
  /** Rings kept at once; the least recently written goes whole beyond it (default 64). */
  maxRings?: number;
  now?: () => number;
  /** Uniform in [0, 1): the sampling's draws (tests pass a seeded one). */
  random?: () => number;
  metrics?: Pick<GatewayMetrics, 'observationsDropped' | 'observationBytes'>;
}

// What the heap really holds beyond the numbers, measured on Node 20 (an iris observation: 1,242 bytes of
// heap for 36 bytes of data): the entry and its two lists, and per tensor its object, its shape array and
// a typed array with its ArrayBuffer. Counting only the data let a "4 MiB" ring hold over 20 MiB.
const entryOverhead = 200;
const tensorOverhead = 336;
const stringOverhead = 16;

function sizeOf(data: ObservedTensor['data']): number {
  if (Array.isArray(data)) return data.reduce((n, s) => n + stringOverhead + 2 * s.length, 0);
  return data.byteLength;
}

/** A view into a larger buffer (a binary request body) is copied, so the ring never pins that buffer. */
function ownBytes(data: Exclude<TensorData, string[]>): Exclude<TensorData, string[]> {
  return data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : data.slice();
}

function fromInput(name: string, tensor: Tensor): ObservedTensor {
  const { data } = tensor;
  return {
    name,
    datatype: tensor.type,
    shape: [...tensor.dims],
    data: Array.isArray(data) ? [...data] : ownBytes(data),
  };
}

function fromOutput(tensor: ResponseTensor): ObservedTensor {
  const { name, datatype, data } = tensor;
  const shape = [...tensor.shape];
  if (datatype === 'BYTES') return { name, datatype, shape, data: data.map(String) };
  if (datatype === 'BOOL') return { name, datatype, shape, data: Uint8Array.from(data, (v) => (v ? 1 : 0)) };
  // Filled in place: no intermediate array of boxed numbers per observation.
  const numbers =
    datatype === 'FP32' || datatype === 'FP16'
      ? new Float32Array(data.length)
      : new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    numbers[i] = typeof v === 'number' ? v : Number(v);
  }
  return { name, datatype, shape, data: numbers };
}

const bytesOf = (tensors: ObservedTensor[]) => {
  let n = 0;
  for (const t of tensors) n += tensorOverhead + 8 * t.shape.length + sizeOf(t.data);
  return n;
};

/**
 * One deployment+digest's observations since the last drain, with a running byte count. Until it is full
 * it keeps every request in arrival order; from then on it holds a uniform sample of all the requests
 * since the drain (Algorithm R, Vitter 1985): the n-th is kept with probability size/n in place of a random
 * one. The decision comes before the observation is built, so at high rates most requests cost the ring
 * nothing, and a kept observation lives until the next drain instead of being evicted young, which is what
 * promoted the hot path's garbage to the old generation (docs/gateway.md, tail latency).
 */
class Ring {
  items: Observation[] = [];
  bytes = 0;
  /** Requests offered since the last drain. */
  seen = 0;
  /** Set once a request did not fit: the ring samples from then on, and its order is no longer arrival order. */
  full = false;

  constructor(
    readonly model: string,
    readonly digest: string,
  ) {}

  /** Replaces the observation at `i`, returning it. */
  replace(i: number, o: Observation): Observation {
    const gone = this.items[i] as Observation;
    this.items[i] = o;
    this.bytes += o.bytes - gone.bytes;
    return gone;
  }

  /** Removes the observation at `i` (the last takes its place). */
  removeAt(i: number): void {
    const gone = this.items[i] as Observation;
    const lastItem = this.items.pop() as Observation;
    if (i < this.items.length) this.items[i] = lastItem;
    this.bytes -= gone.bytes;
  }

  /** Everything held, oldest first. */
  takeAll(): Observation[] {
    const all = this.items;
    // Array.prototype.sort is stable: equal times keep their order.
    if (this.full) all.sort((a, b) => a.at - b.at);
    this.items = [];
    this.bytes = 0;
    return all;
  }
}

/**
 * The gateway's observation buffer: for each deployment (model) and digest, a ring of the successful
 * requests' inputs and outputs since the monitor last drained it (all of them while they fit, then a
 * uniform sample of them), bounded in bytes, in memory only (the hot path never writes to disk). What is
 * not kept is counted, never silently lost. The monitoring module drains it.
 */
export function createObservationBuffer(options: ObservationBufferOptions) {
  const maxRings = options.maxRings ?? 64;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const metrics = options.metrics;
  // Insertion order is recency order: a ring written to is moved to the end.
  const rings = new Map<string, Ring>();
  // The ring written last is already last in `rings`: writing to it again moves nothing (no key is built).
  let last: Ring | null = null;
  let total = 0;
  let dropped = 0;

  const keyOf = (model: string, digest: string) => `${model}\0${digest}`;
  const drop = (model: string, count: number) => {
    if (count === 0) return;
    dropped += count;
    metrics?.observationsDropped(model, count);
  };

  /** The ring of a deployment+digest, made last in recency order (the least recent goes beyond maxRings). */
  function ringFor(model: string, digest: string): Ring {
    if (last?.model === model && last.digest === digest) return last;
    const key = keyOf(model, digest);
    let ring = rings.get(key);
    if (ring) rings.delete(key);
    else {
      ring = new Ring(model, digest);
      if (rings.size >= maxRings) {
        const [oldestKey, oldest] = rings.entries().next().value as [string, Ring];
        rings.delete(oldestKey);
        total -= oldest.bytes;
        drop(oldest.model, oldest.items.length);
      }
    }
    rings.set(key, ring);
    last = ring;
    return ring;
  }

  /** Keeps an observation the ring's sampling let in (`slot`: the sampled place, or -1 while not full). */
  function add(ring: Ring, observation: Observation, slot: number): void {
    const { bytes } = observation;
    if (bytes > options.maxBytes) {
      drop(ring.model, 1);
      return;
    }
    if (slot < 0 && ring.bytes + bytes <= options.maxBytes) {
      ring.items.push(observation);
      ring.bytes += bytes;
      total += bytes;
    } else {
      // The first request that does not fit starts the sampling: it is kept with probability size/seen.
      ring.full = true;
      const at = slot >= 0 ? slot : Math.floor(random() * ring.seen);
      if (at >= ring.items.length) {
        drop(ring.model, 1);
        return;
      }
      total -= ring.replace(at, observation).bytes;
      total += bytes;
      let evicted = 1;
      // A larger observation than the one it replaced: random others go until the ring fits again.
      while (ring.bytes > options.maxBytes && ring.items.length > 1) {
        let i = Math.floor(random() * ring.items.length);
        if (ring.items[i] === observation) i = (i + 1) % ring.items.length;
        const gone = ring.items[i] as Observation;
        ring.removeAt(i);
        total -= gone.bytes;
        evicted++;
      }
      drop(ring.model, evicted);
    }
    metrics?.observationBytes(total);
  }

  return {
    /** Keeps one successful request (its tensors are referenced, or copied when they view a larger buffer). */
    record(
      call: Pick<GuardCall, 'model' | 'version' | 'digest'> & { ctx: Pick<GuardCall['ctx'], 'requestId'> },
      request: InferRequest,
      outputs: ResponseTensor[],
    ) {
      if (options.maxBytes <= 0) return;
      const ring = ringFor(call.model, call.digest);
      ring.seen++;
      // Sampling decides before anything is built: most requests at high rates cost the ring nothing.
      let slot = -1;
      if (ring.full) {
        slot = Math.floor(random() * ring.seen);
        if (slot >= ring.items.length) {
          drop(call.model, 1);
          return;
        }
      }
      const inputs: ObservedTensor[] = [];
      for (const name in request.inputs) inputs.push(fromInput(name, request.inputs[name] as Tensor));
      const observed = outputs.map(fromOutput);
      const requestId = call.ctx.requestId;
      add(
        ring,
        {
          at: now(),
          model: call.model,
          version: call.version,
          digest: call.digest,
          requestId,
          inputs,
          outputs: observed,
          bytes:
            entryOverhead +
            (requestId === null ? 0 : stringOverhead + 2 * requestId.length) +
            bytesOf(inputs) +
            bytesOf(observed),
        },
        slot,
      );
    },
    /**
     * Takes every observation held for a deployment (all its digests), oldest first within a digest; they
     * leave the buffer.
     */
    drain(model: string): Observation[] {
      const out: Observation[] = [];
      for (const [key, ring] of rings) {
        if (ring.model !== model) continue;
        total -= ring.bytes;
        for (const o of ring.takeAll()) out.push(o);
        rings.delete(key);
        if (ring === last) last = null;
      }
      metrics?.observationBytes(total);
      return out;
    },
    /** Bytes held now, observations dropped so far (all deployments). */
    stats: () => ({ bytes: total, dropped, rings: rings.size }),
  };
}

export type ObservationBuffer = ReturnType<typeof createObservationBuffer>;

/**
 * The guard that fills the buffer: last in the gateway's list, so it sees what the caller receives (after
 * redaction and coarsening) and only requests every other guard let through.
 */
export function observationGuard(buffer: Pick<ObservationBuffer, 'record'>): InferenceGuard {
  return {
    name: 'observe',
    afterRun(call, request, outputs) {
      buffer.record(call, request, outputs);
      return undefined;
    },
  };
}
