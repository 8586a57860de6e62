import { describe, expect, it } from 'vitest';
import { CanonicalJsonError, canonicalJson } from './canonical-json.js';

describe('canonicalJson (RFC 8785)', () => {
  it('sorts keys by UTF-16 code units (the RFC 8785 §3.2.3 example)', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    expect(canonicalJson(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('writes numbers, strings and literals as the RFC 8785 §3.2.4 example does', () => {
    const input = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],' +
        '"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    );
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('nests, keeps array order and writes no whitespace', () => {
    expect(canonicalJson({ b: [3, { z: 1, a: null }], a: { y: 'x', c: false } })).toBe(
      '{"a":{"c":false,"y":"x"},"b":[3,{"a":null,"z":1}]}',
    );
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson({})).toBe('{}');
    expect(canonicalJson(-0)).toBe('0');
  });

  it('is the same whatever order the keys were inserted in', () => {
    expect(canonicalJson({ a: 1, b: 2, c: { d: 1, e: 2 } })).toBe(
      canonicalJson({ c: { e: 2, d: 1 }, b: 2, a: 1 }),
    );
  });

  it.each([
    ['NaN', { n: Number.NaN }, '$.n'],
    ['Infinity', { n: [1, Number.POSITIVE_INFINITY] }, '$.n[1]'],
    ['undefined', { u: undefined }, '$.u'],
    ['a bigint', { b: 1n }, '$.b'],
    ['a function', { f: () => 1 }, '$.f'],
    ['a Date', { d: new Date(0) }, '$.d'],
    ['a Map', new Map(), '$'],
    ['a lone high surrogate', { s: 'a\ud800b' }, '$.s'],
    ['a lone low surrogate in a key', { '\udc00': 1 }, '$.\udc00'],
    ['undefined in an array', { a: [1, undefined, 3] }, '$.a[1]'],
    ['an array hole', { a: new Array(2) }, '$.a[0]'],
  ])('refuses %s', (_what, value, path) => {
    expect(() => canonicalJson(value)).toThrow(CanonicalJsonError);
    try {
      canonicalJson(value);
    } catch (err) {
      expect((err as CanonicalJsonError).path).toBe(path);
    }
  });

  it('accepts objects without a prototype', () => {
    const bare = Object.assign(Object.create(null), { b: 1, a: 2 });
    expect(canonicalJson(bare)).toBe('{"a":2,"b":1}');
  });
});
