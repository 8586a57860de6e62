/**
 * An inference output tensor as the Open Inference Protocol V2 writes it in JSON:
 * `{name, datatype, shape, data}`, `data` row-major, flat or nested.
 */
export interface V2Tensor {
  name: string;
  datatype: string;
  shape: number[];
  data: unknown[];
  parameters?: Record<string, unknown>;
}

export const FLOAT_DATATYPES: readonly string[] = ['FP16', 'BF16', 'FP32', 'FP64'];

/** How deep `data` may nest (one level per dimension; V2 tensors here have at most a few). */
const MAX_NESTING = 32;

/** The number of elements `shape` holds, or null for a shape that is not a list of whole numbers ≥ 0. */
export function elementCount(shape: readonly number[]): number | null {
  let n = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) return null;
    n *= d;
  }
  return Number.isSafeInteger(n) ? n : null;
}

/**
 * `data` flattened in row-major order (nested arrays are a layout, not values), or null when it nests deeper
 * than any tensor here could. Iterative: a hostile nesting depth cannot exhaust the call stack.
 */
export function flattenData(data: readonly unknown[]): unknown[] | null {
  const out: unknown[] = [];
  const stack: { items: readonly unknown[]; at: number }[] = [{ items: data, at: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as { items: readonly unknown[]; at: number };
    if (top.at >= top.items.length) {
      stack.pop();
      continue;
    }
    const item = top.items[top.at++];
    if (Array.isArray(item)) {
      if (stack.length >= MAX_NESTING) return null;
      stack.push({ items: item, at: 0 });
    } else out.push(item);
  }
  return out;
}

/** The tensor's elements, flat, when they match its shape; otherwise why not. */
export function tensorElements(
  tensor: V2Tensor,
): { ok: true; values: unknown[] } | { ok: false; error: string } {
  const count = elementCount(tensor.shape);
  if (count === null) return { ok: false, error: `output "${tensor.name}" has an invalid shape` };
  const values = flattenData(tensor.data);
  if (values === null) return { ok: false, error: `output "${tensor.name}" nests too deeply` };
  if (values.length !== count)
    return {
      ok: false,
      error: `output "${tensor.name}" holds ${values.length} values for shape [${tensor.shape}]`,
    };
  return { ok: true, values };
}
