import type { ColumnKind, ColumnSample, ColumnSpec, ReferenceProfile } from '../monitor.types.js';
import { accumulate, type ColumnAccumulator, createAccumulator } from './column-accumulator.js';
import { type AssignedColumn, assignRoles, type ModelSignature } from './column-roles.js';
import { referenceEmpty, referenceInvalid } from './reference.errors.js';
import type { DatasetCell, DatasetFormat, DatasetRows, RoleOverrides } from './reference.ports.js';

export interface ProfileOptions {
  format: DatasetFormat;
  digest: string;
  signature: ModelSignature | null;
  overrides: RoleOverrides;
  /** Values kept per column (`monitor.reference.sampleSize`). */
  sampleSize: number;
  /** Uniform in [0, 1); the reservoir's draws (Math.random by default). */
  random?: () => number;
  /** Shown every row as it is read (the sample of whole rows the model is run on). */
  onRow?: (values: readonly DatasetCell[]) => void;
}

/** Tensor element types whose values are numbers; a feature fed to one must hold numbers. */
const numericDtype = /^(float|double|u?int|bfloat|float16|bool)/;

const whereOf = (rows: DatasetRows, at: number) => (rows.unit === 'line' ? { line: at } : { row: at });

/**
 * A column's kind: numbers are numeric, except integer-valued predictions and targets (class labels),
 * which are categorical; any string makes a column categorical, unless it feeds a numeric tensor, where a
 * string is an error pointing at the first one.
 */
function kindOf(
  col: AssignedColumn,
  acc: ColumnAccumulator,
  rows: DatasetRows,
  signature: ModelSignature | null,
): ColumnKind {
  if (acc.strings === 0) {
    const labels = col.role === 'prediction' || col.role === 'target';
    return labels && acc.integers ? 'categorical' : 'numeric';
  }
  const tensor =
    col.source?.side === 'input' ? signature?.inputs.find((t) => t.name === col.source?.tensor) : undefined;
  const mustBeNumbers = col.role === 'probability' || (tensor && numericDtype.test(tensor.dtype));
  if (mustBeNumbers && acc.firstStringAt !== null) {
    throw referenceInvalid(`column "${col.name}" must hold numbers (it feeds ${col.source?.tensor})`, {
      ...whereOf(rows, acc.firstStringAt),
      column: col.name,
    });
  }
  return 'categorical';
}

/**
 * Reads every row once and builds the version's profile: roles (checked against the signature before a
 * row is read), each column's kind, counts and a bounded uniform sample. Missing, empty and non-finite
 * cells are counted as `missing`; a monitored column with no value at all is refused.
 */
export async function buildProfile(rows: DatasetRows, options: ProfileOptions): Promise<ReferenceProfile> {
  const assigned = assignRoles(rows.columns, options.signature, options.overrides);
  const random = options.random ?? Math.random;
  const accs = rows.columns.map(() => createAccumulator());
  let count = 0;
  for await (const row of rows.rows) {
    count += 1;
    options.onRow?.(row.values);
    for (let i = 0; i < accs.length; i++) {
      accumulate(accs[i] as ColumnAccumulator, row.values[i] ?? null, row.at, options.sampleSize, random);
    }
  }
  if (count === 0) throw referenceEmpty();
  const columns: ColumnSpec[] = [];
  const samples: Record<string, ColumnSample> = {};
  assigned.forEach((col, i) => {
    const acc = accs[i] as ColumnAccumulator;
    if (col.role !== 'ignored' && acc.present === 0) {
      throw referenceInvalid(
        `column "${col.name}" has no value in ${count} rows (all missing, empty or not finite)`,
        {
          column: col.name,
        },
      );
    }
    const kind =
      col.role === 'ignored'
        ? acc.strings > 0
          ? 'categorical'
          : 'numeric'
        : kindOf(col, acc, rows, options.signature);
    columns.push({ name: col.name, role: col.role, kind, source: col.source });
    if (col.role === 'ignored') return;
    samples[col.name] = {
      kind,
      count: acc.present,
      missing: acc.missing,
      values: kind === 'numeric' ? (acc.sample as number[]) : acc.sample.map(String),
    };
  });
  return { datasetDigest: options.digest, format: options.format, rows: count, columns, samples };
}
