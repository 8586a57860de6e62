import { describe, expect, it } from 'vitest';
import { createObservationBuffer, type Observation } from '../../src/modules/gateway/index.js';
import {
  createReservoir,
  createWindowAccumulator,
  inferColumns,
  labelMetrics,
  monitoredColumns,
} from '../../src/modules/monitor/index.js';
import { createWindowKeeper } from '../../src/modules/monitor/windows/window-keeper.js';
import { irisReferenceProfile, openIris, seeded } from '../fixtures/iris-traffic.js';

const limits = { rows: 100, ms: 60_000, sampleSize: 50 };
const key = { model: 'iris', version: 1, digest: 'sha256:aa' };

/** Observations of the real iris model, recorded through the real observation buffer. */
async function observations(count: number, options: { at?: (i: number) => number; digest?: string } = {}) {
  let now = 0;
  const buffer = createObservationBuffer({ maxBytes: 64 * 1024 * 1024, now: () => now });
  const iris = await openIris();
  const random = seeded(7);
  for (let i = 0; i < count; i++) {
    now = options.at?.(i) ?? i * 10;
    const row = [4 + random() * 4, 2 + random() * 2, 1 + random() * 5, random() * 2.5];
    await iris.call(buffer, { ...key, digest: options.digest ?? key.digest, requestId: `r${i}` }, [row]);
  }
  await iris.close();
  return buffer.drain('iris');
}

describe('window accumulator', () => {
  it('infers columns from tensors without a reference: features by position, the prediction, the probabilities', async () => {
    const [o] = await observations(1);
    const columns = inferColumns(o?.inputs ?? [], o?.outputs ?? []);
    expect(columns.map((c) => [c.name, c.role, c.kind])).toEqual([
      ['float_input[0]', 'feature', 'numeric'],
      ['float_input[1]', 'feature', 'numeric'],
      ['float_input[2]', 'feature', 'numeric'],
      ['float_input[3]', 'feature', 'numeric'],
      ['label', 'prediction', 'categorical'],
      ['probabilities[0]', 'probability', 'numeric'],
      ['probabilities[1]', 'probability', 'numeric'],
      ['probabilities[2]', 'probability', 'numeric'],
    ]);
  });

  it('keeps counts, a bounded sample, the prediction summary and predictions by request id', async () => {
    const obs = await observations(80);
    const columns = monitoredColumns(inferColumns(obs[0]?.inputs ?? [], obs[0]?.outputs ?? []));
    const acc = createWindowAccumulator(key, columns, 0, limits, seeded(1));
    for (const o of obs) acc.add(o);
    const closed = acc.close('shutdown', 1_000);
    expect(closed).toMatchObject({ requests: 80, rows: 80, closedBy: 'shutdown', start: 0, end: 790 });
    expect(closed.samples['float_input[2]']).toMatchObject({ count: 80, missing: 0 });
    expect(closed.samples['float_input[2]']?.values).toHaveLength(50);
    const labels = obs.map((o) => String((o.outputs[0]?.data as Float64Array | undefined)?.[0]));
    const distinct = new Set(labels);
    const top = Math.max(...[...distinct].map((l) => labels.filter((x) => x === l).length));
    expect(closed.prediction?.rows).toBe(80);
    expect(closed.prediction?.uniqueRatio).toBeCloseTo(distinct.size / 80, 12);
    expect(closed.prediction?.topClassShare).toBeCloseTo(top / 80, 12);
    const confidences = obs.map((o) => Math.max(...((o.outputs[1]?.data as Float32Array | undefined) ?? [])));
    expect(closed.prediction?.meanConfidence).toBeCloseTo(confidences.reduce((a, b) => a + b) / 80, 6);
    expect(closed.predictions).toHaveLength(80);
    expect(closed.predictions[3]).toEqual({ requestId: 'r3', prediction: labels[3], label: null });
  });

  it('a reservoir keeps at most its size from a million values, each value equally likely', () => {
    const reservoir = createReservoir<number>(1_000, seeded(3));
    for (let i = 0; i < 1_000_000; i++) reservoir.offer(i);
    const items = reservoir.items();
    expect(reservoir.seen).toBe(1_000_000);
    expect(items).toHaveLength(1_000);
    // Uniform: about half the kept values come from each half of the stream.
    const firstHalf = items.filter((v) => v < 500_000).length;
    expect(firstHalf).toBeGreaterThan(430);
    expect(firstHalf).toBeLessThan(570);
  });

  it('a million rows through one window keep no more than sampleSize values per column', () => {
    const columns = monitoredColumns(irisReferenceProfile().columns);
    const acc = createWindowAccumulator(key, columns, 0, { rows: 2_000_000, ms: 1e12, sampleSize: 200 });
    const rows = 1_000;
    const data = new Float32Array(rows * 4).map((_, i) => i % 7);
    const o: Observation = {
      at: 1,
      ...key,
      requestId: null,
      inputs: [{ name: 'float_input', datatype: 'float32', shape: [rows, 4], data }],
      outputs: [],
      bytes: 0,
    };
    for (let i = 0; i < 1_000; i++) acc.add(o);
    const closed = acc.close('shutdown', 2);
    expect(closed.rows).toBe(1_000_000);
    for (const c of columns) {
      expect(closed.samples[c.name]?.count).toBe(1_000_000);
      expect(closed.samples[c.name]?.values.length).toBe(200);
    }
    expect(closed.predictions).toEqual([]);
  });
});

