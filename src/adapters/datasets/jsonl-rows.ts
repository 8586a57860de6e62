import { type DatasetCell, type DatasetRows, referenceErrors } from '../../modules/monitor/index.js';
import { textCell, typedCell } from './cell-value.js';
import { checkHeader, datasetLimits } from './dataset-limits.js';

/**
 * Lines of a byte stream (LF or CRLF), each at most `max` bytes, numbered from 1. A line inside one chunk is
 * decoded in place; only one that spans chunks is copied together.
 */
async function* linesOf(
  source: AsyncIterable<Uint8Array>,
  max: number,
): AsyncGenerator<{ line: number; text: string }> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let line = 0;
  const tooLong = () =>
    referenceErrors.referenceInvalid(`a line is longer than ${max} bytes`, { line: line + 1 });
  const text = (bytes: Buffer, from: number, to: number) =>
    bytes.toString('utf8', from, to > from && bytes[to - 1] === 13 ? to - 1 : to);
  for await (const chunk of source) {
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let from = 0;
    for (let nl = buf.indexOf(10); nl !== -1; nl = buf.indexOf(10, from)) {
      if (pendingBytes + nl - from > max) throw tooLong();
      line += 1;
      if (pendingBytes === 0) yield { line, text: text(buf, from, nl) };
      else {
        const whole = Buffer.concat([...pending, buf.subarray(from, nl)]);
        pending = [];
        pendingBytes = 0;
        yield { line, text: text(whole, 0, whole.length) };
      }
      from = nl + 1;
    }
    pendingBytes += buf.length - from;
    if (pendingBytes > max) throw tooLong();
    if (from < buf.length) pending.push(Buffer.from(buf.subarray(from)));
  }
  if (pendingBytes > 0) {
    const whole = Buffer.concat(pending);
    line += 1;
    yield { line, text: text(whole, 0, whole.length) };
  }
}

// Python's json module writes NaN and ±Infinity bare, which JSON does not allow: read as missing.
const bareNonFinite = /([:[,]\s*)(-?Infinity|NaN)(?=\s*[,}\]])/g;

function parseObject(text: string, line: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    try {
      value = JSON.parse(text.replace(bareNonFinite, '$1null'));
    } catch {
      throw referenceErrors.referenceInvalid('not valid JSON', { line });
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw referenceErrors.referenceInvalid('each line must be a JSON object', { line });
  }
  return value as Record<string, unknown>;
}

/**
 * JSON Lines rows: one object per line (blank lines skipped), the first object's keys naming the columns.
 * A later key the first line lacks is refused; a key left out is a missing value. Strings holding numbers
 * stay strings (JSON says what is a number), except the "no value" words, which are missing.
 */
export async function readJsonl(source: AsyncIterable<Uint8Array>): Promise<DatasetRows> {
  const lines = linesOf(source, datasetLimits.maxRecordBytes);
  // Stepped by hand: leaving a for-await loop early would close the generator.
  let first: { line: number; text: string } | undefined;
  for (let next = await lines.next(); !next.done; next = await lines.next()) {
    if (next.value.text.trim() !== '') {
      first = next.value;
      break;
    }
  }
  if (!first) throw referenceErrors.referenceEmpty();
  const head = parseObject(first.text, first.line);
  const columns = checkHeader(Object.keys(head), 'line', first.line);
  const index = new Map(columns.map((c, i) => [c, i]));
  const cellsOf = (obj: Record<string, unknown>, line: number): DatasetCell[] => {
    const values: DatasetCell[] = columns.map(() => null);
    for (const [key, raw] of Object.entries(obj)) {
      const i = index.get(key.trim());
      if (i === undefined)
        throw referenceErrors.referenceInvalid(`key "${key}" is not a column of the first line`, {
          line,
          column: key,
        });
      const cell = typeof raw === 'string' && textCell(raw) === null ? null : typedCell(raw);
      if (cell === undefined)
        throw referenceErrors.referenceInvalid(`"${key}" holds an object or array, not a value`, {
          line,
          column: key,
        });
      values[i] = cell;
    }
    return values;
  };
  const start = first;
  async function* rows(): AsyncGenerator<{ at: number; values: DatasetCell[] }> {
    yield { at: start.line, values: cellsOf(head, start.line) };
    for (let next = await lines.next(); !next.done; next = await lines.next()) {
      const l = next.value;
      if (l.text.trim() === '') continue;
      yield { at: l.line, values: cellsOf(parseObject(l.text, l.line), l.line) };
    }
  }
  return { columns, unit: 'line', rows: rows() };
}
