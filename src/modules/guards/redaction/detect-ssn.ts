import type { Detection } from './redaction.types.js';
import { labelBefore } from './text-scan.js';

// AAA-GG-SSSS with one dash, space or dot (the same both times), not inside a longer number or code.
const GROUPED = /(?<![\w.-])(\d{3})([-. ])(\d{2})\2(\d{4})(?![\w]|[.-]\d)/g;
// Nine digits written together: an SSN only when the text says so just before.
const PLAIN = /(?<![\w.-])\d{9}(?![\w]|[.-]\d)/g;
const SSN_LABEL = /\b(ssn|ss#|ss no|social security|social sec|taxpayer id|tin|itin)\b/;

/**
 * The SSA's rules for numbers it issues (and has since the 2011 randomization): area 001–899 except 666,
 * group 01–99, serial 0001–9999.
 */
export function validSsnParts(area: string, group: string, serial: string): boolean {
  const a = Number(area);
  return a !== 0 && a !== 666 && a < 900 && Number(group) !== 0 && Number(serial) !== 0;
}

/** US social security numbers: grouped ones by the issuing rules; nine plain digits only under an SSN label. */
export function detectSsns(text: string, out: Detection[]): void {
  for (const m of text.matchAll(GROUPED)) {
    if (!validSsnParts(m[1] as string, m[3] as string, m[4] as string)) continue;
    out.push({ type: 'US_SSN', start: m.index, end: m.index + m[0].length, detector: 'ssn' });
  }
  for (const m of text.matchAll(PLAIN)) {
    const d = m[0];
    if (!validSsnParts(d.slice(0, 3), d.slice(3, 5), d.slice(5))) continue;
    if (!SSN_LABEL.test(labelBefore(text, m.index, 32))) continue;
    out.push({ type: 'US_SSN', start: m.index, end: m.index + d.length, detector: 'ssn-labelled' });
  }
}
