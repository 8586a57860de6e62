import type { DatasetCell } from '../../modules/monitor/index.js';

// What pandas, R and spreadsheets write for "no value"; infinities count as missing too (not finite).
const missingWords = new Set([
  '',
  'nan',
  'na',
  'n/a',
  'null',
  'none',
  'inf',
  '+inf',
  '-inf',
  'infinity',
  '+infinity',
  '-infinity',
]);
const decimal = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A text cell (CSV, or a JSON string): a finite number when it is written as one, null when missing. */
export function textCell(text: string): DatasetCell {
  const t = text.trim();
  if (missingWords.has(t.toLowerCase())) return null;
  if (decimal.test(t)) {
    const n = Number(t);
    return Number.isFinite(n) ? n : null;
  }
  return text;
}

/** A typed value (JSON, Parquet): numbers stay numbers, non-finite ones are missing; null when absent. */
export function typedCell(value: unknown): DatasetCell | undefined {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  return undefined;
}

// Powers of ten a double holds exactly: m × 10^k and m / 10^k are then correctly rounded (Clinger).
const exact10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * `textCell` of the UTF-8 bytes [start, end) of `buf`, without making a string of a number: a plain decimal
 * whose digits make an integer below 2^53 and whose exponent is small is computed exactly from its digits; any other
 * decimal is given to `Number`; anything else (words, spaces, non-ASCII) goes through `textCell`.
 */
export function bytesCell(buf: Buffer, start: number, end: number): DatasetCell {
  if (start === end) return null;
  let i = start;
  let c = buf[i] as number;
  const negative = c === 45;
  if (negative || c === 43) i++;
  let mantissa = 0;
  let seen = false;
  let scale = 0;
  for (; i < end; i++) {
    const d = (buf[i] as number) - 48;
    if (d < 0 || d > 9) break;
    seen = true;
    mantissa = mantissa * 10 + d;
  }
  if (i < end && buf[i] === 46) {
    for (i++; i < end; i++) {
      const d = (buf[i] as number) - 48;
      if (d < 0 || d > 9) break;
      seen = true;
      mantissa = mantissa * 10 + d;
      scale--;
    }
  }
  let exponent = 0;
  if (seen && i < end && ((buf[i] as number) | 32) === 101) {
    i++;
    c = buf[i] as number;
    const minus = c === 45;
    if (minus || c === 43) i++;
    const from = i;
    for (; i < end && exponent < 1e6; i++) {
      const d = (buf[i] as number) - 48;
      if (d < 0 || d > 9) break;
      exponent = exponent * 10 + d;
    }
    if (i === from) return textCell(buf.toString('utf8', start, end));
    if (minus) exponent = -exponent;
  }
  if (!seen || i !== end) return textCell(buf.toString('utf8', start, end));
  const k = scale + exponent;
  if (mantissa >= 2 ** 53 || k < -22 || k > 22) {
    // A decimal all the same (the shape `textCell` accepts): Number rounds it correctly.
    const n = Number(buf.toString('latin1', start, end));
    return Number.isFinite(n) ? n : null;
  }
  const v = k < 0 ? mantissa / (exact10[-k] as number) : mantissa * (exact10[k] as number);
  return negative ? -v : v;
}
