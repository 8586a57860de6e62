import type { V2Tensor } from './tensor.js';

/**
 * How much of a classifier's output a deployment returns (model-extraction resistance):
 * - `off`: everything, unchanged;
 * - `full`: every class's probability, rounded when `decimals` is set;
 * - `top-k`: only the `topK` highest probabilities per row (the others written as 0, so the tensor keeps the
 *   shape the model's metadata declares), rounded when `decimals` is set;
 * - `labels-only`: only the predicted label per row (the model's label output, or the arg-max).
 * Outside `off`, only the probability and label tensors and those named in `passThrough` are returned: any
 * other output (logits, embeddings) would undo the coarsening, so it is dropped.
 */
export const coarseningModes = ['off', 'full', 'top-k', 'labels-only'] as const;
export type CoarseningMode = (typeof coarseningModes)[number];

export interface CoarseningConfig {
  mode: CoarseningMode;
  /** The `[rows, classes]` (or `[classes]`) probability output; null: the model's only floating-point output. */
  probabilities: string | null;
  /** The model's label output, if it has one (e.g. skl2onnx's `output_label`). */
  labels: string | null;
  topK: number;
  /** Decimals kept (0–6), or null to keep the model's values. */
  decimals: number | null;
  /** Outputs returned unchanged (only outside `labels-only`). */
  passThrough: readonly string[];
  /** Name of the arg-max label output made in `labels-only` mode when the model has none. */
  derivedLabelName: string;
}

export type CoarsenResult = { ok: true; outputs: V2Tensor[] } | { ok: false; error: string };