describe('window keeper: closing rules', () => {
  const keeper = () =>
    createWindowKeeper({ limits, columnsOf: () => monitoredColumns(irisReferenceProfile().columns) });

  it('closes by count at window.rows, by time when its period is up, and everything at shutdown', async () => {
    const obs = await observations(250, { at: (i) => i * 100 });
    const k = keeper();
    const closed = k.add(obs);
    expect(closed.map((c) => [c.closedBy, c.rows])).toEqual([
      ['count', 100],
      ['count', 100],
    ]);
    // 50 rows left, opened at 20,000 ms: not due until 80,000.
    expect(k.advance(79_999, [key])).toEqual([]);
    const [timed] = k.advance(80_000, [key]);
    expect(timed).toMatchObject({ closedBy: 'time', rows: 50, start: 20_000, end: 24_900 });
    const [last] = k.closeAll(80_001);
    expect(last).toMatchObject({ closedBy: 'shutdown', rows: 0, requests: 0 });
  });

  it('a digest change opens a separate window; the old one closes when due', async () => {
    const k = keeper();
    k.add(await observations(10));
    k.add(await observations(5, { digest: 'sha256:bb', at: (i) => 1_000 + i }));
    expect(k.openFor('iris').map((w) => [w.key.digest, w.rows])).toEqual([
      ['sha256:aa', 10],
      ['sha256:bb', 5],
    ]);
    // Only bb is live now: aa closes when its time is up and is not reopened.
    const closed = k.advance(60_000, [{ ...key, digest: 'sha256:bb' }]);
    expect(closed.map((c) => [c.digest, c.closedBy, c.rows])).toEqual([['sha256:aa', 'time', 10]]);
    expect(k.openFor('iris').map((w) => w.key.digest)).toEqual(['sha256:bb']);
  });

  it('zero traffic: a live digest closes an empty window each period, no gap goes unseen', () => {
    const k = keeper();
    expect(k.advance(0, [key])).toEqual([]);
    const [first] = k.advance(60_000, [key]);
    expect(first).toMatchObject({ closedBy: 'time', requests: 0, rows: 0, start: 60_000, end: 60_000 });
    expect(first?.prediction).toBeNull();
    const [second] = k.advance(120_000, [key]);
    expect(second).toMatchObject({ requests: 0, closedBy: 'time' });
  });
});

describe('label metrics', () => {
  it('accuracy and macro-F1 on a hand-checked case', () => {
    // (prediction, label): a: tp 2, predicted 4, actual 2 → F1 = 2·2/(4+2) = 2/3; b: tp 1, predicted 1,
    // actual 2 → 2/3; c: tp 0 → 0. Macro-F1 = (2/3 + 2/3 + 0)/3 = 4/9; accuracy 3/5.
    const m = labelMetrics([
      { prediction: 'a', label: 'a' },
      { prediction: 'a', label: 'a' },
      { prediction: 'a', label: 'b' },
      { prediction: 'b', label: 'b' },
      { prediction: 'a', label: 'c' },
    ]);
    expect(m).toEqual({ count: 5, accuracy: 3 / 5, f1: expect.closeTo(4 / 9, 12) });
    expect(labelMetrics([])).toEqual({ count: 0, accuracy: null, f1: null });
  });
});
