import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatasetSpool } from '../../src/adapters/datasets/dataset-spool.js';
import {
  assignRoles,
  buildProfile,
  type ModelSignature,
  parseRoleOverrides,
} from '../../src/modules/monitor/index.js';

const iris: ModelSignature = {
  inputs: [{ name: 'float_input', dtype: 'float32', shape: ['N', 4] }],
  outputs: [
    { name: 'probabilities', dtype: 'float32', shape: ['N', 3] },
    { name: 'label', dtype: 'int64', shape: ['N'] },
  ],
};
const features = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const dir = mkdtempSync(path.join(tmpdir(), 'warden-spool-'));
const spool = createDatasetSpool({ dir });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function* text(s: string) {
  yield Buffer.from(s);
}
async function profileOf(
  csv: string,
  overrides = {},
  signature: ModelSignature | null = iris,
  sampleSize = 100,
) {
  const spooled = await spool.spool(text(csv), 1 << 20);
  try {
    return await buildProfile(await spooled.read('csv'), {
      format: 'csv',
      digest: spooled.digest,
      signature,
      overrides,
      sampleSize,
    });
  } finally {
    await spooled.discard();
  }
}
async function failure(work: () => Promise<unknown>) {
  try {
    await work();
  } catch (err) {
    return err as { code: string; details: Record<string, unknown>; message: string };
  }
  throw new Error('expected a failure');
}

describe('column roles', () => {
  it('maps a [N, 4] input to four columns in file order, outputs and a target by name', () => {
    const cols = assignRoles(
      [...features, 'label', 'probabilities_0', 'probabilities_1', 'probabilities_2', 'target'],
      iris,
      {},
    );
    expect(cols.map((c) => [c.name, c.role, c.source?.tensor ?? null, c.source?.index ?? null])).toEqual([
      ['sepal_length', 'feature', 'float_input', 0],
      ['sepal_width', 'feature', 'float_input', 1],
      ['petal_length', 'feature', 'float_input', 2],
      ['petal_width', 'feature', 'float_input', 3],
      ['label', 'prediction', 'label', null],
      ['probabilities_0', 'probability', 'probabilities', 0],
      ['probabilities_1', 'probability', 'probabilities', 1],
      ['probabilities_2', 'probability', 'probabilities', 2],
      ['target', 'target', null, null],
    ]);
  });

  it('takes the one column left over after the features for the target (iris: species)', () => {
    const cols = assignRoles([...features, 'species'], iris, {});
    expect(cols.map((c) => [c.name, c.role, c.source?.index ?? null])).toEqual([
      ['sepal_length', 'feature', 0],
      ['sepal_width', 'feature', 1],
      ['petal_length', 'feature', 2],
      ['petal_width', 'feature', 3],
      ['species', 'target', null],
    ]);
    // Said otherwise, it is what the caller says.
    const ignored = assignRoles([...features, 'species'], iris, { roles: { species: 'ignored' } });
    expect(ignored.at(-1)).toEqual({ name: 'species', role: 'ignored', source: null });
  });

  it('lists every column that does not fit the signature, and unknown overridden columns', () => {
    expect(() => assignRoles(features.slice(0, 3), iris, {})).toThrow(/takes 4 columns but only 3 remain/);
    expect(() => assignRoles([...features, 'colour', 'size'], iris, {})).toThrow(
      /"colour", "size" match nothing/,
    );
    // With a target named, a column left over is not taken for one.
    expect(() => assignRoles([...features, 'target', 'colour'], iris, {})).toThrow(/"colour" match nothing/);
    expect(() => assignRoles(features, iris, { roles: { nope: 'target' } })).toThrow(/no column "nope"/);
  });

  it('follows overrides: roles, and sources for features', () => {
    const overrides = parseRoleOverrides('b=feature,a=ignored', 'b=float_input:0');
    const cols = assignRoles(
      ['a', 'b'],
      { inputs: [{ name: 'float_input', dtype: 'float32', shape: ['N', 1] }], outputs: [] },
      overrides,
    );
    expect(cols).toEqual([
      { name: 'a', role: 'ignored', source: null },
      { name: 'b', role: 'feature', source: { side: 'input', tensor: 'float_input', index: 0 } },
    ]);
    expect(() => parseRoleOverrides('a=boss')).toThrow(/not one of/);
    expect(() => parseRoleOverrides('a')).toThrow(/column=role/);
  });

  it('without a signature, takes roles from names only', () => {
    expect(assignRoles(['x', 'prediction', 'y'], null, {}).map((c) => c.role)).toEqual([
      'feature',
      'prediction',
      'target',
    ]);
  });
});

