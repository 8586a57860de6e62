import { TextDecoder } from 'node:util';
import { type DatasetRows, referenceErrors } from '../../modules/monitor/index.js';
import { type CsvRow, createCsvScanner } from './csv-scanner.js';
import { checkHeader, datasetLimits } from './dataset-limits.js';

/**
 * Bytes handed to the scanner at once: small chunks are gathered (an unfinished record is scanned again with
 * the next slice, so few slices per record), large ones cut.
 */
const scanBytes = 64 * 1024;

/**
 * The source's bytes as UTF-8, in slices of about `scanBytes` (the last may be shorter): a UTF-8 BOM is
 * dropped, and a UTF-16LE one (what Excel's "Unicode text" writes) has the rest decoded, as csv-parse's
 * `bom` option did.
 */
async function* utf8Chunks(source: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  let first = true;
  let decoder: TextDecoder | null = null;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of source) {
    let buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (first) {
      if (pendingBytes + buf.length < 3) {
        pending.push(Buffer.from(buf));
        pendingBytes += buf.length;
        continue;
      }
      buf = Buffer.concat([...pending, buf]);
      pending = [];
      pendingBytes = 0;
      first = false;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
      else if (buf[0] === 0xff && buf[1] === 0xfe) decoder = new TextDecoder('utf-16le');
    }
    if (decoder) buf = Buffer.from(decoder.decode(buf, { stream: true }), 'utf8');
    pending.push(buf);
    pendingBytes += buf.length;
    if (pendingBytes >= scanBytes) {
      // Scanned a slice at a time: a slice's rows are consumed before the next is scanned, so they die
      // young (a whole 1 MiB chunk's rows would outlive a scavenge and be copied to the old generation).
      const all = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending);
      let at = 0;
      for (; all.length - at >= 2 * scanBytes; at += scanBytes) yield all.subarray(at, at + scanBytes);
      yield all.subarray(at);
      pending = [];
      pendingBytes = 0;
    }
  }
  if (decoder) pending.push(Buffer.from(decoder.decode(), 'utf8'));
  const rest = Buffer.concat(pending);
  if (rest.length > 0) yield rest;
}

/**
 * CSV rows (RFC 4180, csv-parse's rules: see csv-scanner.ts), streamed: the first record is the header and
 * must name every column; every row must have as many fields. Memory holds one chunk of the source (1 MiB
 * from the spool) and its rows, and at most one unfinished record (`maxRecordBytes`).
 */
export async function readCsv(source: AsyncIterable<Uint8Array>): Promise<DatasetRows> {
  const scanner = createCsvScanner(datasetLimits);
  const chunks = utf8Chunks(source);
  let carry: Buffer | null = null;
  let ended = false;
  let batch: CsvRow[] = [];
  /** Scans the next chunk (with the unfinished record before it) into `batch`. */
  const more = async () => {
    const next = await chunks.next();
    ended = next.done === true;
    const buf: Buffer = ended
      ? (carry ?? Buffer.alloc(0))
      : carry
        ? Buffer.concat([carry, next.value as Buffer])
        : (next.value as Buffer);
    const out: CsvRow[] = [];
    const rest = scanner.scan(buf, ended, out);
    carry = rest < buf.length ? Buffer.from(buf.subarray(rest)) : null;
    batch = out;
  };
  let columns: string[];
  try {
    let header = scanner.header();
    while (!header && !ended) {
      await more();
      header = scanner.header();
    }
    if (!header) throw referenceErrors.referenceEmpty();
    columns = checkHeader(header.names, 'line', header.line);
  } catch (err) {
    await chunks.return(undefined);
    throw err;
  }
  async function* rows(): AsyncGenerator<CsvRow> {
    try {
      for (;;) {
        for (const row of batch) yield row;
        batch = [];
        if (ended && !carry) return;
        await more();
      }
    } finally {
      await chunks.return(undefined);
    }
  }
  return { columns, unit: 'line', rows: rows() };
}
