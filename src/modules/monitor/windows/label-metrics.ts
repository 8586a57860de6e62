/** A stored prediction and the ground truth posted for it later. */
export interface LabelPair {
  prediction: string;
  label: string;
}

/**
 * Accuracy and macro-F1 (scikit-learn's `f1_score(average="macro")`: the unweighted mean over every class
 * seen as a label or a prediction, a class with no true positive scoring 0) of labelled predictions; nulls
 * when none is labelled.
 */
export function labelMetrics(pairs: readonly LabelPair[]): {
  count: number;
  accuracy: number | null;
  f1: number | null;
} {
  if (pairs.length === 0) return { count: 0, accuracy: null, f1: null };
  const classes = new Set<string>();
  const tp = new Map<string, number>();
  const predicted = new Map<string, number>();
  const actual = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  let correct = 0;
  for (const { prediction, label } of pairs) {
    classes.add(prediction);
    classes.add(label);
    bump(predicted, prediction);
    bump(actual, label);
    if (prediction === label) {
      correct++;
      bump(tp, label);
    }
  }
  let f1Sum = 0;
  for (const c of classes) {
    const t = tp.get(c) ?? 0;
    const denominator = (predicted.get(c) ?? 0) + (actual.get(c) ?? 0);
    f1Sum += denominator === 0 ? 0 : (2 * t) / denominator;
  }
  return { count: pairs.length, accuracy: correct / pairs.length, f1: f1Sum / classes.size };
}
