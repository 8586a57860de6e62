import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** One run of digit groups as written: `+44 20 7946 0273`, `(415) 555-0132`, `01.84.17.61.18`. */
export interface PhoneRun {
  plus: boolean;
  /** Digits of each group (a parenthesized group without its parentheses). */
  groups: readonly string[];
  /** Whether each group was written in parentheses. */
  parens: readonly boolean[];
  /** The separator after each group but the last: ' ', '-', '.', '/' or '' (after a closing parenthesis). */
  seps: readonly string[];
  /** The written text (for libphonenumber), without any extension. */
  written: string;
}

/** How sure the shape alone makes us: `strong` needs nothing else; `weak` needs a phone word nearby. */
export type PhoneShape = 'strong' | 'weak' | 'none';

const TRUNK_NATIONAL = { min: 9, max: 12 };

/** `2006-04-09`, `09/04/2006`, `09.04.2006`: a calendar date, not a number to call. */
function looksLikeDate(groups: readonly string[]): boolean {
  if (groups.length !== 3) return false;
  const [a, b, c] = groups as [string, string, string];
  const day = (d: string) => Number(d) >= 1 && Number(d) <= 31;
  const month = (m: string) => Number(m) >= 1 && Number(m) <= 12;
  if (a.length === 4 && b.length === 2 && c.length === 2) return month(b) && day(c);
  if (a.length === 2 && b.length === 2 && c.length === 4) return (day(a) && month(b)) || (month(a) && day(b));
  return false;
}

function isNanp(groups: readonly string[], parens: readonly boolean[]): boolean {
  let g = groups;
  let p = parens;
  if (g.length === 4 && g[0] === '1' && !p[0]) {
    g = g.slice(1);
    p = p.slice(1);
  }
  return g.length === 3 && g[0]?.length === 3 && g[1]?.length === 3 && g[2]?.length === 4 && !p[1] && !p[2];
}

function international(written: string, digits: string, groupCount: number): boolean {
  if (digits.length < 7 || digits.length > 15) return false;
  const parsed = parsePhoneNumberFromString(written);
  // A country code libphonenumber does not know, in grouped digits, is still far more likely a number
  // than anything else written after a plus.
  return parsed?.isPossible() === true || (groupCount >= 2 && digits.length >= 8);
}

/** What the shape of a digit run says about it being a phone number (before any context is read). */
export function phoneShape(run: PhoneRun): PhoneShape {
  const { groups, parens, seps } = run;
  let count = 0;
  for (const g of groups) count += g.length;
  if (count < 7) return 'none'; // every shape below has at least seven digits
  const digits = groups.join('');
  if (digits.length > 15 || groups.length > 8) return 'none';
  if (run.plus) return international(run.written, digits, groups.length) ? 'strong' : 'none';
  if (looksLikeDate(groups)) return 'none';
  const dotted = seps.includes('.');
  if (dotted) {
    if (!seps.every((s) => s === '.')) return 'none';
    // Dots separate versions, decimals and addresses too: only the US 3.3.4 and the French 2.2.2.2.2 shapes.
    if (isNanp(groups, parens)) return 'strong';
    return groups.length === 5 && groups.every((g) => g.length === 2) && digits[0] === '0'
      ? 'strong'
      : 'none';
  }
  // Three or more blocks of four: how account and card numbers are written, not phone numbers.
  if (
    groups.length >= 3 &&
    groups.slice(0, -1).every((g) => g.length === 4) &&
    (groups.at(-1)?.length ?? 0) <= 4
  )
    return 'none';
  if (groups.length >= 2 && (digits.startsWith('00') || digits.startsWith('011'))) {
    // Dialled with an international prefix: only when libphonenumber knows the country code that follows.
    const rest = digits.slice(digits.startsWith('00') ? 2 : 3);
    return rest.length >= 7 && parsePhoneNumberFromString(`+${rest}`)?.isPossible() ? 'strong' : 'none';
  }
  if (isNanp(groups, parens)) return 'strong';
  // A one-digit trunk prefix before an area code in parentheses: 8 (495) 123-45-67.
  if (groups.length >= 3 && groups[0]?.length === 1 && parens[1] && !parens[0]) {
    const rest = groups.slice(1).join('');
    return rest.length >= 9 && rest.length <= 11 ? 'strong' : 'none';
  }
  if (groups.some((g, i) => g.length < 2 && !(i > 0 && parens[i]))) return 'none'; // ISBNs, lists, scores
  if (digits.length < 7) return 'none';
  const first = groups[0] as string;
  if (parens[0] && first.length >= 2 && first.length <= 4 && groups.length >= 2 && digits.length <= 12)
    return 'strong';
  if (
    groups.length >= 2 &&
    first.startsWith('0') &&
    digits.length >= TRUNK_NATIONAL.min &&
    digits.length <= TRUNK_NATIONAL.max
  )
    return 'strong';
  if (groups.length === 2 && seps[0] === '-' && first.length === 3 && (groups[1] as string).length === 4)
    return first.startsWith('0') || first.startsWith('1') ? 'weak' : 'strong'; // local 555-0132
  if (groups.length >= 2 && digits.length <= 12) return 'weak';
  if (groups.length === 1 && digits.length >= 8 && digits.length <= 13) return 'weak';
  return 'none';
}
