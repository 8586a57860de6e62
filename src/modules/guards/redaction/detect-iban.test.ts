import { describe, expect, it } from 'vitest';
import { detectIbans } from './detect-iban.js';
import type { Detection } from './redaction.types.js';

const ibans = (text: string) => {
  const out: Detection[] = [];
  detectIbans(text, out);
  return out.map((d) => text.slice(d.start, d.end));
};

describe('detectIbans', () => {
  it.each([
    'DE89370400440532013000',
    'DE89 3704 0044 0532 0130 00',
    'DE89-3704-0044-0532-0130-00',
    'GB82 WEST 1234 5698 7654 32',
    'FR76 3000 6000 0112 3456 7890 189',
    'NO93 8601 1117 947',
    'gb42nawi04454264788619',
  ])('finds %s', (iban) => expect(ibans(`Pay to ${iban}, thanks.`)).toEqual([iban]));

  it.each([
    ['a wrong check digit', 'CH93 0076 2011 6238 5295 8'],
    ['a letter where the country has digits', 'AL47 212A 1009 0000 0002 3569 874'],
    ['a digit short', 'DO28 BAGR 0000 0001 2124 5361 132'],
    ['a country without IBANs', 'US12 3456 7890 1234 5678 90'],
    ['a word glued in front', 'xDE89370400440532013000'],
    ['a run that goes on past the length', 'DE8937040044053201300099'],
  ])('leaves %s alone', (_what, text) => expect(ibans(text)).toEqual([]));

  it('does not take the word after a grouped IBAN', () => {
    expect(ibans('CY17 0020 0128 0000 0012 0052 7600 failed')).toEqual([
      'CY17 0020 0128 0000 0012 0052 7600',
    ]);
  });
});
