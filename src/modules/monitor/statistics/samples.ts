import { invalidSample } from '../monitor.errors.js';

export type NumericSample = Float64Array | readonly number[];
export type CategoricalSample = readonly string[];
export type Sample = NumericSample | CategoricalSample;

export type PreparedSample =
  | { readonly numeric: true; readonly values: Float64Array }
  | { readonly numeric: false; readonly values: readonly string[] };

/** The finite values of a numeric sample: ±Infinity and NaN dropped. */
export function finiteValues(sample: NumericSample): Float64Array {
  const out = new Float64Array(sample.length);
  let n = 0;
  for (const value of sample) if (Number.isFinite(value)) out[n++] = value;
  return out.slice(0, n);
}

function isNumeric(sample: Sample): sample is NumericSample {
  return sample instanceof Float64Array || sample.every((value) => typeof value === 'number');
}

function prepare(sample: Sample, which: string): PreparedSample {
  const prepared: PreparedSample = isNumeric(sample)
    ? { numeric: true, values: finiteValues(sample) }
    : { numeric: false, values: sample };
  if (prepared.values.length === 0) throw invalidSample(`the ${which} sample has no finite value`);
  if (!prepared.numeric && prepared.values.some((value) => typeof value !== 'string')) {
    throw invalidSample(`the ${which} sample mixes numbers and strings`);
  }
  return prepared;
}

/** Both samples cleaned (non-finite numbers dropped), each non-empty and of the same kind, or a thrown `monitor_invalid_sample`. */
export function preparePair(reference: Sample, current: Sample): [PreparedSample, PreparedSample] {
  const ref = prepare(reference, 'reference');
  const cur = prepare(current, 'current');
  if (ref.numeric !== cur.numeric) throw invalidSample('one sample is numeric and the other categorical');
  return [ref, cur];
}
