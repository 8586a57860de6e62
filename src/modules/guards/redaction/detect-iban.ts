import { getCountrySpecifications, isValidIBAN } from 'ibantools';
import type { Detection } from './redaction.types.js';
import { codeAt, isAsciiLetter, isDigit, isWordCode } from './text-scan.js';

// Country code and check digits at the start of a word; the rest is gathered by hand.
const IBAN_START = /(?<![\w])[A-Za-z]{2}\d{2}/g;

/** IBAN length per country, from ibantools' registry (countries without IBANs are left out). */
const LENGTHS: ReadonlyMap<string, number> = new Map(
  Object.entries(getCountrySpecifications()).flatMap(([country, spec]) =>
    spec.chars ? [[country, spec.chars] as const] : [],
  ),
);

function isAlnum(code: number): boolean {
  return isDigit(code) || isAsciiLetter(code);
}

/**
 * IBANs, in electronic form or grouped with single spaces or dashes, any case: the country's exact length is
 * read and then checked by ibantools (country format and mod-97), so a number one digit short or long, or
 * with a wrong check digit, is left alone.
 */
export function detectIbans(text: string, out: Detection[]): void {
  let resumeAt = 0;
  for (const m of text.matchAll(IBAN_START)) {
    if (m.index < resumeAt) continue;
    const length = LENGTHS.get(m[0].slice(0, 2).toUpperCase());
    if (length === undefined) continue;
    let compact = '';
    let i = m.index;
    while (i < text.length && compact.length < length) {
      const c = text.charCodeAt(i);
      if (isAlnum(c)) {
        compact += text[i];
        i++;
      } else if ((c === 32 || c === 45) && isAlnum(codeAt(text, i + 1)) && compact.length > 0) i++;
      else break;
    }
    if (compact.length !== length) continue;
    const after = codeAt(text, i);
    if (after >= 0 && isWordCode(after)) continue; // the run goes on: not this country's length
    if (!isValidIBAN(compact.toUpperCase())) continue;
    out.push({ type: 'IBAN', start: m.index, end: i, detector: 'iban-mod97' });
    resumeAt = i;
  }
}
