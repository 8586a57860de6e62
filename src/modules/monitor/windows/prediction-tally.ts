import type { PredictionSummary } from '../monitor.types.js';

/** Distinct predictions counted exactly up to this many; beyond, new values count as distinct, unkept. */
export const maxDistinctPredictions = 10_000;

/**
 * A window's predictions as the output detectors read them: counts per predicted value (bounded), and the
 * running mean of each row's highest predicted probability.
 */
export function createPredictionTally() {
  const counts = new Map<string, number>();
  let rows = 0;
  let overflow = 0;
  let confidenceSum = 0;
  let confidenceRows = 0;
  return {
    prediction(value: string) {
      rows++;
      const n = counts.get(value);
      if (n !== undefined) counts.set(value, n + 1);
      else if (counts.size < maxDistinctPredictions) counts.set(value, 1);
      else overflow++;
    },
    /** One row's probabilities (its highest is the model's confidence in its answer). */
    probabilities(values: readonly number[]) {
      let top = Number.NEGATIVE_INFINITY;
      for (const v of values) if (Number.isFinite(v) && v > top) top = v;
      if (top === Number.NEGATIVE_INFINITY) return;
      confidenceSum += top;
      confidenceRows++;
    },
    summary(): PredictionSummary | null {
      if (rows === 0 && confidenceRows === 0) return null;
      let topClass: string | null = null;
      let topCount = 0;
      for (const [value, n] of counts)
        if (n > topCount || (n === topCount && topClass !== null && value < topClass)) {
          topClass = value;
          topCount = n;
        }
      return {
        rows,
        uniqueRatio: rows === 0 ? 0 : (counts.size + overflow) / rows,
        topClass,
        topClassShare: rows === 0 ? 0 : topCount / rows,
        meanConfidence: confidenceRows === 0 ? null : confidenceSum / confidenceRows,
      };
    },
  };
}
