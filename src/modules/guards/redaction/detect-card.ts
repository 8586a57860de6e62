import { isCardNumber } from './card-numbers.js';
import type { Detection } from './redaction.types.js';
import { codeAt, isDigit, isWordCode } from './text-scan.js';

// Runs of digit groups joined by one space or dash; every repetition starts with a separator, so the match
// is unambiguous (linear). Windows of whole groups inside a run are then tried as card numbers.
const DIGIT_RUN = /\d+(?:[ -]\d+)*/g;

interface Group {
  start: number;
  end: number;
}

/** Written as one block, in fours (a short last group for 19 digits), or as Amex 4-6-5 / Diners 4-6-4. */
function cardShaped(text: string, groups: readonly Group[]): boolean {
  if (groups.length === 1) return true;
  const sep = text.charCodeAt((groups[0] as Group).end);
  const lengths = groups.map((g) => g.end - g.start);
  for (let i = 1; i < groups.length; i++) {
    if (text.charCodeAt((groups[i] as Group).start - 1) !== sep) return false;
  }
  const shape = lengths.join('-');
  if (shape === '4-6-5' || shape === '4-6-4') return true;
  return lengths.every((len, i) => (i === lengths.length - 1 ? len >= 1 && len <= 4 : len === 4));
}

/** A decimal point or thousands separator next to the window: the digits belong to a bigger number. */
function numberContinues(text: string, outside: number, step: 1 | -1): boolean {
  const c = codeAt(text, outside);
  if (c >= 0 && isWordCode(c)) return true;
  return (c === 46 || c === 44) && isDigit(codeAt(text, outside + step));
}

/** The last group of the longest card number starting at group `s`, or -1. */
function longestCardFrom(text: string, groups: readonly Group[], s: number): number {
  const first = groups[s] as Group;
  if (numberContinues(text, first.start - 1, -1)) return -1;
  // Grouped numbers start with a block of four; any other first group can only be a card on its own.
  const last = first.end - first.start === 4 ? Math.min(groups.length, s + 19) : s + 1;
  let digits = '';
  let best = -1;
  for (let e = s; e < last; e++) {
    const g = groups[e] as Group;
    digits += text.slice(g.start, g.end);
    if (digits.length > 19) break;
    if (digits.length < 12) continue;
    if (cardShaped(text, groups.slice(s, e + 1)) && isCardNumber(digits) && !numberContinues(text, g.end, 1))
      best = e;
  }
  return best;
}

/** Payment card numbers (Luhn, issuer range and length), plain or grouped with spaces or dashes. */
export function detectCards(text: string, out: Detection[]): void {
  for (const m of text.matchAll(DIGIT_RUN)) {
    if (m[0].length < 12) continue;
    const groups: Group[] = [];
    const re = /\d+/g;
    for (const g of m[0].matchAll(re)) {
      groups.push({ start: m.index + g.index, end: m.index + g.index + g[0].length });
    }
    let s = 0;
    while (s < groups.length) {
      const best = longestCardFrom(text, groups, s);
      if (best < 0) {
        s++;
        continue;
      }
      out.push({
        type: 'CREDIT_CARD',
        start: (groups[s] as Group).start,
        end: (groups[best] as Group).end,
        detector: 'card-luhn',
      });
      s = best + 1;
    }
  }
}
