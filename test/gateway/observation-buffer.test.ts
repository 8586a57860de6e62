import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createPromMetrics } from '../../src/adapters/metrics/prom-metrics.js';
import {
  createObservationBuffer,
  type InferRequest,
  observationGuard,
  type ResponseTensor,
} from '../../src/modules/gateway/index.js';
import { seeded } from '../fixtures/iris-traffic.js';

const request = (value: number, width = 4): InferRequest => ({
  id: null,
  parameters: null,
  outputs: null,
  rows: 1,
  inputs: { x: { type: 'float32', dims: [1, width], data: new Float32Array(width).fill(value) } },
});
const outputs: ResponseTensor[] = [
  { name: 'label', datatype: 'INT64', shape: [1], data: [2] },
  { name: 'probabilities', datatype: 'FP32', shape: [1, 3], data: [0.1, 0.2, 0.7] },
  { name: 'text', datatype: 'BYTES', shape: [1], data: ['ok'] },
];
const call = (model: string, digest = 'sha256:aa', version = 1, requestId: string | null = null) => ({
  model,
  digest,
  version,
  ctx: { requestId },
});

/** The value an observation's input was filled with (request(value)). */
const firstValue = (o: { inputs: { data: unknown }[] }) =>
  (o.inputs[0]?.data as Float32Array | undefined)?.[0] ?? -1;

