import { describe, expect, it } from 'vitest';
import { defaultGuardPolicy } from './guard-policy.js';
import {
  applyGuardPolicy,
  overriddenPaths,
  parseGuardPolicyDocument,
  weakenings,
} from './guard-policy-document.js';

const bounds = { maxRows: 100 };
const problemsOf = (input: unknown) => {
  const r = parseGuardPolicyDocument(input, bounds);
  return r.ok ? [] : r.problems;
};

describe('guard policy documents', () => {
  it('accepts a partial document and lays it over the defaults, config key by key', () => {
    const doc = { coarsening: { config: { topK: 2, mode: 'top-k' } }, validation: { maxRows: 10 } };
    expect(problemsOf(doc)).toEqual([]);
    const policy = applyGuardPolicy(defaultGuardPolicy(bounds), doc);
    expect(policy.coarsening).toEqual({ enabled: true, config: { mode: 'top-k', decimals: 4, topK: 2 } });
    expect(policy.validation).toEqual({ maxRows: 10, maxStringLength: 65_536 });
    expect(policy.screening.enabled).toBe(true);
    expect(overriddenPaths(doc)).toEqual([
      'coarsening.config.mode',
      'coarsening.config.topK',
      'validation.maxRows',
    ]);
    // The defaults are not changed by a merge.
    expect(defaultGuardPolicy(bounds).coarsening.config).toEqual({ mode: 'full', decimals: 4 });
  });

  it('reports unknown fields, wrong types and ranges at their paths, all at once', () => {
    expect(problemsOf({ screening: { enabeld: false }, extra: {} })).toEqual([
      {
        path: 'extra',
        message: 'unknown field; known: validation, rateLimit, screening, redaction, coarsening, extraction',
      },
      { path: 'screening.enabeld', message: 'unknown field; known: enabled, config' },
    ]);
    expect(problemsOf(null)).toEqual([{ path: '', message: 'must be an object, got null' }]);
    expect(problemsOf({ validation: { maxRows: 101 } })[0]?.message).toBe(
      'must be an integer from 1 to 100 (gateway.maxRows)',
    );
    expect(problemsOf({ screening: { config: { blockAt: 0.3, flagAt: 0.6 } } })).toEqual([
      { path: 'screening.config', message: 'flagAt must not be above blockAt' },
    ]);
    expect(problemsOf({ screening: { config: { rules: { disabled: ['no.such_rule'] } } } })).toEqual([
      { path: 'screening.config', message: 'rules.disabled: no rule no.such_rule' },
    ]);
    expect(problemsOf({ screening: { config: { rules: { disabled: 'all' } } } })).toEqual([
      { path: 'screening.config.rules.disabled', message: 'must be a list of rule ids' },
    ]);
    expect(problemsOf({ extraction: { config: { profiles: {} } } })).toEqual([
      expect.objectContaining({ path: 'extraction.config.profiles' }),
    ]);
    expect(problemsOf({ extraction: { config: { maxBytes: 2 ** 40 } } })[0]?.path).toBe(
      'extraction.config.maxBytes',
    );
    expect(
      problemsOf({ extraction: { profile: { lo: [0, 0], hi: [1, 1], bins: 4, grid: [0, 0] } } }),
    ).toEqual([
      { path: 'extraction.profile', message: 'profile grid features must be distinct feature indices' },
    ]);
    expect(problemsOf({ rateLimit: { perAddress: null, enabled: 1 } })).toEqual([
      { path: 'rateLimit.enabled', message: 'must be true or false, got number' },
    ]);
  });

  it('says what a document weakens', () => {
    expect(weakenings({ screening: { enabled: false }, redaction: { enabled: true } })).toEqual([
      'screening off',
    ]);
    expect(weakenings({ screening: { config: { mode: 'monitor' } } })).toEqual(['screening in monitor mode']);
    expect(weakenings({ coarsening: { config: { decimals: 1 } } })).toEqual([]);
  });
});
