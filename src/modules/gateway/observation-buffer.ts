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
  /** Bytes one deployment+digest ring may hold; the oldest observations go first (0: keep nothing). */
  maxBytes: number;
  /** Rings kept at once; the least recently written goes whole beyond it (default 64). */
  maxRings?: number;
  now?: () => number;
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

interface RingEntry {
  model: string;
  digest: string;
  ring: Ring;
}

/** A first-in, first-out queue of observations with a running byte count. */
class Ring {
  private items: Observation[] = [];
  private head = 0;
  bytes = 0;

  push(o: Observation): void {
    this.items.push(o);
    this.bytes += o.bytes;
  }

  shift(): Observation | undefined {
    const o = this.items[this.head];
    if (!o) return undefined;
    this.items[this.head] = undefined as unknown as Observation;
    this.head++;
    this.bytes -= o.bytes;
    // Compacted now and then, so a long-lived ring does not keep a growing run of empty slots.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return o;
  }

  takeAll(): Observation[] {
    const all = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    this.bytes = 0;
    return all;
  }

  get size(): number {
    return this.items.length - this.head;
  }
}

/**
 * The gateway's observation buffer: for each deployment (model) and digest, a ring of the latest
 * successful requests' inputs and outputs, bounded in bytes, in memory only (the hot path never writes to
 * disk). What falls out is counted, never silently lost. The monitoring module drains it.
 */
export function createObservationBuffer(options: ObservationBufferOptions) {
  const maxRings = options.maxRings ?? 64;
  const now = options.now ?? Date.now;
  const metrics = options.metrics;
  // Insertion order is recency order: a ring written to is moved to the end.
  const rings = new Map<string, RingEntry>();
  // The ring written last is already last in `rings`: writing to it again moves nothing (no key is built).
  let last: RingEntry | null = null;
  let total = 0;
  let dropped = 0;

  const keyOf = (model: string, digest: string) => `${model}\0${digest}`;
  const drop = (model: string, count: number) => {
    if (count === 0) return;
    dropped += count;
    metrics?.observationsDropped(model, count);
  };

  function add(observation: Observation): void {
    const { model, bytes } = observation;
    if (bytes > options.maxBytes) {
      drop(model, 1);
      return;
    }
    let entry: RingEntry | undefined = last ?? undefined;
    if (entry?.model !== model || entry.digest !== observation.digest) {
      const key = keyOf(model, observation.digest);
      entry = rings.get(key);
      if (entry) rings.delete(key);
      else {
        entry = { model, digest: observation.digest, ring: new Ring() };
        if (rings.size >= maxRings) {
          const [oldestKey, oldest] = rings.entries().next().value as [string, RingEntry];
          rings.delete(oldestKey);
          total -= oldest.ring.bytes;
          drop(oldest.model, oldest.ring.size);
        }
      }
      rings.set(key, entry);
      last = entry;
    }
    const { ring } = entry;
    let evicted = 0;
    while (ring.bytes + bytes > options.maxBytes) {
      const gone = ring.shift();
      if (!gone) break;
      total -= gone.bytes;
      evicted++;
    }
    drop(model, evicted);
    ring.push(observation);
    total += bytes;
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
      const inputs: ObservedTensor[] = [];
      for (const name in request.inputs) inputs.push(fromInput(name, request.inputs[name] as Tensor));
      const observed = outputs.map(fromOutput);
      const requestId = call.ctx.requestId;
      add({
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
      });
    },
    /**
     * Takes every observation held for a deployment (all its digests), oldest first within a digest; they
     * leave the buffer.
     */
    drain(model: string): Observation[] {
      const out: Observation[] = [];
      for (const [key, entry] of rings) {
        if (entry.model !== model) continue;
        total -= entry.ring.bytes;
        out.push(...entry.ring.takeAll());
        rings.delete(key);
        if (entry === last) last = null;
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
