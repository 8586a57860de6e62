import type { TensorSpec } from '../../registry/index.js';
import type { ColumnRole, ColumnSource } from '../monitor.types.js';
import { referenceColumnsMismatch } from './reference.errors.js';
import type { RoleOverrides } from './reference.ports.js';

/** The model's inputs and outputs, as the registry read them from its ONNX file at push. */
export interface ModelSignature {
  inputs: TensorSpec[];
  outputs: TensorSpec[];
}

export interface AssignedColumn {
  name: string;
  role: ColumnRole;
  source: ColumnSource | null;
}

/** Column names taken as the ground truth when nothing says otherwise. */
export const targetNames = ['target', 'label', 'y', 'class'];

/** Values per row of a tensor: null for [N] or [N, 1] (one column), the last axis when fixed, else 'dynamic'. */
function widthOf(t: TensorSpec): number | null | 'dynamic' {
  const shape = t.shape ?? [];
  if (shape.length <= 1) return null;
  const last = shape[shape.length - 1];
  if (typeof last !== 'number') return 'dynamic';
  return shape.length === 2 && last === 1 ? null : last;
}

/** `probabilities_0`, `probabilities[0]`, `probabilities.0`: column i of a wide tensor, by name. */
const indexedName = (tensor: string, i: number) => [`${tensor}_${i}`, `${tensor}[${i}]`, `${tensor}.${i}`];

/**
 * Each column's role and where serving traffic carries it. The caller's overrides first; then, with a
 * signature, outputs by name (a [N] output → the prediction, a [N, k] one → k probability columns named
 * `<output>_<i>`), a target by name, and the inputs: a [N] input by name, a [N, k] input by indexed names
 * or else by the remaining columns in file order (exactly k; one column left over then is the target).
 * Every misfit is collected and reported at once.
 */
export function assignRoles(
  columns: readonly string[],
  signature: ModelSignature | null,
  overrides: RoleOverrides,
): AssignedColumn[] {
  const problems: string[] = [];
  const known = new Set(columns);
  for (const name of [...Object.keys(overrides.roles ?? {}), ...Object.keys(overrides.sources ?? {})]) {
    if (!known.has(name)) problems.push(`no column "${name}" (roles were given for it)`);
  }
  const out = new Map<string, AssignedColumn>();
  const assign = (name: string, role: ColumnRole, source: ColumnSource | null) =>
    out.set(name, { name, role, source });
  const sourceOf = (name: string, fallback: ColumnSource | null): ColumnSource | null => {
    const s = overrides.sources?.[name];
    return s ? { side: s.side ?? 'input', tensor: s.tensor, index: s.index } : fallback;
  };
  for (const [name, role] of Object.entries(overrides.roles ?? {})) {
    if (!known.has(name) || (role === 'feature' && !overrides.sources?.[name])) continue;
    const fromOutput = signature?.outputs.some((t) => t.name === name)
      ? ({ side: 'output', tensor: name, index: null } as const)
      : null;
    assign(name, role, role === 'target' || role === 'ignored' ? null : sourceOf(name, fromOutput));
  }
  const free = () => columns.filter((c) => !out.has(c));

  if (!signature) {
    for (const name of free()) {
      if (targetNames.includes(name.toLowerCase())) assign(name, 'target', null);
      else if (name.toLowerCase() === 'prediction')
        assign(name, 'prediction', sourceOf(name, { side: 'output', tensor: name, index: null }));
      else assign(name, 'feature', sourceOf(name, { side: 'input', tensor: name, index: null }));
    }
    if (problems.length > 0) throw referenceColumnsMismatch(problems);
    return columns.map((c) => out.get(c) as AssignedColumn);
  }

  for (const t of signature.outputs) {
    const width = widthOf(t);
    if (width === null) {
      if (free().includes(t.name))
        assign(t.name, 'prediction', { side: 'output', tensor: t.name, index: null });
      continue;
    }
    const k = width === 'dynamic' ? 0 : width;
    for (let i = 0; i < k; i++) {
      const name = indexedName(t.name, i).find((n) => free().includes(n));
      if (name) assign(name, 'probability', { side: 'output', tensor: t.name, index: i });
    }
  }
  for (const name of free()) {
    const forced = overrides.roles?.[name] === 'feature';
    if (!forced && targetNames.includes(name.toLowerCase())) assign(name, 'target', null);
  }

  const positional: { tensor: TensorSpec; width: number | 'dynamic' }[] = [];
  const sourced = (tensor: string) =>
    [...out.values()].some((c) => c.source?.side === 'input' && c.source.tensor === tensor);
  for (const t of signature.inputs) {
    // Columns the caller mapped to this input stand for it.
    if (sourced(t.name)) continue;
    const width = widthOf(t);
    if (width === null) {
      if (free().includes(t.name)) assign(t.name, 'feature', { side: 'input', tensor: t.name, index: null });
      else if (!out.has(t.name)) problems.push(`input "${t.name}" has no column of that name`);
      continue;
    }
    const names = width === 'dynamic' ? [] : Array.from({ length: width }, (_, i) => indexedName(t.name, i));
    const found = names.map((alts) => alts.find((n) => free().includes(n)));
    if (names.length > 0 && found.every((n) => n !== undefined)) {
      found.forEach((n, i) => {
        assign(n as string, 'feature', { side: 'input', tensor: t.name, index: i });
      });
    } else {
      positional.push({ tensor: t, width });
    }
  }
  if (positional.length > 1) {
    problems.push(
      `inputs ${positional.map((p) => `"${p.tensor.name}"`).join(', ')} are several [N, k] tensors: name their columns <input>_<i> or map them with sources`,
    );
  } else if (positional[0]) {
    const { tensor, width } = positional[0];
    const pool = free();
    const expected = width === 'dynamic' ? pool.length : width;
    if (pool.length < expected) {
      problems.push(
        `input "${tensor.name}" takes ${expected} columns but only ${pool.length} remain (${pool.join(', ') || 'none'})`,
      );
    } else {
      pool.slice(0, expected).forEach((name, i) => {
        assign(name, 'feature', { side: 'input', tensor: tensor.name, index: i });
      });
    }
  }
  // The one column left over once a [N, k] input took its columns in file order is the ground truth
  // (datasets put it last: iris's `species`), unless a target is already named; it is shown with its role.
  const leftover = free();
  const hasTarget = [...out.values()].some((c) => c.role === 'target');
  if (positional.length === 1 && leftover.length === 1 && !hasTarget && problems.length === 0)
    assign(leftover[0] as string, 'target', null);
  const extra = free();
  if (extra.length > 0 && problems.length === 0) {
    problems.push(
      `columns ${extra.map((c) => `"${c}"`).join(', ')} match nothing in the model's signature (give them a role: target or ignored)`,
    );
  }
  if (problems.length > 0) throw referenceColumnsMismatch(problems);
  return columns.map((c) => out.get(c) as AssignedColumn);
}
