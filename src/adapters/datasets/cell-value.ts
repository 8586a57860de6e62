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
