import type { ColumnSample, ColumnSpec, ReferenceProfile } from '../monitor.types.js';
import { skip } from './column-accumulator.js';
import { type AssignedColumn, assignRoles, type ModelSignature } from './column-roles.js';
import type { DatasetCell, RoleOverrides, ScoredOutput, ScoringInput } from './reference.ports.js';

/** Where the reference's feature columns go in the model's one input: the dataset column of each position. */
export interface ScoringLayout {
  tensor: string;
  dtype: string;
  /** Dataset column index of the input's position 0, 1, … */
  columns: number[];
}

const floatInput = /^(float|double)/;

/**
 * How to run the model on the reference rows, or null when it cannot or need not: the dataset already has
 * the model's answers (a prediction or probability column), the model has several inputs or a non-float
 * one, or the features do not fill the input's positions one to one.
 */
export function scoringLayout(
  columns: readonly string[],
  signature: ModelSignature | null,
  overrides: RoleOverrides,
): ScoringLayout | null {
  const input = signature?.inputs.length === 1 ? signature.inputs[0] : undefined;
  if (!signature || !input || !floatInput.test(input.dtype) || signature.outputs.length === 0) return null;
  let assigned: AssignedColumn[];
  try {
    assigned = assignRoles(columns, signature, overrides);
  } catch {
    return null; // the profile refuses the same columns, with the reasons
  }
  if (assigned.some((c) => c.role === 'prediction' || c.role === 'probability')) return null;
  const features = assigned.filter((c) => c.role === 'feature');
  const at = features.map((c) => (c.source?.tensor === input.name ? c.source.index : null));
  if (features.length === 0 || at.some((i) => i === null)) return null;
  const order = Array.from({ length: features.length }, (_, i) => at.indexOf(i));
  if (order.some((i) => i < 0)) return null;
  return {
    tensor: input.name,
    dtype: input.dtype,
    columns: order.map((i) => columns.indexOf((features[i] as AssignedColumn).name)),
  };
}

/** A uniform sample (reservoir) of whole reference rows with every feature present: what the model is run on. */
export function createRowReservoir(layout: ScoringLayout, max: number, random: () => number) {
  const rows: number[][] = [];
  // Algorithm L (as the column samples): a row is copied only when it enters the sample.
  const state = { seen: 0, w: 1, next: 0 };
  const copy = (values: readonly DatasetCell[]) => layout.columns.map((i) => values[i] as number);
  return {
    offer(values: readonly DatasetCell[]): void {
      for (const i of layout.columns) if (typeof values[i] !== 'number') return;
      state.seen++;
      if (rows.length < max) {
        rows.push(copy(values));
        if (rows.length === max) {
          state.next = state.seen;
          skip(state, max, random);
        }
        return;
      }
      if (state.seen !== state.next) return;
      rows[Math.floor(random() * max)] = copy(values);
      skip(state, max, random);
    },
    input(): ScoringInput | null {
      return rows.length === 0 ? null : { tensor: layout.tensor, dtype: layout.dtype, rows };
    },
  };
}

const isLabel = (v: number | string) => typeof v === 'string' || Number.isInteger(v);

/**
 * The profile with the model's own answers on the reference rows added: a [N] output as the prediction
 * column (class labels as categories), a [N, k] output as k probability columns `<output>_<i>`, each a
 * sample of the same rows (so a row's probabilities stay together). Names the dataset uses are left alone.
 */
export function withModelAnswers(
  profile: ReferenceProfile,
  signature: ModelSignature,
  outputs: Record<string, ScoredOutput>,
): ReferenceProfile {
  const columns: ColumnSpec[] = [...profile.columns];
  const samples: Record<string, ColumnSample> = { ...profile.samples };
  const taken = new Set(columns.map((c) => c.name));
  const add = (spec: ColumnSpec, values: (number | string)[]) => {
    if (taken.has(spec.name)) return;
    taken.add(spec.name);
    columns.push(spec);
    const kind = spec.kind;
    samples[spec.name] = {
      kind,
      count: values.length,
      missing: 0,
      values: kind === 'numeric' ? (values as number[]) : values.map(String),
    };
  };
  for (const t of signature.outputs) {
    const out = outputs[t.name];
    const rows = out?.shape[0] ?? 0;
    if (!out || rows === 0) continue;
    const width = out.shape.length <= 1 ? 1 : out.data.length / rows;
    if (width === 1) {
      const kind = out.data.every(isLabel) ? 'categorical' : 'numeric';
      add(
        { name: t.name, role: 'prediction', kind, source: { side: 'output', tensor: t.name, index: null } },
        out.data,
      );
      continue;
    }
    if (!out.data.every((v) => typeof v === 'number')) continue;
    for (let i = 0; i < width; i++) {
      const values = Array.from({ length: rows }, (_, r) => out.data[r * width + i] as number);
      add(
        {
          name: `${t.name}_${i}`,
          role: 'probability',
          kind: 'numeric',
          source: { side: 'output', tensor: t.name, index: i },
        },
        values,
      );
    }
  }
  return { ...profile, columns, samples, answersFrom: 'model' };
}