describe('profile', () => {
  it('counts missing cells, infers kinds and keeps every value when fewer than the sample size', async () => {
    const csv = `${features.join(',')},label\n1,2,3,4,0\n,NaN,3.5,4,1\n1.5,2,inf,4,2\n`;
    const p = await profileOf(csv);
    expect(p.rows).toBe(3);
    expect(p.samples.sepal_length).toEqual({ kind: 'numeric', count: 2, missing: 1, values: [1, 1.5] });
    expect(p.samples.petal_length).toMatchObject({ count: 2, missing: 1 });
    expect(p.samples.label).toEqual({ kind: 'categorical', count: 3, missing: 0, values: ['0', '1', '2'] });
  });

  it('refuses text in a numeric feature, pointing at the line, and a column with no value', async () => {
    const wrong = await failure(() => profileOf(`${features.join(',')}\n1,2,3,4\n1,two,3,4\n`));
    expect(wrong).toMatchObject({
      code: 'monitor_reference_invalid',
      details: { line: 3, column: 'sepal_width' },
    });
    const empty = await failure(() => profileOf(`${features.join(',')}\n1,,3,4\n1,NaN,3,4\n`));
    expect(empty).toMatchObject({ code: 'monitor_reference_invalid', details: { column: 'sepal_width' } });
    expect(await failure(() => profileOf(`${features.join(',')}\n`))).toMatchObject({
      code: 'monitor_reference_empty',
    });
  });

  it('keeps a uniform reservoir of the configured size', async () => {
    const n = 20_000;
    const csv = `v\n${Array.from({ length: n }, (_, i) => i).join('\n')}\n`;
    const p = await profileOf(csv, {}, null, 1_000);
    const values = p.samples.v?.values as number[];
    expect(values).toHaveLength(1_000);
    expect(p.samples.v?.count).toBe(n);
    // A uniform sample of 0…n−1: its mean is near n/2 (σ of the mean ≈ 183 here), every quarter is hit.
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(Math.abs(mean - n / 2)).toBeLessThan(1_000);
    for (let q = 0; q < 4; q++)
      expect(values.some((v) => v >= (q * n) / 4 && v < ((q + 1) * n) / 4)).toBe(true);
  });

  /**
   * Runs `work` while sampling live memory every 100 ms (a full collection first, so garbage not yet
   * collected is not counted); returns the growth of the heap and RSS in MiB.
   */
  async function measured(
    work: () => Promise<void>,
  ): Promise<{ heap: number; rss: number; seconds: number }> {
    gc();
    const before = process.memoryUsage();
    let peakHeap = before.heapUsed;
    let peakRss = before.rss;
    const timer = setInterval(() => {
      gc();
      const m = process.memoryUsage();
      peakHeap = Math.max(peakHeap, m.heapUsed);
      peakRss = Math.max(peakRss, m.rss);
    }, 100);
    const started = Date.now();
    try {
      await work();
    } finally {
      clearInterval(timer);
    }
    const mib = (n: number) => n / 2 ** 20;
    return {
      heap: mib(peakHeap - before.heapUsed),
      rss: mib(peakRss - before.rss),
      seconds: (Date.now() - started) / 1000,
    };
  }
  const row = '5.123456789012345,3.523456789012345,1.423456789012345,0.223456789012345\n';
  const block = Buffer.from(row.repeat(16_384));
  async function* csvOf(bytes: number) {
    yield Buffer.from(`${features.join(',')}\n`);
    for (let sent = 0; sent < bytes; sent += block.length) yield block;
  }

  it('takes a 200 MB upload into the spool with bounded memory', async () => {
    const target = 200 * 2 ** 20;
    let size = 0;
    const m = await measured(async () => {
      const spooled = await spool.spool(csvOf(target), target + 2 * block.length);
      size = spooled.size;
      let read = 0;
      for await (const chunk of spooled.open()) read += chunk.length;
      expect(read).toBe(size);
      await spooled.discard();
    });
    console.log(
      `spool 200 MB: ${m.seconds.toFixed(1)} s, heap +${m.heap.toFixed(1)} MiB, rss +${m.rss.toFixed(1)} MiB`,
    );
    expect(size).toBeGreaterThan(target);
    expect(m.heap).toBeLessThan(32);
    expect(m.rss).toBeLessThan(96);
  }, 120_000);

  it('profiles a 24 MB CSV with memory bounded by the samples, not the file', async () => {
    const target = 24 * 2 ** 20;
    let rows = 0;
    const m = await measured(async () => {
      const spooled = await spool.spool(csvOf(target), target + 2 * block.length);
      const p = await buildProfile(await spooled.read('csv'), {
        format: 'csv',
        digest: spooled.digest,
        signature: iris,
        overrides: {},
        sampleSize: 20_000,
      });
      await spooled.discard();
      rows = p.rows;
      expect(p.samples.sepal_length?.values).toHaveLength(20_000);
    });
    console.log(
      `profile ${rows} rows (24 MB CSV): ${m.seconds.toFixed(1)} s, heap +${m.heap.toFixed(1)} MiB, rss +${m.rss.toFixed(1)} MiB`,
    );
    expect(rows).toBe(Math.ceil(target / block.length) * 16_384);
    // Holding the file would take more than its 24 MiB (as strings, twice that); the samples take < 1 MiB.
    expect(m.heap).toBeLessThan(16);
  }, 120_000);
});
