import { describe, expect, it } from 'vitest';
import { decisionCache } from './decision-cache.js';

const allow = { allowed: true, policies: ['p'], errors: [] };
const deny = { allowed: false, policies: [], errors: [] };

describe('decisionCache', () => {
  it('forgets the least recently used decision first', () => {
    const cache = decisionCache(2);
    cache.set('a', allow);
    cache.set('b', deny);
    expect(cache.get('a')).toBe(allow);
    cache.set('c', allow);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(allow);
    expect(cache.get('c')).toBe(allow);
  });

  it('keeps nothing at size 0', () => {
    const cache = decisionCache(0);
    cache.set('a', allow);
    expect(cache.get('a')).toBeUndefined();
  });
});
