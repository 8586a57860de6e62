import { describe, expect, it } from 'vitest';
import { inIssuerRange, isCardNumber, luhnValid } from './card-numbers.js';
import { detectCards } from './detect-card.js';
import type { Detection } from './redaction.types.js';

const cards = (text: string) => {
  const out: Detection[] = [];
  detectCards(text, out);
  return out.map((d) => text.slice(d.start, d.end));
};

describe('luhnValid', () => {
  it.each([
    '4111111111111111',
    '4012888888881881',
    '5555555555554444',
    '378282246310005',
    '6011111111111117',
    '3056930902590 4'.replace(' ', ''),
  ])('accepts %s', (n) => expect(luhnValid(n)).toBe(true));

  it.each(['4111111111111112', '4012888888881882', '1234567812345678', '', '4111-1111'])('rejects %s', (n) =>
    expect(luhnValid(n)).toBe(false),
  );
});

describe('issuer ranges', () => {
  it('knows the networks and their lengths', () => {
    expect(inIssuerRange('4111111111111')).toBe(true); // Visa 13
    expect(inIssuerRange('378282246310005')).toBe(true); // Amex 15
    expect(inIssuerRange('3782822463100050')).toBe(false); // Amex is never 16
    expect(inIssuerRange('2223003122003222')).toBe(true); // Mastercard 2-series
    expect(inIssuerRange('2721003122003222')).toBe(false); // past the 2-series
    expect(inIssuerRange('30569309025904')).toBe(true); // Diners 14
    expect(inIssuerRange('501800000009')).toBe(true); // Maestro 12
    expect(inIssuerRange('978031613525')).toBe(false); // ISBN-like: 9 is no card network here
  });

  it('needs both the checksum and the range', () => {
    expect(isCardNumber('4111111111111111')).toBe(true);
    expect(isCardNumber('9111111111111111')).toBe(false);
    expect(isCardNumber('4111111111111112')).toBe(false);
  });
});

describe('detectCards', () => {
  it('finds plain and grouped numbers', () => {
    expect(cards('card 4111111111111111 expires')).toEqual(['4111111111111111']);
    expect(cards('Visa: 4111 1111 1111 1111.')).toEqual(['4111 1111 1111 1111']);
    expect(cards('4012-8888-8888-1881')).toEqual(['4012-8888-8888-1881']);
    expect(cards('Amex 3782 822463 10005')).toEqual(['3782 822463 10005']);
    expect(cards('Diners 3056 9309 0259 04')).toEqual(['3056 9309 0259 04']);
  });

  it('separates numbers written side by side', () => {
    expect(cards('4012888888881881 4012-8888-8888-1881 4012 8888 8888 1881')).toEqual([
      '4012888888881881',
      '4012-8888-8888-1881',
      '4012 8888 8888 1881',
    ]);
  });

  it.each([
    ['a failed checksum', 'The test card number 3598 5441 9674 7628 is invalid.'],
    ['mixed separators', '4111 1111-1111 1111'],
    ['an ISBN', 'ISBN 978-0-663-13525-7'],
    ['digits of a decimal', 'pi is 3.4111111111111111'],
    ['part of a longer number', '94111111111111111'],
    ['glued to a word', 'ref4111111111111111'],
    ['a 10-digit id', 'Ticket 4305931908'],
  ])('leaves %s alone', (_what, text) => expect(cards(text)).toEqual([]));
});
