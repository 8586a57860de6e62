import { computeMapping, Kind, type Mapped } from './code-point-map.js';
import type { TextSpan } from './screening-types.js';
import { isDigit, isLetter, joinSpacedLetters, readLeetspeak, ViewBuilder } from './view-builder.js';

/**
 * The normalized view the rules run on, and the way back to the source.
 *
 * - every code point goes through NFKD with its combining marks dropped (so NFKC's folding of fullwidth,
 *   mathematical, circled and superscript letters and ligatures, plus accents removed), then the
 *   look-alike table (confusables.ts), then lower case;
 * - format characters (Unicode Cf: zero-width spaces and joiners, bidi controls, the soft hyphen, BOM),
 *   control characters and fillers are removed; tag characters (U+E0000 block) and runs of variation
 *   selectors are removed from the view and returned as hidden channels, which can carry ASCII text;
 * - quotes fold to `'` and `"`, dashes to `-`, each run of horizontal white space to one space and any run
 *   holding a line break to `\n`;
 * - letters spaced out with one repeated separator (`i g n o r e`, `i.g.n.o.r.e`) are joined;
 * - digits inside words that also hold letters are read as leetspeak (`1gn0r3` → `ignore`).
 */
export interface NormalizedText {
  readonly text: string;
  /** Source index (UTF-16) of the code point each view code unit came from. */
  readonly offsets: Int32Array;
  readonly source: string;
  /** Text carried by tag characters or variation selectors, with where it was. */
  readonly hidden: readonly HiddenText[];
  /** Invisible characters found between two letters of a word (words split to dodge filters). */
  readonly invisibleInWords: readonly TextSpan[];
  /** Words that mix ASCII letters with look-alikes from another script (`іgnore` with a Cyrillic і). */
  readonly mixedScriptWords: readonly TextSpan[];
}

export interface HiddenText {
  readonly encoding: 'unicode-tags' | 'variation-selectors';
  readonly span: TextSpan;
  readonly text: string;
}

/** Distinct non-ASCII code points remembered per normalizer (a bound on its memory). */
const CACHE_LIMIT = 32_768;

/**
 * A normalizer with its own memo of non-ASCII code point mappings (NFKD and the look-alike table are
 * computed once per code point, not once per occurrence).
 */
export function createNormalizer(): (source: string) => NormalizedText {
  const cache = new Map<number, Mapped>();
  const mapCodePoint = (cp: number): Mapped => {
    const hit = cache.get(cp);
    if (hit) return hit;
    const mapped = computeMapping(cp);
    if (cache.size < CACHE_LIMIT) cache.set(cp, mapped);
    return mapped;
  };
  return (source) => normalize(source, mapCodePoint);
}

/** Normalizes one text (a fresh memo each call; screeners keep one normalizer instead). */
export function normalizeForScreening(source: string): NormalizedText {
  return createNormalizer()(source);
}

