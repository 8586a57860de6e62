import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsv } from '../../src/adapters/datasets/csv-rows.js';
import { readJsonl } from '../../src/adapters/datasets/jsonl-rows.js';
import { readParquet } from '../../src/adapters/datasets/parquet-rows.js';
import type { DatasetCell, DatasetRows } from '../../src/modules/monitor/index.js';

const bytes = (text: string, chunk = 7) =>
  Readable.from(
    Array.from({ length: Math.ceil(text.length / chunk) }, (_, i) =>
      Buffer.from(text.slice(i * chunk, (i + 1) * chunk)),
    ),
  );

async function collect(rows: DatasetRows): Promise<{ at: number; values: DatasetCell[] }[]> {
  const out = [];
  for await (const r of rows.rows) out.push(r);
  return out;
}

async function failure(
  work: () => Promise<unknown>,
): Promise<{ code: string; details: Record<string, unknown> }> {
  try {
    await work();
  } catch (err) {
    return err as { code: string; details: Record<string, unknown> };
  }
  throw new Error('expected a failure');
}

const dir = mkdtempSync(path.join(tmpdir(), 'warden-parquet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CSV reader', () => {
  it('reads a header and typed cells, with NaN, Inf and empty cells as missing', async () => {
    const rows = await readCsv(bytes('a,b,c\n1.5,x,\n"2",NaN,inf\n-3e2,"y, z",-Infinity\n'));
    expect(rows.columns).toEqual(['a', 'b', 'c']);
    expect(await collect(rows)).toEqual([
      { at: 2, values: [1.5, 'x', null] },
      { at: 3, values: [2, null, null] },
      { at: 4, values: [-300, 'y, z', null] },
    ]);
  });

  it('refuses a missing header, ragged rows and duplicate names with the line', async () => {
    expect(await failure(() => readCsv(bytes('1,2,3\n4,5,6\n')))).toMatchObject({
      code: 'monitor_reference_invalid',
      details: { line: 1 },
    });
    expect(await failure(async () => collect(await readCsv(bytes('a,b\n1,2\n3\n'))))).toMatchObject({
      code: 'monitor_reference_invalid',
      details: { line: 3 },
    });
    expect(await failure(() => readCsv(bytes('a,a\n1,2\n')))).toMatchObject({
      code: 'monitor_reference_invalid',
    });
    expect(await failure(() => readCsv(bytes('')))).toMatchObject({ code: 'monitor_reference_empty' });
  });
});

describe('JSON Lines reader', () => {
  it('reads one object per line, missing keys and Python NaN as missing', async () => {
    const rows = await readJsonl(
      bytes('{"a":1,"b":"x"}\n\n{"b":"y"}\r\n{"a":NaN,"b":null}\n{"a":"","b":true}'),
    );
    expect(rows.columns).toEqual(['a', 'b']);
    expect(await collect(rows)).toEqual([
      { at: 1, values: [1, 'x'] },
      { at: 3, values: [null, 'y'] },
      { at: 4, values: [null, null] },
      { at: 5, values: [null, 'true'] },
    ]);
  });

  it('refuses bad JSON, non-objects, unknown keys, nested values and over-long lines with the line', async () => {
    const cases: [string, number][] = [
      ['{"a":1}\n{"a":\n', 2],
      ['{"a":1}\n[1]\n', 2],
      ['{"a":1}\n{"b":2}\n', 2],
      ['{"a":1}\n{"a":{"x":1}}\n', 2],
      [`{"a":1}\n{"a":"${'x'.repeat(1024 * 1024 + 10)}"}\n`, 2],
    ];
    for (const [text, line] of cases) {
      const err = await failure(async () => collect(await readJsonl(bytes(text, 64 * 1024))));
      expect(err).toMatchObject({ code: 'monitor_reference_invalid', details: { line } });
    }
    expect(await failure(() => readJsonl(bytes('\n\n')))).toMatchObject({ code: 'monitor_reference_empty' });
  });
});

describe('Parquet reader', () => {
  const write = (
    name: string,
    columnData: Parameters<typeof parquetWriteBuffer>[0]['columnData'],
    rowGroupSize?: number,
  ) => {
    const file = path.join(dir, name);
    writeFileSync(
      file,
      Buffer.from(parquetWriteBuffer({ columnData, ...(rowGroupSize ? { rowGroupSize } : {}) })),
    );
    return file;
  };

  it('reads row group by row group, with nulls and NaN as missing and bigints as numbers', async () => {
    const file = write(
      'ok.parquet',
      [
        { name: 'x', data: [1.5, Number.NaN, null, 4], type: 'DOUBLE', nullable: true },
        { name: 'n', data: [1n, 2n, 3n, 4n], type: 'INT64' },
        { name: 's', data: ['a', 'b', null, 'd'], type: 'STRING', nullable: true },
      ],
      2,
    );
    const rows = await readParquet(file);
    expect(rows.columns).toEqual(['x', 'n', 's']);
    expect(await collect(rows)).toEqual([
      { at: 1, values: [1.5, 1, 'a'] },
      { at: 2, values: [null, 2, 'b'] },
      { at: 3, values: [null, 3, null] },
      { at: 4, values: [4, 4, 'd'] },
    ]);
  });

  it('refuses a file that is not Parquet, and one without rows', async () => {
    const junk = path.join(dir, 'junk.parquet');
    writeFileSync(junk, 'a,b\n1,2\n');
    expect(await failure(() => readParquet(junk))).toMatchObject({ code: 'monitor_reference_invalid' });
    const empty = write('empty.parquet', [{ name: 'x', data: [], type: 'DOUBLE' }]);
    expect(await failure(() => readParquet(empty))).toMatchObject({ code: 'monitor_reference_empty' });
  });
});
