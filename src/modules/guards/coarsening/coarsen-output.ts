import type { CoarseningConfig, CoarsenResult } from './coarsening.types.js';
import { FLOAT_DATATYPES, tensorElements, type V2Tensor } from './tensor.js';

/** `value` rounded half away from zero to `decimals` places; non-numbers and non-finite values unchanged. */
export function roundTo(value: unknown, decimals: number): unknown {
  return roundScaled(value, 10 ** decimals);
}

/** `roundTo` with its `10 ** decimals` worked out once by the caller (once per tensor, not per value). */
function roundScaled(value: unknown, scale: number): unknown {
  if (typeof value !== 'number' || !Number.isFinite(value)) return value;
  const rounded = (Math.sign(value) * Math.round(Math.abs(value) * scale + Number.EPSILON * scale)) / scale;
  return Object.is(rounded, -0) ? 0 : rounded;
}

/** Indices of the `k` largest values (ties: the lower index first, so equal inputs give equal outputs). */
export function topIndices(row: readonly number[], k: number): Set<number> {
  const order = row.map((_, i) => i).sort((a, b) => (row[b] as number) - (row[a] as number) || a - b);
  return new Set(order.slice(0, Math.max(0, k)));
}

interface Matrix {
  rows: number;
  classes: number;
  values: number[];
}

function asMatrix(tensor: V2Tensor): { ok: true; matrix: Matrix } | { ok: false; error: string } {
  if (!FLOAT_DATATYPES.includes(tensor.datatype))
    return { ok: false, error: `output "${tensor.name}" is ${tensor.datatype}, not floating point` };
  if (tensor.shape.length < 1 || tensor.shape.length > 2)
    return { ok: false, error: `output "${tensor.name}" must be [classes] or [rows, classes]` };
  const elements = tensorElements(tensor);
  if (!elements.ok) return elements;
  if (!elements.values.every((v) => typeof v === 'number'))
    return { ok: false, error: `output "${tensor.name}" holds a value that is not a number` };
  const classes = tensor.shape[tensor.shape.length - 1] as number;
  const rows = tensor.shape.length === 2 ? (tensor.shape[0] as number) : 1;
  return { ok: true, matrix: { rows, classes, values: elements.values as number[] } };
}

function findProbabilities(outputs: readonly V2Tensor[], name: string | null): V2Tensor | string {
  if (name !== null) return outputs.find((t) => t.name === name) ?? `the model returned no output "${name}"`;
  const floats = outputs.filter((t) => FLOAT_DATATYPES.includes(t.datatype));
  if (floats.length === 1) return floats[0] as V2Tensor;
  return floats.length === 0
    ? 'the model returned no floating-point output to coarsen'
    : 'the model returned several floating-point outputs: name the probabilities in the coarsening settings';
}

function coarsenMatrix(m: Matrix, config: CoarseningConfig): number[] {
  const scale = 10 ** (config.decimals ?? 0);
  // Rounding alone needs no row of its own: each value is rounded where it stands.
  if (config.mode !== 'top-k')
    return config.decimals === null ? [...m.values] : m.values.map((v) => roundScaled(v, scale) as number);
  const out: number[] = [];
  for (let r = 0; r < m.rows; r++) {
    const row = m.values.slice(r * m.classes, (r + 1) * m.classes);
    const kept = config.mode === 'top-k' ? topIndices(row, config.topK) : null;
    row.forEach((v, i) => {
      const value = kept && !kept.has(i) ? 0 : v;
      out.push(config.decimals === null ? value : (roundScaled(value, scale) as number));
    });
  }
  return out;
}

function argmaxLabels(m: Matrix, name: string, rank: number): V2Tensor {
  const labels: number[] = [];
  for (let r = 0; r < m.rows; r++) {
    const row = m.values.slice(r * m.classes, (r + 1) * m.classes);
    const [best] = topIndices(row, 1);
    labels.push(best ?? 0);
  }
  return { name, datatype: 'INT64', shape: rank === 2 ? [m.rows] : [1], data: labels };
}

/**
 * A model's outputs coarsened as one deployment asks (see `CoarseningConfig`). Pure; fails closed: when the
 * outputs are not what the settings describe (no such tensor, not a probability matrix, a shape that does
 * not match its data), the result is an error, never the outputs unchanged.
 */
export function coarsenOutputs(outputs: readonly V2Tensor[], config: CoarseningConfig): CoarsenResult {
  if (config.mode === 'off') return { ok: true, outputs: [...outputs] };
  const probabilities = findProbabilities(outputs, config.probabilities);
  if (typeof probabilities === 'string') return { ok: false, error: probabilities };
  const parsed = asMatrix(probabilities);
  if (!parsed.ok) return parsed;
  const labels = config.labels === null ? undefined : outputs.find((t) => t.name === config.labels);
  if (config.labels !== null && !labels)
    return { ok: false, error: `the model returned no output "${config.labels}"` };
  if (config.mode === 'labels-only') {
    const label = labels ?? argmaxLabels(parsed.matrix, config.derivedLabelName, probabilities.shape.length);
    return { ok: true, outputs: [label] };
  }
  const coarse: V2Tensor = {
    ...probabilities,
    shape: [...probabilities.shape],
    data: coarsenMatrix(parsed.matrix, config),
  };
  const result: V2Tensor[] = [];
  for (const t of outputs) {
    if (t === probabilities) result.push(coarse);
    else if (t === labels || config.passThrough.includes(t.name)) result.push(t);
  }
  return { ok: true, outputs: result };
}
