import { describe, expect, it } from 'vitest';
import {
  checkPolicyDocument,
  defaultRules,
  defaultThresholds,
  resolvePolicy,
} from '../../src/modules/monitor/index.js';

describe('monitor policy', () => {
  it('resolves to the defaults, each field set replacing the default one', () => {
    expect(resolvePolicy(null)).toEqual({ thresholds: defaultThresholds, rules: defaultRules, drift: {} });
    const p = resolvePolicy({
      thresholds: { driftShare: 0.3 },
      rules: { confidence: { severity: 'critical' } },
    });
    expect(p.thresholds).toEqual({ ...defaultThresholds, driftShare: 0.3 });
    expect(p.rules.confidence).toEqual({ ...defaultRules.confidence, severity: 'critical' });
    expect(p.rules.dataset_drift).toEqual(defaultRules.dataset_drift);
  });

  it('accepts a valid document', () => {
    expect(
      checkPolicyDocument({
        thresholds: { driftShare: 1, p99LatencyMsMax: 250, minRows: 10 },
        rules: { error_rate: { enabled: false, forWindows: 1, resolveAfter: 3, severity: 'info' } },
      }),
    ).toEqual([]);
  });

  it('reports every problem at its path: unknown detectors and fields, bad numbers and severities', () => {
    expect(
      checkPolicyDocument({
        thresholds: { driftShare: 1.5, errorRateMax: -1, p99LatencyMsMax: 'fast', nope: 1 },
        rules: {
          telepathy: { severity: 'critical' },
          confidence: { forWindows: 0, resolveAfter: 1.5, severity: 'page', enabled: 'yes', when: 1 },
          error_rate: 3,
        },
        extra: true,
      }),
    ).toEqual([
      { path: 'thresholds.driftShare', message: 'must be at most 1 (a share)' },
      { path: 'thresholds.errorRateMax', message: 'must be a finite number, at least 0' },
      { path: 'thresholds.p99LatencyMsMax', message: 'must be a finite number, at least 0' },
      { path: 'thresholds.nope', message: 'is not a detector threshold' },
      { path: 'rules.telepathy', message: expect.stringMatching(/^is not a detector/) },
      { path: 'rules.confidence.forWindows', message: 'must be an integer from 1 to 1000' },
      { path: 'rules.confidence.resolveAfter', message: 'must be an integer from 1 to 1000' },
      { path: 'rules.confidence.severity', message: 'must be one of info, warning, critical' },
      { path: 'rules.confidence.enabled', message: 'must be true or false' },
      { path: 'rules.confidence.when', message: 'is not a rule field' },
      { path: 'rules.error_rate', message: 'must be an object' },
      { path: 'extra', message: 'is not a policy field (thresholds, rules, drift)' },
    ]);
    expect(checkPolicyDocument([])).toEqual([{ path: '', message: 'must be an object' }]);
  });
});
