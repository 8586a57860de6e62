import { referenceFormatUnknown } from './reference.errors.js';
import type { DatasetFormat } from './reference.ports.js';

const byContentType: Record<string, DatasetFormat> = {
  'text/csv': 'csv',
  'application/csv': 'csv',
  'application/x-ndjson': 'jsonl',
  'application/jsonl': 'jsonl',
  'application/x-jsonlines': 'jsonl',
  'application/vnd.apache.parquet': 'parquet',
  'application/x-parquet': 'parquet',
};

const byExtension: Record<string, DatasetFormat> = {
  csv: 'csv',
  jsonl: 'jsonl',
  ndjson: 'jsonl',
  parquet: 'parquet',
  pq: 'parquet',
};

/** The content types a reference upload may carry. */
export const datasetContentTypes = Object.keys(byContentType);

/**
 * A dataset's format: the explicit one when given, else the content type's, else the file name's
 * extension. Nothing is guessed from the bytes.
 */
export function datasetFormat(hint: {
  format?: string;
  contentType?: string;
  fileName?: string;
}): DatasetFormat {
  if (hint.format !== undefined) {
    const f = byExtension[hint.format.toLowerCase()];
    if (!f) throw referenceFormatUnknown(hint.format);
    return f;
  }
  const type = hint.contentType?.split(';')[0]?.trim().toLowerCase();
  if (type && byContentType[type]) return byContentType[type];
  const ext = hint.fileName?.split('.').pop()?.toLowerCase();
  if (ext && hint.fileName?.includes('.') && byExtension[ext]) return byExtension[ext];
  throw referenceFormatUnknown(hint.fileName ?? type ?? '');
}
