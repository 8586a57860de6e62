import type { Detection } from './redaction.types.js';
import { isAsciiLetter, isDigit, isWordCode } from './text-scan.js';

const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;

function isLocalCode(code: number): boolean {
  // The atoms people write (RFC 5321 allows more, but quotes and slashes in prose are punctuation).
  return (
    isDigit(code) ||
    isAsciiLetter(code) ||
    code === 46 /* . */ ||
    code === 95 /* _ */ ||
    code === 37 /* % */ ||
    code === 43 /* + */ ||
    code === 45 /* - */ ||
    (code >= 0x80 && isWordCode(code))
  );
}

function isDomainCode(code: number): boolean {
  return (
    isDigit(code) || isAsciiLetter(code) || code === 46 || code === 45 || (code >= 0x80 && isWordCode(code))
  );
}

function validDomain(domain: string): boolean {
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  for (const label of labels) {
    if (label.length === 0 || label.length > 63 || label.startsWith('-') || label.endsWith('-')) return false;
  }
  const tld = labels[labels.length - 1] as string;
  // A letter TLD (`com`, `онлайн`) or a punycode one (`xn--p1ai`); never all digits (that is an IP or a version).
  return tld.startsWith('xn--') ? tld.length > 4 : tld.length >= 2 && !/\d/.test(tld);
}

/**
 * E-mail addresses, found from each `@` outwards (never by a regular expression that could backtrack over a
 * long run of address characters): each character is looked at from at most the nearest `@` on either side.
 */
export function detectEmails(text: string, out: Detection[]): void {
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > 0 && at - start < MAX_LOCAL && isLocalCode(text.charCodeAt(start - 1))) start--;
    while (start < at && text.charCodeAt(start) === 46) start++; // a local part does not start with a dot
    if (start === at) continue;
    let end = at + 1;
    while (end < text.length && end - at <= MAX_DOMAIN && isDomainCode(text.charCodeAt(end))) end++;
    // Sentence punctuation after the address is not part of it.
    while (end > at + 1 && (text.charCodeAt(end - 1) === 46 || text.charCodeAt(end - 1) === 45)) end--;
    if (!validDomain(text.slice(at + 1, end))) {
      // Digits glued to the address ("…@mail.com4111…") are not part of its top-level domain.
      while (end > at + 1 && isDigit(text.charCodeAt(end - 1))) end--;
      if (!validDomain(text.slice(at + 1, end))) continue;
    }
    out.push({ type: 'EMAIL', start, end, detector: 'email' });
  }
}
