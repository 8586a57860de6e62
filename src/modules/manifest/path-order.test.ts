import { describe, expect, it } from 'vitest';
import { compareCodePoints, compareOmsPaths } from './path-order.js';

describe('compareOmsPaths', () => {
  it('orders component by component, not as plain strings', () => {
    expect(['a.txt', 'a-b/c', 'a/b', 'a/a'].sort(compareOmsPaths)).toEqual(['a/a', 'a/b', 'a-b/c', 'a.txt']);
  });

  it('matches Python PurePosixPath ordering, astral characters included', () => {
    // Expected list produced by: sorted(names, key=pathlib.PurePosixPath) on CPython 3.
    const expected = [
      'A',
      'a',
      'a/a',
      'a/b',
      'a/b/c',
      'a b',
      'a-b/c',
      'a.txt',
      'b',
      'z',
      '\u00e9',
      '\ue000x',
      '\ufffd',
      '\u{1F600}',
    ];
    const shuffled = [...expected].reverse();
    expect(shuffled.sort(compareOmsPaths)).toEqual(expected);
  });

  it('puts a parent before its children and equal paths at 0', () => {
    expect(compareOmsPaths('a', 'a/b')).toBeLessThan(0);
    expect(compareOmsPaths('a/b/c', 'a/b')).toBeGreaterThan(0);
    expect(compareOmsPaths('x/y', 'x/y')).toBe(0);
  });
});

describe('compareCodePoints', () => {
  it('compares by code point where UTF-16 code units disagree', () => {
    // UTF-16 puts U+1F600 (surrogates 0xD83D…) below U+FFFD; code points put it above.
    expect(compareCodePoints('\u{1F600}', '\uFFFD')).toBeGreaterThan(0);
    expect(compareCodePoints('\u{1F600}', '\u{1F601}')).toBeLessThan(0);
    expect(compareCodePoints('\u{10000}', '\uD7FF')).toBeGreaterThan(0);
    expect(compareCodePoints('ab', 'a')).toBeGreaterThan(0);
  });
});
