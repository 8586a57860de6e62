import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import { type DatasetCell, type DatasetRows, referenceErrors } from '../../modules/monitor/index.js';
import { textCell } from './cell-value.js';
import { checkHeader, datasetLimits } from './dataset-limits.js';

type Parsed = { record: string[]; info: { lines: number } };

function wrap(err: unknown): unknown {
  if (err instanceof CsvError) {
    const line = (err as CsvError & { lines?: number }).lines;
    const reason =
      err.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH'
        ? 'the row has a different number of fields than the header'
        : err.code === 'CSV_MAX_RECORD_SIZE'
          ? `a row is longer than ${datasetLimits.maxRecordBytes} bytes`
          : err.message.replace(/\.$/, '');
    return referenceErrors.referenceInvalid(reason, line !== undefined ? { line } : {});
  }
  return err;
}

/**
 * CSV rows (RFC 4180, via csv-parse), streamed: the first record is the header and must name every column;
 * every row must have as many fields. Memory stays at one record (at most `maxRecordBytes`) at a time.
 */
export async function readCsv(source: AsyncIterable<Uint8Array>): Promise<DatasetRows> {
  const parser = parse({
    bom: true,
    info: true,
    skip_empty_lines: true,
    max_record_size: datasetLimits.maxRecordBytes,
  });
  const done = pipeline(Readable.from(source), parser).catch(() => {
    // Surfaced by the parser's iterator, which the pipeline destroys with the same error.
  });
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<Parsed>;
  let first: IteratorResult<Parsed>;
  try {
    first = await records.next();
  } catch (err) {
    throw wrap(err);
  }
  if (first.done) throw referenceErrors.referenceEmpty();
  const columns = checkHeader(first.value.record, 'line', first.value.info.lines);
  async function* rows(): AsyncGenerator<{ at: number; values: DatasetCell[] }> {
    try {
      for (let next = await records.next(); !next.done; next = await records.next()) {
        yield { at: next.value.info.lines, values: next.value.record.map(textCell) };
      }
    } catch (err) {
      throw wrap(err);
    } finally {
      parser.destroy();
      await done;
    }
  }
  return { columns, unit: 'line', rows: rows() };
}
