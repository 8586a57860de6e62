import { referenceErrors } from '../../modules/monitor/index.js';

/** Bounds that keep a reader's memory small whatever the file holds. */
export const datasetLimits = {
  /** Longest CSV record or JSON line. */
  maxRecordBytes: 1024 * 1024,
  /** Most columns a dataset may have (each keeps a sample of `monitor.reference.sampleSize` values). */
  maxColumns: 256,
  /** Largest Parquet row group, uncompressed, read whole at once. */
  maxRowGroupBytes: 256 * 1024 * 1024,
};

/** A header must name each column once, and look like names rather than a first row of numbers. */
export function checkHeader(names: unknown[], unit: 'line' | 'row', at: number): string[] {
  const where = unit === 'line' ? { line: at } : { row: at };
  if (names.length > datasetLimits.maxColumns) {
    throw referenceErrors.referenceInvalid(`more than ${datasetLimits.maxColumns} columns`, where);
  }
  const columns = names.map((n) => String(n).trim());
  if (columns.length > 0 && columns.every((c) => c !== '' && !Number.isNaN(Number(c)))) {
    throw referenceErrors.referenceInvalid(
      'a header row naming the columns is required (the first row is numbers)',
      where,
    );
  }
  const seen = new Set<string>();
  columns.forEach((c, i) => {
    if (c === '') throw referenceErrors.referenceInvalid(`column ${i + 1} has no name`, where);
    if (seen.has(c)) throw referenceErrors.referenceInvalid(`column "${c}" is named twice`, where);
    seen.add(c);
  });
  return columns;
}
