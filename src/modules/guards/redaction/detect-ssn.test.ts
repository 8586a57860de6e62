import { describe, expect, it } from 'vitest';
import { detectSsns, validSsnParts } from './detect-ssn.js';
import type { Detection } from './redaction.types.js';

const ssns = (text: string) => {
  const out: Detection[] = [];
  detectSsns(text, out);
  return out.map((d) => text.slice(d.start, d.end));
};

describe('US SSN rules', () => {
  it.each([
    ['000', '12', '3456'],
    ['666', '12', '3456'],
    ['900', '12', '3456'],
    ['999', '12', '3456'],
    ['123', '00', '4567'],
    ['123', '45', '0000'],
  ])('rejects %s-%s-%s', (a, g, s) => expect(validSsnParts(a, g, s)).toBe(false));

  it.each([
    ['001', '01', '0001'],
    ['123', '45', '6789'],
    ['899', '99', '9999'],
    ['772', '10', '1000'],
  ])('accepts %s-%s-%s', (a, g, s) => expect(validSsnParts(a, g, s)).toBe(true));
});

describe('detectSsns', () => {
  it('finds dashed and spaced numbers', () => {
    expect(ssns("Here's my SSN: 731-83-4418.")).toEqual(['731-83-4418']);
    expect(ssns('abc 078 05 1123 abc')).toEqual(['078 05 1123']);
    expect(ssns('078.05.1123')).toEqual(['078.05.1123']);
  });

  it('finds nine plain digits only under an SSN label', () => {
    expect(ssns('SSN 123456789')).toEqual(['123456789']);
    expect(ssns('social security number: 123456789')).toEqual(['123456789']);
    expect(ssns('order 123456789 shipped')).toEqual([]);
  });

  it.each([
    ['an invalid area', '666-12-3456'],
    ['a 9xx area', '912-34-5678'],
    ['mixed separators', '123-45 6789'],
    ['a dash and a dot', '693-09.4444'],
    ['a zero group', '078 00 1123'],
    ['a zero serial', '078-05-0000'],
    ['ten digits', '0780511201'],
    ['part of a longer code', 'ID-123-45-6789'],
    ['a longer number', '123-45-67890'],
    ['a date', '2006-04-09'],
    ['a phone number', '415-555-0132'],
  ])('leaves %s alone', (_what, text) => expect(ssns(text)).toEqual([]));
});
