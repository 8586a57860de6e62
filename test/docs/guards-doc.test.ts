import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinRuleIds, builtinRules } from '../../src/modules/guards/index.js';

const doc = readFileSync(new URL('../../docs/guards.md', import.meta.url), 'utf8');

describe('docs/guards.md', () => {
  it('lists every screening rule with its weights, and no rule that does not exist', () => {
    const rows = new Map(
      [...doc.matchAll(/^\| `([a-z_]+\.[a-z_]+)` \| ([0-9.]+) \| ([0-9.]+) \|/gm)].map((m) => [
        m[1],
        [Number(m[2]), Number(m[3])],
      ]),
    );
    expect([...rows.keys()].sort()).toEqual([...builtinRuleIds].sort());
    for (const rule of builtinRules) {
      expect(rows.get(rule.id), rule.id).toEqual([rule.weight, rule.untrustedWeight ?? rule.weight]);
    }
  });
});
