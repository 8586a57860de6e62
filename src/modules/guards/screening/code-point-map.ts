import { confusableOf } from './confusables.js';

/*
 * How each non-ASCII code point enters the normalized view (normalize-text.ts): NFKD with combining
 * marks dropped, the look-alike table, quotes and dashes folded, lower case; or removed as invisible, or
 * read as white space, or set aside as a tag character or variation selector (hidden channels).
 */

/** What a code point does in the view (plain numbers: the hot loop switches on them). */
export const Kind = {
  Emit: 0,
  HSpace: 1,
  VSpace: 2,
  Invisible: 3,
  Mark: 4,
  Tag: 5,
  Selector: 6,
} as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

export interface Mapped {
  readonly kind: Kind;
  readonly text: string;
  /** The look-alike table (not NFKD) produced a letter: evidence of a mixed-script word. */
  readonly confusable: boolean;
}

const MARK = /\p{M}/gu;
const CF = /^\p{Cf}$/u;
const WHITE = /^\s$/u;
const LINE_BREAKS = new Set([0x85, 0x2028, 0x2029]);
// Hangul fillers and the braille blank render as nothing or as a space and are used to split words.
const FILLERS = new Set([0x115f, 0x1160, 0x3164, 0xffa0, 0x034f, 0x17b4, 0x17b5]);
const QUOTES: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u201b': "'",
  '\u2032': "'",
  '\u00b4': "'",
  '\u02bc': "'",
  '\u02bb': "'",
  '`': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u201f': '"',
  '\u2033': '"',
  '\u00ab': '"',
  '\u00bb': '"',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2015': '-',
  '\u2212': '-',
};

export function computeMapping(cp: number): Mapped {
  if (cp >= 0xe0000 && cp <= 0xe007f) return { kind: Kind.Tag, text: '', confusable: false };
  if ((cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef)) {
    return { kind: Kind.Selector, text: '', confusable: false };
  }
  if (cp >= 0xd800 && cp <= 0xdfff) return { kind: Kind.Invisible, text: '', confusable: false };
  const ch = String.fromCodePoint(cp);
  if (LINE_BREAKS.has(cp)) return { kind: Kind.VSpace, text: '', confusable: false };
  if (CF.test(ch) || FILLERS.has(cp)) return { kind: Kind.Invisible, text: '', confusable: false };
  if (cp === 0x2800 || WHITE.test(ch)) return { kind: Kind.HSpace, text: '', confusable: false };
  const direct = confusableOf(cp);
  if (direct) return { kind: Kind.Emit, text: direct, confusable: true };
  const quote = QUOTES[ch];
  if (quote) return { kind: Kind.Emit, text: quote, confusable: false };
  const decomposed = ch.normalize('NFKD').replace(MARK, '');
  if (decomposed === '') return { kind: Kind.Mark, text: '', confusable: false };
  let text = '';
  let confusable = false;
  for (const part of decomposed) {
    const partCp = part.codePointAt(0) as number;
    const look = confusableOf(partCp);
    if (look) {
      text += look;
      confusable = true;
    } else if (WHITE.test(part)) {
      text += ' ';
    } else {
      text += QUOTES[part] ?? part.toLowerCase().normalize('NFKD').replace(MARK, '');
    }
  }
  if (text.trim() === '') return { kind: text === '' ? Kind.Invisible : Kind.HSpace, text: '', confusable };
  return { kind: Kind.Emit, text, confusable };
}
