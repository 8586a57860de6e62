import { type DatasetCell, referenceErrors } from '../../modules/monitor/index.js';
import { bytesCell, textCell } from './cell-value.js';

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/** The record delimiter, found at the first line break outside quotes (as csv-parse does): LF, CRLF or CR. */
enum Eol {
  Unknown = 0,
  Lf = 1,
  CrLf = 2,
  Cr = 3,
}

export interface CsvRow {
  at: number;
  values: DatasetCell[];
}

/** Thrown inside a scan when the buffer ends before the record does: the record waits for more bytes. */
const incomplete = Symbol('incomplete');

/**
 * An RFC 4180 CSV tokenizer over bytes, with csv-parse's rules as `readCsv` used them (`bom`,
 * `skip_empty_lines`, `max_record_size`; strict quotes; every record as long as the first) and its line
 * numbers: `at` is the line a record ends on. The first record is kept as text (the header); every later
 * field becomes a cell straight from its bytes, so a number never exists as a string.
 *
 * `scan` takes a buffer that starts at a record boundary and returns where the unfinished record starts
 * (the caller keeps those bytes and prepends them to the next chunk); `final` says no bytes follow.
 */
export function createCsvScanner(limits: { maxRecordBytes: number; maxColumns: number }) {
  let line = 1;
  let eol: Eol = Eol.Unknown;
  let width = -1;
  let header: { line: number; names: string[] } | null = null;

  const invalid = (reason: string, at: number) => referenceErrors.referenceInvalid(reason, { line: at });

  /** Whether the byte at `i` (a CR or LF outside quotes) ends the record; the delimiter's length, else 0. */
  function delimiterAt(buf: Buffer, i: number, n: number, final: boolean): number {
    const c = buf[i];
    if (eol === Eol.Unknown) {
      if (c === LF) eol = Eol.Lf;
      else if (i + 1 >= n && !final) throw incomplete;
      else eol = buf[i + 1] === LF ? Eol.CrLf : Eol.Cr;
    }
    if (eol === Eol.Lf) return c === LF ? 1 : 0;
    if (eol === Eol.Cr) return c === CR ? 1 : 0;
    if (c !== CR) return 0;
    if (i + 1 >= n && !final) throw incomplete;
    return buf[i + 1] === LF ? 2 : 0;
  }

  /** CR and LF bytes inside [from, to): each counts a line, as csv-parse counts them (CRLF in quotes: two). */
  function breaks(buf: Buffer, from: number, to: number): number {
    let count = 0;
    for (let i = from; i < to; i++) {
      const c = buf[i];
      if (c === LF || c === CR) count++;
    }
    return count;
  }

  /** One record from `p`; returns its end (past the delimiter), or -1 for an empty line (skipped). */
  function record(buf: Buffer, p: number, n: number, final: boolean, out: CsvRow[]): number {
    const text = header === null;
    const names: string[] = [];
    const values: DatasetCell[] = [];
    let fields = 0;
    let bytes = 0;
    let at = line;
    const limit = Math.max(width, limits.maxColumns);
    let q = p;
    for (;;) {
      let cell: DatasetCell;
      let name = '';
      let end: number;
      if (q < n && buf[q] === QUOTE) {
        // Quoted: up to a quote not doubled; the next byte must end the field or the record.
        let from = q + 1;
        let parts = '';
        for (;;) {
          const close = buf.indexOf(QUOTE, from);
          if (close === -1 || close >= n) {
            if (!final) throw incomplete;
            // csv-parse counts a line break when the byte after it is read: a last one is not counted.
            const last = at + breaks(buf, q, n - 1);
            throw invalid(
              `Quote Not Closed: the parsing is finished with an opening quote at line ${last}`,
              last,
            );
          }
          if (close + 1 >= n && !final) throw incomplete;
          if (buf[close + 1] === QUOTE) {
            parts += buf.toString('utf8', from, close + 1);
            from = close + 2;
            continue;
          }
          parts += buf.toString('utf8', from, close);
          at += breaks(buf, q, close);
          bytes += close - q - 1;
          end = close + 1;
          const next = buf[end];
          if (
            end < n &&
            next !== COMMA &&
            !((next === CR || next === LF) && delimiterAt(buf, end, n, final))
          ) {
            throw invalid(
              `Invalid Closing Quote: got "${String.fromCharCode(next as number)}" at line ${at} instead of delimiter, record delimiter, trimable character (if activated) or comment`,
              at,
            );
          }
          break;
        }
        if (text) name = parts;
        cell = text ? null : textCell(parts);
      } else {
        // Unquoted: up to a comma or the record delimiter; a quote inside is refused.
        end = q;
        for (;;) {
          while (end < n) {
            const c = buf[end];
            if (c === COMMA || c === LF || c === CR || c === QUOTE) break;
            end++;
          }
          if (end >= n) {
            if (!final) throw incomplete;
            break;
          }
          const c = buf[end];
          if (c === QUOTE) {
            const value = JSON.stringify(buf.toString('utf8', q, end));
            throw invalid(
              `Invalid Opening Quote: a quote is found on field ${fields} at line ${at}, value is ${value}`,
              at,
            );
          }
          if (c === COMMA || delimiterAt(buf, end, n, final) > 0) break;
          at++; // a stray CR or LF inside the field (not the record delimiter) counts a line
          end++;
        }
        bytes += end - q;
        if (end === q && fields === 0 && (end >= n || buf[end] !== COMMA)) {
          // Nothing on the line: skipped, as an empty line is.
          if (end >= n) return n;
          line = at + 1;
          return end + delimiterAt(buf, end, n, final);
        }
        if (text) name = buf.toString('utf8', q, end);
        cell = text ? null : bytesCell(buf, q, end);
      }
      fields++;
      if (bytes > limits.maxRecordBytes)
        throw invalid(`a row is longer than ${limits.maxRecordBytes} bytes`, at);
      if (fields > limit) {
        throw width === -1
          ? invalid(`more than ${limits.maxColumns} columns`, at)
          : invalid('the row has a different number of fields than the header', at);
      }
      if (text) names.push(name);
      else values.push(cell);
      if (end < n && buf[end] === COMMA) {
        q = end + 1;
        continue;
      }
      // The record ends here: at a delimiter, or at the end of the bytes.
      if (width !== -1 && fields !== width) {
        throw invalid('the row has a different number of fields than the header', at);
      }
      if (text) {
        header = { line: at, names };
        width = fields;
      } else out.push({ at, values });
      line = at + 1;
      return end >= n ? n : end + delimiterAt(buf, end, n, final);
    }
  }

  return {
    /** The first record, once read. */
    header: () => header,
    /**
     * Reads whole records of `buf` into `out`; returns the offset of the record left unfinished (`buf.length`
     * when none), or of the record after the header when the header was just read. A malformed record throws a `monitor_reference_invalid` naming its line.
     */
    scan(buf: Buffer, final: boolean, out: CsvRow[]): number {
      const n = buf.length;
      let p = 0;
      while (p < n) {
        const start = p;
        const startLine = line;
        try {
          const text = header === null;
          p = record(buf, p, n, final, out);
          // The header is checked before a row is read: a bad header is the error, whatever follows it.
          if (text && header !== null) return p;
        } catch (err) {
          if (err !== incomplete) throw err;
          line = startLine;
          if (n - start > 2 * limits.maxRecordBytes + limits.maxColumns) {
            throw invalid(`a row is longer than ${limits.maxRecordBytes} bytes`, line);
          }
          return start;
        }
      }
      return n;
    },
  };
}
