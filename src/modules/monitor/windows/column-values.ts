import type { ObservedTensor } from '../../gateway/index.js';
import type { ColumnKind, ColumnSource, ColumnSpec } from '../monitor.types.js';

/** One cell of a column: a finite number, a string, or missing (null). */
export type Cell = number | string | null;

/** The numeric element types of an observed tensor (V2 names for outputs, ONNX names for inputs). */
const stringTypes = new Set(['BYTES', 'string']);
const integerTypes = new Set([
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'UINT8',
  'UINT16',
  'UINT32',
  'UINT64',
  'BOOL',
  'int8',
  'int16',
  'int32',
  'int64',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'bool',
]);

/** Rows of a tensor and the width of its last axis (a [N] or [N, 1] tensor is one column wide). */
export function tensorLayout(tensor: Pick<ObservedTensor, 'shape' | 'data'>): {
  rows: number;
  width: number;
} {
  const { shape } = tensor;
  const width = shape.length >= 2 ? Math.max(1, shape[shape.length - 1] ?? 1) : 1;
  return { rows: Math.floor(tensor.data.length / width), width };
}

function cellOf(tensor: ObservedTensor, position: number): Cell {
  const v = tensor.data[position];
  if (v === undefined) return null;
  if (typeof v === 'string') return v === '' ? null : v;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/**
 * A column's cells in one observation: the values of the tensor its source names, one per row, along the
 * last axis at `index` (or the tensor's single column when `index` is null). A tensor the observation does
 * not carry gives no cells (the rows count as missing where the caller wants them).
 */
export function columnCells(
  source: ColumnSource,
  inputs: ObservedTensor[],
  outputs: ObservedTensor[],
): Cell[] {
  const tensor = (source.side === 'input' ? inputs : outputs).find((t) => t.name === source.tensor);
  if (!tensor) return [];
  const { rows, width } = tensorLayout(tensor);
  const index = source.index ?? 0;
  if (index >= width) return new Array<Cell>(rows).fill(null);
  const cells: Cell[] = new Array(rows);
  for (let r = 0; r < rows; r++) cells[r] = cellOf(tensor, r * width + index);
  return cells;
}

const kindOf = (datatype: string): ColumnKind =>
  stringTypes.has(datatype) || integerTypes.has(datatype) ? 'categorical' : 'numeric';

/**
 * Columns for a version without a reference profile, read off its traffic: each input tensor gives one
 * feature column per position of its last axis (`float_input[0]`…), or one (`name`) when one wide; an
 * output one wide is the prediction (the first such; a later one is a feature-like extra, role
 * `prediction` only once); a wider floating output gives one probability column per class
 * (`probabilities[0]`…). Strings and integers are categorical, floats numeric.
 */
export function inferColumns(inputs: ObservedTensor[], outputs: ObservedTensor[]): ColumnSpec[] {
  const columns: ColumnSpec[] = [];
  const add = (side: ColumnSource['side'], t: ObservedTensor, role: ColumnSpec['role']) => {
    const { width } = tensorLayout(t);
    const kind = kindOf(t.datatype);
    if (width === 1)
      columns.push({ name: t.name, role, kind, source: { side, tensor: t.name, index: null } });
    else
      for (let i = 0; i < width; i++)
        columns.push({ name: `${t.name}[${i}]`, role, kind, source: { side, tensor: t.name, index: i } });
  };
  for (const t of inputs) add('input', t, 'feature');
  let predicted = false;
  for (const t of outputs) {
    const { width } = tensorLayout(t);
    if (width === 1 && !predicted) {
      predicted = true;
      add('output', t, 'prediction');
    } else if (width > 1 && kindOf(t.datatype) === 'numeric') add('output', t, 'probability');
    else add('output', t, 'feature');
  }
  return columns;
}

/** The columns a window follows: every column with a source whose role is not ignored or the target. */
export const monitoredColumns = (columns: readonly ColumnSpec[]): ColumnSpec[] =>
  columns.filter((c) => c.source !== null && c.role !== 'ignored' && c.role !== 'target');
