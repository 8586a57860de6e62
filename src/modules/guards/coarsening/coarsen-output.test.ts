import { describe, expect, it } from 'vitest';
import { coarsenOutputs, roundTo, topIndices } from './coarsen-output.js';
import type { CoarseningConfig } from './coarsening.types.js';
import { parseCoarseningConfig } from './coarsening-config.js';
import type { V2Tensor } from './tensor.js';

const config = (input: Record<string, unknown>): CoarseningConfig => {
  const parsed = parseCoarseningConfig(input);
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  return parsed.config;
};

// What an iris classifier exported by skl2onnx returns for two rows: labels and a [rows, classes] matrix.
const label: V2Tensor = { name: 'output_label', datatype: 'INT64', shape: [2], data: [1, 2] };
const probabilities: V2Tensor = {
  name: 'output_probability',
  datatype: 'FP32',
  shape: [2, 3],
  data: [
    [0.0123456, 0.8765432, 0.1111112],
    [0.05, 0.3, 0.65],
  ],
};
const logits: V2Tensor = { name: 'logits', datatype: 'FP32', shape: [2, 3], data: [1, 2, 3, 4, 5, 6] };
const outputs = [label, probabilities, logits];
const named = { probabilities: 'output_probability', labels: 'output_label' };

describe('roundTo and topIndices', () => {
  it('rounds half away from zero and leaves non-numbers', () => {
    expect(roundTo(0.8765432, 2)).toBe(0.88);
    expect(roundTo(0.125, 2)).toBe(0.13);
    expect(roundTo(-0.004, 2)).toBe(0);
    expect(roundTo(0.5, 0)).toBe(1);
    expect(roundTo('x', 2)).toBe('x');
  });

  it('breaks ties by the lower index', () => {
    expect([...topIndices([0.2, 0.4, 0.4, 0.1], 2)]).toEqual([1, 2]);
    expect([...topIndices([0.25, 0.25, 0.25, 0.25], 1)]).toEqual([0]);
  });
});

describe('coarsenOutputs', () => {
  it('off: returns the outputs unchanged', () => {
    const result = coarsenOutputs(outputs, config({}));
    expect(result).toEqual({ ok: true, outputs });
  });

  it('full with decimals: rounds every probability, keeps the shape, drops outputs not named', () => {
    const result = coarsenOutputs(outputs, config({ ...named, mode: 'full', decimals: 2 }));
    expect(result).toEqual({
      ok: true,
      outputs: [label, { ...probabilities, data: [0.01, 0.88, 0.11, 0.05, 0.3, 0.65] }],
    });
  });

  it('top-k: keeps the k highest per row, writes the rest as 0, rounds', () => {
    const result = coarsenOutputs(outputs, config({ ...named, mode: 'top-k', topK: 1, decimals: 1 }));
    expect(result.ok && result.outputs.find((t) => t.name === 'output_probability')?.data).toEqual([
      0, 0.9, 0, 0, 0, 0.7,
    ]);
    const two = coarsenOutputs([probabilities], config({ mode: 'top-k', topK: 2 }));
    expect(two.ok && two.outputs[0]?.data).toEqual([0, 0.8765432, 0.1111112, 0, 0.3, 0.65]);
  });

  it('labels-only: returns the model label output alone', () => {
    const result = coarsenOutputs(outputs, config({ ...named, mode: 'labels-only' }));
    expect(result).toEqual({ ok: true, outputs: [label] });
  });

  it('labels-only without a label output: derives the arg-max', () => {
    const result = coarsenOutputs(
      [probabilities],
      config({ mode: 'labels-only', derivedLabelName: 'class' }),
    );
    expect(result).toEqual({
      ok: true,
      outputs: [{ name: 'class', datatype: 'INT64', shape: [2], data: [1, 2] }],
    });
    const single: V2Tensor = { name: 'p', datatype: 'FP64', shape: [3], data: [0.2, 0.1, 0.7] };
    expect(coarsenOutputs([single], config({ mode: 'labels-only' }))).toEqual({
      ok: true,
      outputs: [{ name: 'label', datatype: 'INT64', shape: [1], data: [2] }],
    });
  });

  it('finds the only floating-point output when none is named, and drops the rest', () => {
    const result = coarsenOutputs([label, probabilities], config({ mode: 'full', decimals: 1 }));
    expect(result.ok && result.outputs.map((t) => t.name)).toEqual(['output_probability']);
  });

  it('passes named outputs through unchanged', () => {
    const result = coarsenOutputs(
      outputs,
      config({ ...named, mode: 'full', decimals: 1, passThrough: ['logits'] }),
    );
    expect(result.ok && result.outputs.map((t) => t.name)).toEqual([
      'output_label',
      'output_probability',
      'logits',
    ]);
  });

  const failing: [string, V2Tensor[], Record<string, unknown>][] = [
    ['no output of that name', [probabilities], { mode: 'full', probabilities: 'nope' }],
    ['several floating outputs and no name', [probabilities, logits], { mode: 'full' }],
    ['a label output that is missing', [probabilities], { mode: 'labels-only', labels: 'output_label' }],
    ['a non-float probability output', [label], { mode: 'full', probabilities: 'output_label' }],
    [
      'data that does not match the shape',
      [{ ...probabilities, shape: [3, 3] }],
      { mode: 'top-k', probabilities: 'output_probability' },
    ],
    ['a rank-3 tensor', [{ ...probabilities, shape: [1, 2, 3] }], { mode: 'full' }],
    [
      'a value that is not a number',
      [{ ...probabilities, data: [0.1, 'x', 0.3, 0.1, 0.2, 0.7] }],
      { mode: 'full' },
    ],
  ];
  it.each(failing)('fails closed on %s', (_what, given, settings) => {
    const result = coarsenOutputs(given, config(settings));
    expect(result.ok).toBe(false);
  });

  it('does not change its input', () => {
    const copy = structuredClone(outputs);
    coarsenOutputs(outputs, config({ mode: 'top-k', topK: 1, decimals: 0 }));
    expect(outputs).toEqual(copy);
  });
});

describe('parseCoarseningConfig', () => {
  it('reports every problem at once', () => {
    const parsed = parseCoarseningConfig({
      mode: 'blur',
      topK: 0,
      decimals: 9,
      passThrough: [1],
      extra: true,
    });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors).toHaveLength(5);
  });

  it('takes the defaults for what is absent, and freezes', () => {
    const parsed = parseCoarseningConfig({ mode: 'top-k', topK: 3 });
    expect(parsed.ok && parsed.config).toMatchObject({ mode: 'top-k', topK: 3, decimals: null });
    expect(parsed.ok && Object.isFrozen(parsed.config)).toBe(true);
  });
});
