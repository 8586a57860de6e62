import { describe, expect, it } from 'vitest';
import { bucketOf, pickRoute, type Split } from './traffic-split.js';

const principals = Array.from({ length: 20_000 }, (_, i) => `token:caller-${i}`);
const canary = (percent: number): Split => ({
  stable: 'stable-digest',
  candidate: { digest: 'canary-digest', mode: 'canary', percent },
});

describe('pickRoute', () => {
  it('serves stable alone when there is no candidate', () => {
    expect(pickRoute({ stable: 's', candidate: null }, 'iris', 'token:a')).toEqual({
      serve: 's',
      slot: 'stable',
      mirror: null,
    });
  });

  it.each([1, 5, 20, 50, 90, 99])('sends about %i %% of callers to a canary', (percent) => {
    const share =
      principals.filter((p) => pickRoute(canary(percent), 'iris', p).slot === 'canary').length /
      principals.length;
    // 20,000 callers: the binomial standard deviation is at most 0.35 percentage points; allow 4 of them.
    expect(Math.abs(share * 100 - percent)).toBeLessThan(1.5);
  });

  it('is sticky: the same caller always gets the same answer, and keeps the canary as its share grows', () => {
    for (const p of principals.slice(0, 500)) {
      const first = pickRoute(canary(30), 'iris', p);
      for (let i = 0; i < 3; i++) expect(pickRoute(canary(30), 'iris', p)).toEqual(first);
      if (first.slot === 'canary') expect(pickRoute(canary(60), 'iris', p).slot).toBe('canary');
      if (pickRoute(canary(10), 'iris', p).slot === 'canary') expect(first.slot).toBe('canary');
    }
  });

  it('spreads callers independently per model', () => {
    const inIris = new Set(principals.filter((p) => pickRoute(canary(50), 'iris', p).slot === 'canary'));
    const both = principals.filter(
      (p) => inIris.has(p) && pickRoute(canary(50), 'resnet', p).slot === 'canary',
    );
    // Independent halves overlap in about a quarter of the callers.
    expect(Math.abs(both.length / principals.length - 0.25)).toBeLessThan(0.02);
  });

  it("copies a shadow's share of requests to it while stable keeps answering", () => {
    const shadow: Split = { stable: 's', candidate: { digest: 'x', mode: 'shadow', percent: 25 } };
    const routes = principals.map((p) => pickRoute(shadow, 'iris', p));
    expect(routes.every((r) => r.serve === 's' && r.slot === 'stable')).toBe(true);
    const mirrored = routes.filter((r) => r.mirror === 'x').length / routes.length;
    expect(Math.abs(mirrored - 0.25)).toBeLessThan(0.015);
  });

  it('buckets uniformly over 0–9,999', () => {
    const counts = new Array(10).fill(0);
    for (const p of principals) counts[Math.floor(bucketOf('iris', p) / 1000)] += 1;
    for (const c of counts) expect(Math.abs(c - 2000)).toBeLessThan(200);
  });
});
