/** Payment card number rules: the Luhn checksum and the issuer ranges (IIN) with their lengths. */

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

interface IssuerRange {
  from: number;
  to: number;
  /** How many leading digits `from` and `to` cover. */
  prefix: number;
  lengths: readonly number[];
}

const r = (prefix: number, from: number, to: number, ...lengths: number[]): IssuerRange => ({
  from,
  to,
  prefix,
  lengths,
});
const range = (lo: number, hi: number) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);

// Public IIN tables (ISO/IEC 7812 as the networks publish them); broad on purpose: a number that passes Luhn
// and sits in a live issuer range is treated as a card, whichever network.
const ISSUERS: readonly IssuerRange[] = [
  r(1, 4, 4, 13, 16, 19), // Visa (13 legacy, 19 Visa Electron / debit)
  r(2, 51, 55, 16), // Mastercard
  r(4, 2221, 2720, 16), // Mastercard 2-series
  r(4, 2200, 2204, ...range(16, 19)), // Mir
  r(2, 34, 34, 15), // American Express
  r(2, 37, 37, 15),
  r(3, 300, 305, ...range(14, 19)), // Diners Club
  r(4, 3095, 3095, ...range(14, 19)),
  r(2, 36, 36, ...range(14, 19)),
  r(2, 38, 39, ...range(14, 19)),
  r(2, 35, 35, ...range(16, 19)), // JCB (3528–3589 assigned; the whole 35 block is taken, as generators do)
  r(4, 2131, 2131, 15), // JCB (legacy 15-digit)
  r(4, 1800, 1800, 15),
  r(1, 1, 1, 15), // UATP
  r(2, 50, 50, ...range(12, 19)), // Maestro
  r(2, 56, 69, ...range(12, 19)), // Maestro, Discover (6011, 644–649, 65), UnionPay (62), RuPay (60, 65)
  r(2, 81, 82, ...range(16, 19)), // UnionPay / RuPay
  r(4, 9792, 9792, 16), // Troy
];

/** Whether `digits` (12–19 digits, nothing else) starts with a live issuer range of that length. */
export function inIssuerRange(digits: string): boolean {
  for (const issuer of ISSUERS) {
    if (!issuer.lengths.includes(digits.length)) continue;
    const head = Number(digits.slice(0, issuer.prefix));
    if (head >= issuer.from && head <= issuer.to) return true;
  }
  return false;
}

/** A card number: 12–19 digits, a live issuer range for that length, and a valid Luhn check digit. */
export function isCardNumber(digits: string): boolean {
  return digits.length >= 12 && digits.length <= 19 && inIssuerRange(digits) && luhnValid(digits);
}
