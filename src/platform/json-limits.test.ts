import { describe, expect, it } from 'vitest';
import { jsonDeeperThan, jsonLimitViolation } from './json-limits.js';

const nested = (depth: number): unknown => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);

describe('jsonDeeperThan', () => {
  it('counts the value itself as level 1 and scalars as no level', () => {
    expect(jsonDeeperThan(1, 0)).toBe(false);
    expect(jsonDeeperThan({ a: 1 }, 1)).toBe(false);
    expect(jsonDeeperThan({ a: { b: [1] } }, 2)).toBe(true);
    expect(jsonDeeperThan({ a: { b: [1] } }, 3)).toBe(false);
  });

  it('walks a million levels without overflowing the stack', () => {
    expect(jsonDeeperThan(nested(1_000_000), 32)).toBe(true);
    expect(jsonDeeperThan(nested(32), 32)).toBe(false);
  });

  it('treats a cycle as too deep', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(jsonDeeperThan(a, 32)).toBe(true);
  });
});

describe('jsonLimitViolation', () => {
  const limits = { maxDepth: 4, maxBytes: 20 };
  it('names the limit a value breaks', () => {
    expect(jsonLimitViolation({ a: 'b' }, limits)).toBeNull();
    expect(jsonLimitViolation(nested(5), limits)).toBe('must nest at most 4 levels deep');
    expect(jsonLimitViolation({ a: 'x'.repeat(20) }, limits)).toBe('must be at most 20 bytes as JSON');
    expect(jsonLimitViolation({ n: 10n }, limits)).toBe('must be plain JSON');
  });
});
