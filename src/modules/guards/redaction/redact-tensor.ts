import type { V2Tensor } from '../coarsening/tensor.js';
import { redactText } from './redact-text.js';
import type { Redaction, RedactionConfig } from './redaction.types.js';
import { defaultRedactionConfig } from './redaction-config.js';

/** A redaction inside one element of a tensor (`element`: its row-major index). */
export interface TensorRedaction extends Redaction {
  element: number;
}

export interface TensorRedactionResult {
  tensor: V2Tensor;
  redactions: TensorRedaction[];
  /** Whether any element was longer than `maxInputChars` and cut. */
  truncated: boolean;
}

/**
 * Every string of a BYTES output redacted (text-generation models return their answers this way); the
 * layout of `data` (flat or nested) is kept. Tensors of other datatypes come back as they are.
 */
export function redactTensorStrings(
  tensor: V2Tensor,
  config: RedactionConfig = defaultRedactionConfig,
): TensorRedactionResult {
  if (tensor.datatype !== 'BYTES') return { tensor, redactions: [], truncated: false };
  const redactions: TensorRedaction[] = [];
  let truncated = false;
  let element = 0;
  // Walks the nesting with its own stack (a hostile depth cannot exhaust the call stack) and rebuilds it.
  const root: unknown[] = [];
  const stack: { from: readonly unknown[]; at: number; into: unknown[] }[] = [
    { from: tensor.data, at: 0, into: root },
  ];
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as { from: readonly unknown[]; at: number; into: unknown[] };
    if (top.at >= top.from.length) {
      stack.pop();
      continue;
    }
    const item = top.from[top.at++];
    if (Array.isArray(item)) {
      const into: unknown[] = [];
      top.into.push(into);
      stack.push({ from: item, at: 0, into });
      continue;
    }
    if (typeof item === 'string') {
      const result = redactText(item, config);
      truncated ||= result.truncated;
      for (const r of result.redactions) redactions.push({ ...r, element });
      top.into.push(result.text);
    } else top.into.push(item);
    element++;
  }
  return { tensor: { ...tensor, shape: [...tensor.shape], data: root }, redactions, truncated };
}