describe('observation buffer', () => {
  it('keeps numbers as typed arrays and drains per deployment, oldest first', () => {
    const buffer = createObservationBuffer({ maxBytes: 64 * 1024, now: () => 42 });
    buffer.record(call('iris', 'sha256:aa', 1, 'req-1'), request(1), outputs);
    buffer.record(call('iris', 'sha256:bb', 2), request(2), outputs);
    buffer.record(call('other'), request(3), outputs);
    const iris = buffer.drain('iris');
    expect(iris.map((o) => [o.digest, o.version, o.at, o.requestId])).toEqual([
      ['sha256:aa', 1, 42, 'req-1'],
      ['sha256:bb', 2, 42, null],
    ]);
    // The request id is counted in the observation's bytes (a string on the heap: 16 + 2 per character).
    expect((iris[0]?.bytes ?? 0) - (iris[1]?.bytes ?? 0)).toBe(16 + 2 * 'req-1'.length);
    const [first] = iris;
    expect(first?.inputs[0]).toMatchObject({ name: 'x', datatype: 'float32', shape: [1, 4] });
    expect(first?.inputs[0]?.data).toEqual(new Float32Array([1, 1, 1, 1]));
    expect(first?.outputs.map((o) => o.data)).toEqual([
      new Float64Array([2]),
      Float32Array.from([0.1, 0.2, 0.7]),
      ['ok'],
    ]);
    expect(buffer.drain('iris')).toEqual([]);
    expect(buffer.drain('other')).toHaveLength(1);
    expect(buffer.stats()).toEqual({ bytes: 0, dropped: 0, rings: 0 });
  });

  it('stays within its bytes: once full it keeps a sample of every request since the drain, oldest first, and counts the rest', async () => {
    const metrics = createPromMetrics();
    let clock = 0;
    const buffer = createObservationBuffer({
      maxBytes: 64 * 1024,
      metrics: metrics.gateway,
      now: () => ++clock,
      random: seeded(7),
    });
    for (let i = 0; i < 2000; i++) buffer.record(call('iris'), request(i), outputs);
    const { bytes, dropped } = buffer.stats();
    expect(bytes).toBeLessThanOrEqual(64 * 1024);
    expect(dropped).toBeGreaterThan(1900);
    const kept = buffer.drain('iris');
    expect(kept.length + dropped).toBe(2000);
    // Time order, and drawn from the whole interval (not the newest few, not the first few).
    const values = kept.map((o) => firstValue(o));
    expect(kept.map((o) => o.at)).toEqual([...kept.map((o) => o.at)].sort((a, b) => a - b));
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(Math.min(...values)).toBeLessThan(500);
    expect(Math.max(...values)).toBeGreaterThanOrEqual(1500);
    const text = await metrics.render();
    expect(text).toContain(`warden_observations_dropped_total{model="iris"} ${dropped}`);
    expect(text).toContain('warden_observation_buffer_bytes 0');
  });

  it('samples uniformly: every request since the drain has the same chance to be kept', () => {
    const random = seeded(11);
    const offered = 60;
    const hits = new Array<number>(offered).fill(0);
    let keptPerDrain = 0;
    for (let trial = 0; trial < 3000; trial++) {
      const buffer = createObservationBuffer({ maxBytes: 24 * 1024, random });
      for (let i = 0; i < offered; i++) buffer.record(call('iris'), request(i), outputs);
      const kept = buffer.drain('iris');
      keptPerDrain = kept.length;
      for (const o of kept) hits[firstValue(o)] = (hits[firstValue(o)] ?? 0) + 1;
    }
    // Each of the 60 requests is kept with probability kept/60: quarters of the interval alike within 5 %.
    const expected = (3000 * keptPerDrain) / offered;
    const quarters = [0, 1, 2, 3].map(
      (q) => hits.slice(q * 15, (q + 1) * 15).reduce((a, b) => a + b, 0) / 15,
    );
    for (const q of quarters) expect(Math.abs(q - expected) / expected).toBeLessThan(0.05);
    expect(keptPerDrain).toBeGreaterThan(5);
    expect(keptPerDrain).toBeLessThan(offered / 2);
  });

  it('drops an observation larger than the whole ring, and keeps nothing at maxBytes 0', () => {
    const small = createObservationBuffer({ maxBytes: 256 });
    small.record(call('iris'), request(1, 1000), outputs);
    expect(small.stats()).toMatchObject({ bytes: 0, dropped: 1 });
    const off = createObservationBuffer({ maxBytes: 0 });
    off.record(call('iris'), request(1), outputs);
    expect(off.drain('iris')).toEqual([]);
  });

  it('bounds the number of rings: the least recently written goes whole, counted', () => {
    const buffer = createObservationBuffer({ maxBytes: 64 * 1024, maxRings: 2 });
    buffer.record(call('a'), request(1), outputs);
    buffer.record(call('a'), request(1), outputs);
    buffer.record(call('b'), request(1), outputs);
    buffer.record(call('a'), request(1), outputs);
    buffer.record(call('c'), request(1), outputs);
    expect(buffer.stats()).toMatchObject({ rings: 2, dropped: 1 });
    expect(buffer.drain('b')).toEqual([]);
    expect(buffer.drain('a')).toHaveLength(3);
  });

  it('a drained ring written to again starts anew (the last-written ring is not kept past its drain)', () => {
    const buffer = createObservationBuffer({ maxBytes: 64 * 1024, maxRings: 2 });
    buffer.record(call('a'), request(1), outputs);
    expect(buffer.drain('a')).toHaveLength(1);
    buffer.record(call('a'), request(2), outputs);
    buffer.record(call('a', 'sha256:bb'), request(3), outputs);
    buffer.record(call('a', 'sha256:bb'), request(4), outputs);
    expect(buffer.stats()).toMatchObject({ rings: 2, dropped: 0 });
    expect(buffer.drain('a').map((o) => [o.digest, o.inputs[0]?.data[0]])).toEqual([
      ['sha256:aa', 2],
      ['sha256:bb', 3],
      ['sha256:bb', 4],
    ]);
    expect(buffer.stats()).toMatchObject({ rings: 0, bytes: 0 });
  });

  it('copies a tensor that views a larger buffer, so the ring does not pin it', () => {
    const body = new ArrayBuffer(1 << 20);
    const view = new Float32Array(body, 64, 4);
    view.fill(9);
    const buffer = createObservationBuffer({ maxBytes: 64 * 1024 });
    const guard = observationGuard(buffer);
    const req: InferRequest = { ...request(0), inputs: { x: { type: 'float32', dims: [1, 4], data: view } } };
    expect(guard.afterRun?.({ ...call('iris') } as never, req, outputs)).toBeUndefined();
    const [kept] = buffer.drain('iris');
    const data = kept?.inputs[0]?.data as Float32Array;
    expect(Array.from(data)).toEqual([9, 9, 9, 9]);
    expect(data.buffer.byteLength).toBe(16);
  });

  it('counts what the heap really holds, so maxBytes bounds memory (not only the numbers)', () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const heap = () => {
      gc();
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    const buffer = createObservationBuffer({ maxBytes: 1 << 30 });
    const before = heap();
    for (let i = 0; i < 20_000; i++) buffer.record(call('iris'), request(i), outputs.slice(0, 2));
    const grown = heap() - before;
    // It counted 228 bytes for each of these (the numbers and a flat overhead) where the heap held ~1,240.
    expect(buffer.stats().bytes).toBeGreaterThanOrEqual(grown * 0.8);
    expect(buffer.stats().bytes).toBeLessThanOrEqual(grown * 1.5);
  });
});
