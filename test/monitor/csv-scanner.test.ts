import { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { describe, expect, it } from 'vitest';
import { bytesCell, textCell } from '../../src/adapters/datasets/cell-value.js';
import { readCsv } from '../../src/adapters/datasets/csv-rows.js';
import { datasetLimits } from '../../src/adapters/datasets/dataset-limits.js';

// The CSV reader's own tokenizer against csv-parse with the options it replaced (bom, info,
// skip_empty_lines, max_record_size) and `textCell` on each field: same header, rows, lines and errors.

type Outcome =
  | { ok: true; columns: string[]; rows: { at: number; values: unknown[] }[] }
  | { ok: false; line: number | undefined; reason?: string };

async function oracle(bytes: Buffer): Promise<Outcome> {
  const parser = parse({
    bom: true,
    info: true,
    skip_empty_lines: true,
    max_record_size: datasetLimits.maxRecordBytes,
  });
  const records: { record: string[]; info: { lines: number } }[] = [];
  try {
    for await (const r of Readable.from([bytes]).pipe(parser)) records.push(r);
  } catch (err) {
    const line = (err as CsvError & { lines?: number }).lines;
    return { ok: false, line, ...(err instanceof CsvError ? {} : { reason: String(err) }) };
  }
  const [head, ...rest] = records;
  if (!head) return { ok: false, line: undefined, reason: 'empty' };
  return {
    ok: true,
    columns: head.record.map((c) => c.trim()),
    rows: rest.map((r) => ({ at: r.info.lines, values: r.record.map(textCell) })),
  };
}

async function ours(bytes: Buffer, chunk: number): Promise<Outcome> {
  const pieces = Array.from({ length: Math.ceil(bytes.length / chunk) }, (_, i) =>
    bytes.subarray(i * chunk, (i + 1) * chunk),
  );
  try {
    const read = await readCsv(Readable.from(pieces));
    const rows = [];
    for await (const r of read.rows) rows.push(r);
    return { ok: true, columns: read.columns, rows };
  } catch (err) {
    const e = err as { code?: string; details?: { line?: number } };
    if (e.code === 'monitor_reference_empty') return { ok: false, line: undefined, reason: 'empty' };
    if (e.code !== 'monitor_reference_invalid') throw err;
    return { ok: false, line: e.details?.line };
  }
}

/** Both readers on the same bytes, ours fed in chunks of every size given. */
async function agree(text: string | Buffer, chunks = [1, 2, 3, 5, 64, 1 << 20]) {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const expected = await oracle(bytes);
  for (const size of chunks) {
    const got = await ours(bytes, size);
    // A header the reader refuses (checkHeader) is no csv-parse error: only compare parsed files.
    if (!got.ok && expected.ok) throw new Error(`ours failed at line ${got.line} on ${JSON.stringify(text)}`);
    expect(got, `${JSON.stringify(text)} in chunks of ${size}`).toEqual(expected);
  }
  return expected;
}

const seeded = (seed: number) => {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
};

describe('CSV tokenizer, against csv-parse', () => {
  it('reads numbers exactly as Number does, and words, spaces and odd shapes as textCell does', async () => {
    const cells = [
      '1',
      '-0',
      '+0',
      '0.1',
      '.5',
      '5.',
      '-.5e-3',
      '1e5',
      '1E+05',
      '2.5e-308',
      '1e400',
      '-1e-400',
      '0.30000000000000004',
      '123456789012345678901234567890',
      '9007199254740993',
      '1e22',
      '1e23',
      '4.35',
      '0.000001234',
      '1234567890.12345',
      ' 7 ',
      '7 ',
      'NaN',
      'nan',
      'N/A',
      '-inf',
      'Infinity',
      'None',
      'null',
      '',
      'e5',
      '.',
      '-',
      '+',
      '1e',
      '1e+',
      '0x10',
      '1_000',
      '١٢',
      '1.2.3',
      '--1',
      'abc',
      'zürich',
      '"quoted, comma"',
      '"say ""hi"""',
      '""',
      '"  12.5 "',
      '"1e3"',
    ];
    const csv = `value,other\n${cells.map((c) => `${c},x`).join('\n')}\n`;
    const out = await agree(csv);
    expect(out.ok && out.rows.length).toBe(cells.length);
    const random = seeded(7);
    const shapes = [
      () => String(random()),
      () => String((random() - 0.5) * 10 ** Math.floor(random() * 40 - 20)),
      () => (random() * 1e4).toFixed(Math.floor(random() * 18)),
      () => `${Math.floor(random() * 1e9)}e${Math.floor(random() * 60 - 30)}`,
      () => String(Math.floor(random() * 2 ** 53) + 2 ** 52),
    ];
    const numbers = [
      '0.1',
      '4.35',
      '1e22',
      '1e23',
      '2.5e-308',
      '9007199254740993',
      '-0',
      '5.123456789012345',
    ];
    for (let i = 0; i < 5_000; i++) numbers.push((shapes[i % shapes.length] as () => string)());
    for (const c of numbers) {
      const b = Buffer.from(`,${c},`);
      expect(Object.is(bytesCell(b, 1, b.length - 1), Number(c)), c).toBe(true);
    }
  });

  it('agrees on line endings, BOMs, empty lines, quoted line breaks and a last line without a break', async () => {
    await agree('a,b\r\n1,2\r\n\r\n3,"x\r\ny"\r\n');
    await agree('a,b\r1,2\r\r3,4');
    await agree('\ufeffa,b\n1,2\n\n\n3,"multi\nline\n""field"""\n4,5');
    await agree('a,b\n1,2\r3\n'); // a stray CR inside a field of an LF file
    await agree('a\n\n1\n\n2\n\n');
    await agree('a,b\n,\n"",""\n');
    await agree(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n1,é\n', 'utf16le')]));
    await agree(Buffer.from('a,b\n1,zürich ü\n2,日本\n'));
  });

  it('refuses what csv-parse refuses, on the same line', async () => {
    for (const bad of [
      'a,b\n1,2\n3\n',
      'a,b\n1,2,3\n',
      'a,b\n1,"open\n2,3\n',
      'a,b\n1,"x"y\n',
      'a,b\n1,x"y"\n',
      'a,b\n"1\n\n2",3\n4\n',
    ]) {
      const expected = await agree(bad);
      expect(expected.ok, bad).toBe(false);
    }
  });

  it('refuses a record longer than the limit, however it arrives', async () => {
    const long = `a,b\n1,${'x'.repeat(datasetLimits.maxRecordBytes + 10)}\n`;
    const got = await ours(Buffer.from(long), 64 * 1024);
    expect(got).toEqual({ ok: false, line: 2 });
    const endless = await ours(
      Buffer.from(`a,b\n1,"${'x'.repeat(3 * datasetLimits.maxRecordBytes)}`),
      1 << 20,
    );
    expect(endless.ok).toBe(false);
  });

  it('agrees on 300 generated files of numbers, words, quotes and missing cells, in any chunking', async () => {
    const random = seeded(2026);
    const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)] as T;
    const atoms = ['3.14', '-2', '1e-3', '', 'NaN', 'inf', 'red', 'New York', ' 5 ', '0.1000000000000000055'];
    for (let f = 0; f < 300; f++) {
      const width = 1 + Math.floor(random() * 4);
      const eol = pick(['\n', '\r\n']);
      const lines = [Array.from({ length: width }, (_, i) => `c${i}`).join(',')];
      const rows = Math.floor(random() * 6);
      for (let r = 0; r < rows; r++) {
        if (random() < 0.1) lines.push('');
        const w = random() < 0.05 ? width + 1 : width;
        const cells = Array.from({ length: w }, () => {
          const v = pick(atoms);
          const q = random();
          return q < 0.15 ? `"${v.replace(/ /g, '""')}"` : q < 0.2 ? `"${v},${eol}x"` : v;
        });
        lines.push(cells.join(','));
      }
      const text = lines.join(eol) + (random() < 0.5 ? eol : '');
      await agree(text, [1 + Math.floor(random() * 9), 1 << 20]);
    }
  });
});