function normalize(source: string, mapCodePoint: (cp: number) => Mapped): NormalizedText {
  const n = source.length;
  const out = new ViewBuilder(n + 16);
  /** View index of spaces that stood for two or more white-space characters (a word gap in spaced text). */
  const wideSpaces = new Set<number>();
  const hidden: HiddenText[] = [];
  const invisibleInWords: TextSpan[] = [];
  const mixedScriptWords: TextSpan[] = [];

  let wsStart = -1;
  let wsCount = 0;
  let wsBreak = false;
  let invisibleAt = -1;
  let wordStart = -1;
  /** View length when the current word began, for counting one-letter words. */
  let wordView = 0;
  let wordAscii = false;
  // Hints that let the clean-up passes skip texts that cannot need them.
  /** View index of each one-letter word: where the spaced-letters pass looks. */
  const singles: number[] = [];
  /** View indices where a digit meets a letter: the words the leetspeak pass looks at. */
  const leetAt: number[] = [];
  let wordConfusable = false;
  let tagStart = -1;
  let tagText = '';
  let selStart = -1;
  let selBytes: number[] = [];

  const closeWord = (at: number) => {
    if (wordStart < 0) return;
    if (wordAscii && wordConfusable) mixedScriptWords.push({ start: wordStart, end: at });
    if (out.length - wordView === 1) singles.push(wordView);
    wordStart = -1;
    wordAscii = false;
    wordConfusable = false;
  };
  const closeTags = (at: number) => {
    if (tagStart >= 0 && tagText.trim() !== '') {
      hidden.push({ encoding: 'unicode-tags', span: { start: tagStart, end: at }, text: tagText });
    }
    tagStart = -1;
    tagText = '';
  };
  const closeSelectors = (at: number) => {
    if (selStart >= 0 && selBytes.length >= 4) {
      const text = utf8Text(Uint8Array.from(selBytes));
      if (text !== null)
        hidden.push({ encoding: 'variation-selectors', span: { start: selStart, end: at }, text });
    }
    selStart = -1;
    selBytes = [];
  };
  /** Before a visible unit: the pending white space, and the bookkeeping of words and invisibles. */
  const beforeEmit = (at: number, letter: boolean, ascii: boolean, confusable: boolean, digit = false) => {
    if (wsStart >= 0) {
      if (out.length > 0) {
        if (wsBreak) out.push(0x0a, wsStart);
        else {
          if (wsCount > 1) wideSpaces.add(out.length);
          out.push(0x20, wsStart);
        }
      }
      wsStart = -1;
      wsCount = 0;
      wsBreak = false;
    }
    if (invisibleAt >= 0) {
      if (letter) invisibleInWords.push({ start: invisibleAt, end: at });
      invisibleAt = -1;
    }
    const last = out.length > 0 ? (out.units[out.length - 1] as number) : 0;
    if (letter) {
      if (wordStart < 0) {
        wordStart = at;
        wordView = out.length;
        if (isDigit(last) && wsStart < 0) leetAt.push(out.length);
      }
      if (ascii) wordAscii = true;
      if (confusable) wordConfusable = true;
    } else {
      if (digit && isLetter(last) && wsStart < 0) leetAt.push(out.length);
      closeWord(at);
    }
  };
  const whitespace = (at: number, lineBreak: boolean) => {
    if (wsStart < 0) wsStart = at;
    wsCount++;
    if (lineBreak) wsBreak = true;
    invisibleAt = -1;
    closeWord(at);
  };
  const lastIsLetter = () => out.length > 0 && wsStart < 0 && isLetter(out.units[out.length - 1] as number);

  for (let i = 0; i < n; ) {
    const c = source.charCodeAt(i);
    // Fast path, most of any text: an ASCII letter inside a word with nothing pending.
    if (
      ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) &&
      wordStart >= 0 &&
      wsStart < 0 &&
      invisibleAt < 0 &&
      tagStart < 0 &&
      selStart < 0 &&
      out.length < out.units.length
    ) {
      out.units[out.length] = c | 0x20;
      out.offsets[out.length] = i;
      out.length++;
      wordAscii = true;
      i++;
      continue;
    }
    if (c < 0x80) {
      if (tagStart >= 0) closeTags(i);
      if (selStart >= 0) closeSelectors(i);
      if (c >= 0x41 && c <= 0x5a) {
        beforeEmit(i, true, true, false);
        out.push(c + 32, i);
      } else if (c >= 0x61 && c <= 0x7a) {
        beforeEmit(i, true, true, false);
        out.push(c, i);
      } else if (c === 0x20 || c === 0x09) whitespace(i, false);
      else if (c >= 0x0a && c <= 0x0d) whitespace(i, true);
      else if (c < 0x20 || c === 0x7f) {
        if (invisibleAt < 0 && lastIsLetter()) invisibleAt = i;
      } else {
        beforeEmit(i, false, false, false, c >= 0x30 && c <= 0x39);
        out.push(c === 0x60 ? 0x27 : c, i);
      }
      i++;
      continue;
    }
    const cp = source.codePointAt(i) as number;
    const width = cp > 0xffff ? 2 : 1;
    const mapped = mapCodePoint(cp);
    if (mapped.kind !== Kind.Tag && tagStart >= 0) closeTags(i);
    if (mapped.kind !== Kind.Selector && selStart >= 0) closeSelectors(i);
    switch (mapped.kind) {
      case Kind.Emit: {
        const text = mapped.text;
        const first = text.charCodeAt(0);
        const letter = isLetter(first) || (first >= 0x80 && text.length > 0);
        beforeEmit(i, letter, false, mapped.confusable);
        for (let k = 0; k < text.length; k++) out.push(text.charCodeAt(k), i);
        break;
      }
      case Kind.HSpace:
        whitespace(i, false);
        break;
      case Kind.VSpace:
        whitespace(i, true);
        break;
      case Kind.Invisible:
        if (invisibleAt < 0 && lastIsLetter()) invisibleAt = i;
        break;
      case Kind.Tag:
        if (tagStart < 0) tagStart = i;
        if (cp >= 0xe0020 && cp <= 0xe007e) tagText += String.fromCharCode(cp - 0xe0000);
        if (invisibleAt < 0 && lastIsLetter()) invisibleAt = i;
        break;
      case Kind.Selector:
        if (selStart < 0) selStart = i;
        selBytes.push(cp <= 0xfe0f ? cp - 0xfe00 : cp - 0xe0100 + 16);
        break;
      case Kind.Mark:
        break;
    }
    i += width;
  }
  closeTags(n);
  closeSelectors(n);
  closeWord(n);

  // Leetspeak first: it maps in place one for one, so its hints (view indices) are still valid.
  if (leetAt.length > 0) readLeetspeak(out, leetAt);
  if (singles.length >= 3) joinSpacedLetters(out, singles, wideSpaces);
  const text = unitsToString(out.units, out.length);
  return {
    text,
    offsets: out.offsets.subarray(0, out.length),
    source,
    hidden,
    invisibleInWords,
    mixedScriptWords,
  };
}

const utf16 = new TextDecoder('utf-16le');

function unitsToString(units: Uint16Array, length: number): string {
  if (length === 0) return '';
  return utf16.decode(units.subarray(0, length));
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes as UTF-8 text, or null when they are not valid UTF-8. */
export function utf8Text(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

/** The span in the source that the view range [start, end) came from. */
export function sourceSpan(view: NormalizedText, start: number, end: number): TextSpan {
  const { offsets, source } = view;
  if (offsets.length === 0) return { start: 0, end: 0 };
  const first = offsets[Math.min(start, offsets.length - 1)] as number;
  const lastIndex = Math.max(start, Math.min(end, offsets.length) - 1);
  const last = offsets[lastIndex] as number;
  const code = source.charCodeAt(last);
  const width = code >= 0xd800 && code <= 0xdbff ? 2 : 1;
  return { start: first, end: Math.min(source.length, last + width) };
}

/** The normalized view of a short string (rule authors write multilingual patterns through it). */
export function skeleton(text: string): string {
  return normalizeForScreening(text).text;
}
