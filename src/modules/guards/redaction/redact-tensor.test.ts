import { describe, expect, it } from 'vitest';
import { redactTensorStrings } from './redact-tensor.js';

describe('redactTensorStrings', () => {
  it('redacts every string of a BYTES output and keeps its layout', () => {
    const tensor = {
      name: 'text_output',
      datatype: 'BYTES',
      shape: [2, 1],
      data: [['mail me at a@example.com'], ['call +44 20 7946 0958']],
    };
    const result = redactTensorStrings(tensor);
    expect(result.tensor.data).toEqual([['mail me at [EMAIL]'], ['call [PHONE]']]);
    expect(result.redactions.map((r) => [r.element, r.type])).toEqual([
      [0, 'EMAIL'],
      [1, 'PHONE'],
    ]);
    expect(tensor.data[0]).toEqual(['mail me at a@example.com']); // the input is not changed
  });

  it('returns other datatypes as they are', () => {
    const tensor = { name: 'probs', datatype: 'FP32', shape: [2], data: [0.1, 0.9] };
    expect(redactTensorStrings(tensor).tensor).toBe(tensor);
  });
});
