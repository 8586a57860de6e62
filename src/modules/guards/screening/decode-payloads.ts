import { utf8Text } from './normalize-text.js';
import type { PayloadEncoding, TextSpan } from './screening-types.js';

/**
 * Finds text hidden in encodings inside a string: base64 (standard and URL-safe), hex (plain, `\x41`,
 * `0x41`, pairs separated by spaces, colons or commas), percent-encoding, HTML numeric entities, and
 * string literals assigned to variables or joined with `+` (payload splitting). Each candidate is decoded
 * and kept only when the result is readable text, so hashes, keys and binary blobs are not screened as
 * prose. Every pattern here is linear: character-class runs with bounded repetition.
 */
export interface EncodedRun {
  readonly encoding: PayloadEncoding;
  readonly span: TextSpan;
  readonly text: string;
}

export interface FindOptions {
  /** Shortest base64 or hex run considered, in characters. */
  readonly minEncodedLength: number;
  /** How many candidates may be decoded and checked in one text (each costs a decode). */
  readonly maxCandidates: number;
}

export interface FindResult {
  readonly runs: EncodedRun[];
  /** Candidates were left unchecked because `maxCandidates` was reached. */
  readonly candidatesExhausted: boolean;
}

const HEX_ESCAPED = /(?:(?:\\x|0x)[0-9a-fA-F]{2}[ ,]?){4,}/g;
const PERCENT = /%[0-9a-fA-F]{2}(?:[^\s%]{0,40}%[0-9a-fA-F]{2}){2,}[^\s%<>"]{0,40}/g;
const ENTITIES =
  /&#(?:[xX][0-9a-fA-F]{1,6}|[0-9]{1,7});(?:[^&\s<>]{0,16}&#(?:[xX][0-9a-fA-F]{1,6}|[0-9]{1,7});){2,}/g;
const ASSIGNED = /\b[A-Za-z_][A-Za-z0-9_]{0,15} ?(?::=|=) ?(["'`])([^"'`\n]{1,200})\1/g;
const JOINED = /(["'`])[^"'`\n]{1,200}\1(?: ?\+ ?(["'`])[^"'`\n]{1,200}\2){1,16}/g;
const LITERAL = /(["'`])([^"'`\n]{1,200})\1/g;

export function findEncodedRuns(text: string, options: FindOptions): FindResult {
  const runs: EncodedRun[] = [];
  const taken: TextSpan[] = [];
  let candidates = 0;
  let exhausted = false;
  const overlaps = (start: number, end: number) => taken.some((t) => start < t.end && end > t.start);
  const consider = (
    encoding: PayloadEncoding,
    start: number,
    end: number,
    decode: () => string | null,
    plausible: () => boolean = () => true,
  ) => {
    // The cheap look at the first bytes does not count against the budget: hashes, keys and identifiers
    // (a lockfile, a Java class) fail it, so only text-like runs spend candidates.
    if (exhausted || overlaps(start, end) || !plausible()) return;
    if (candidates >= options.maxCandidates) {
      exhausted = true;
      return;
    }
    candidates++;
    const decoded = decode();
    if (decoded === null || !readable(decoded)) return;
    runs.push({ encoding, span: { start, end }, text: decoded });
    taken.push({ start, end });
  };

  // Escapes are interleaved with plain text ("&#105;gnore all previous…"), so a payload is a stretch of
  // runs (each within 256 characters of the next) widened to its line, with every escape decoded. Cheap
  // gates first: most prose has no '%' and no '&#'.
  // A stretch whose escapes stand only for spaces and punctuation (`red%20shoes`, `&#8212;`) hides no
  // word from the rules and is not decoded: links and markup would otherwise fill the payload budget.
  const inline = (encoding: PayloadEncoding, pattern: RegExp, decodeAll: (s: string) => string | null) => {
    const stretches: (Span & { words: boolean })[] = [];
    for (const m of text.matchAll(pattern)) {
      const end = m.index + m[0].length;
      taken.push({ start: m.index, end });
      const words = escapesWordCharacters(m[0]);
      const last = stretches[stretches.length - 1];
      if (last && m.index - last.end <= 256) {
        last.end = end;
        last.words ||= words;
      } else stretches.push({ start: m.index, end, words });
    }
    for (const stretch of stretches) {
      if (!stretch.words) continue;
      const start = Math.max(0, text.lastIndexOf('\n', stretch.start) + 1, stretch.start - 256);
      const lineEnd = text.indexOf('\n', stretch.end);
      const end = Math.min(lineEnd < 0 ? text.length : lineEnd, stretch.end + 256);
      if (candidates >= options.maxCandidates) {
        exhausted = true;
        return;
      }
      candidates++;
      const decoded = decodeAll(text.slice(start, end));
      if (decoded !== null && readable(decoded)) runs.push({ encoding, span: { start, end }, text: decoded });
    }
  };
  if (text.includes('%')) inline('url', PERCENT, percentDecode);
  if (text.includes('&#')) inline('html-entities', ENTITIES, entityDecode);
  if (text.includes('\\x') || text.includes('0x')) {
    for (const m of text.matchAll(HEX_ESCAPED)) {
      consider('hex', m.index, m.index + m[0].length, () => hexDecode(m[0].replace(/\\x|0x|[ ,]/g, '')));
    }
  }
  const found = scanRuns(text, options.minEncodedLength);
  for (const { start, end } of found.hexPairs) {
    consider('hex', start, end, () => hexDecode(text.slice(start, end).replace(/[ :,]/g, '')));
  }
  for (const { start, end } of found.hex) {
    const digits = text.slice(start, end).replace(/^0x/, '');
    consider(
      'hex',
      start,
      end,
      () => hexDecode(digits),
      () => textLike(Buffer.from(digits.slice(0, 48), 'hex')),
    );
  }
  for (const { start, end } of found.base64) {
    const run = text.slice(start, end);
    consider(
      'base64',
      start,
      end,
      () => base64Decode(run),
      () => base64Prefixes(run).some(textLike),
    );
  }
  const split = joinSplitStrings(text);
  // Not recorded in `taken`: the literals may hold encoded runs of their own.
  if (split && !exhausted && candidates < options.maxCandidates && readable(split.text)) {
    candidates++;
    runs.push({ encoding: 'split-strings', span: split.span, text: split.text });
  }
  runs.sort((a, b) => a.span.start - b.span.start);
  return { runs, candidatesExhausted: exhausted };
}

/**
 * Payload splitting: string literals assigned to short names (`a = "ign"`, `b = "ore all…"`) or joined
 * with `+`, concatenated in the order they appear. Null unless there are two or more pieces.
 */
const ASSIGNMENT_HINTS = ['="', "='", '=`', '= "', "= '", '= `'];
const JOIN_HINTS = ['"+', "'+", '`+', '" +', "' +", '` +'];

function joinSplitStrings(text: string): { span: TextSpan; text: string } | null {
  const assigned = ASSIGNMENT_HINTS.some((h) => text.includes(h));
  const joined = JOIN_HINTS.some((h) => text.includes(h));
  if (!assigned && !joined) return null;
  const parts: { start: number; end: number; value: string; pieces: number }[] = [];
  if (joined) {
    for (const m of text.matchAll(JOINED)) {
      const literals = [...m[0].matchAll(LITERAL)].map((l) => l[2] as string);
      parts.push({
        start: m.index,
        end: m.index + m[0].length,
        value: literals.join(''),
        pieces: literals.length,
      });
      if (parts.length >= 16) break;
    }
  }
  const joinedSpans = parts.slice();
  for (const m of assigned ? text.matchAll(ASSIGNED) : []) {
    const start = m.index;
    const end = start + m[0].length;
    if (joinedSpans.some((j) => start < j.end && end > j.start)) continue;
    parts.push({ start, end, value: m[2] as string, pieces: 1 });
    if (parts.length >= 32) break;
  }
  if (parts.reduce((sum, p) => sum + p.pieces, 0) < 2) return null;
  parts.sort((a, b) => a.start - b.start);
  return {
    span: { start: (parts[0] as { start: number }).start, end: Math.max(...parts.map((p) => p.end)) },
    text: parts.map((p) => p.value).join(''),
  };
}

const isHex = (c: number) => (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
const isAlnum = (c: number) => (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a);
/** The base64 alphabet, standard and URL-safe. */
const isBase64 = (c: number) => isAlnum(c) || c === 0x2b || c === 0x2f || c === 0x5f || c === 0x2d;
const isPairSeparator = (c: number) => c === 0x20 || c === 0x3a || c === 0x2c;

interface Span {
  start: number;
  end: number;
}

/**
 * One pass over the text for the candidates of the run-shaped encodings: base64 runs (with their `=`
 * padding), plain hex runs standing alone (even length, optional `0x`), and six or more hex pairs
 * separated by one space, colon or comma. A loop rather than regexes: every character is looked at a
 * fixed number of times, however the runs are laid out.
 */
function scanRuns(text: string, minLength: number): { base64: Span[]; hex: Span[]; hexPairs: Span[] } {
  const base64: Span[] = [];
  const hex: Span[] = [];
  const hexPairs: Span[] = [];
  let pairStart = -1;
  let pairEnd = -1;
  let pairs = 0;
  const flushPairs = () => {
    if (pairs >= 6) hexPairs.push({ start: pairStart, end: pairEnd });
    pairs = 0;
  };
  const alnumRun = (start: number, end: number) => {
    const length = end - start;
    if (length === 2 && isHex(text.charCodeAt(start)) && isHex(text.charCodeAt(start + 1))) {
      if (pairs > 0 && start === pairEnd + 1 && isPairSeparator(text.charCodeAt(pairEnd))) pairs++;
      else {
        flushPairs();
        pairStart = start;
        pairs = 1;
      }
      pairEnd = end;
      return;
    }
    flushPairs();
    const from =
      length > 2 && text.charCodeAt(start) === 0x30 && (text.charCodeAt(start + 1) | 0x20) === 0x78
        ? start + 2
        : start;
    const digits = end - from;
    if (digits < minLength || digits % 2 !== 0) return;
    if (text.charCodeAt(start - 1) === 0x2b || text.charCodeAt(end) === 0x2b) return;
    for (let k = from; k < end; k++) if (!isHex(text.charCodeAt(k))) return;
    hex.push({ start, end });
  };
  const base64Run = (start: number, end: number) => {
    let stop = end;
    while (stop < text.length && stop - end < 2 && text.charCodeAt(stop) === 0x3d) stop++;
    if (end - start < minLength) return;
    let lower = false;
    let upperOrDigit = false;
    for (let k = start; k < end && !(lower && upperOrDigit); k++) {
      const c = text.charCodeAt(k);
      if (c >= 0x61 && c <= 0x7a) lower = true;
      else if ((c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39)) upperOrDigit = true;
    }
    if (lower && upperOrDigit) base64.push({ start, end: stop });
  };
  let alnumStart = -1;
  let base64Start = -1;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0;
    if (isAlnum(c)) {
      if (alnumStart < 0) alnumStart = i;
    } else if (alnumStart >= 0) {
      alnumRun(alnumStart, i);
      alnumStart = -1;
    }
    if (isBase64(c)) {
      if (base64Start < 0) base64Start = i;
    } else if (base64Start >= 0) {
      base64Run(base64Start, i);
      base64Start = -1;
    }
  }
  flushPairs();
  return { base64, hex, hexPairs };
}

/**
 * Decoded text worth screening: at least four characters, no more than 5 % control or replacement
 * characters, at least half letters and digits (of any script).
 */
export function readable(text: string): boolean {
  if (text.length < 4) return false;
  let alnum = 0;
  let bad = 0;
  let printable = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39)) {
      alnum++;
      printable++;
    } else if (c === 0x09 || c === 0x0a || c === 0x0d || (c >= 0x20 && c < 0x7f)) printable++;
    else if (c < 0x20 || c === 0x7f || c === 0xfffd || (c >= 0x80 && c < 0xa0)) bad++;
    else if (c >= 0xa0) {
      // Letters of other scripts count as letters: a base64 payload may be Cyrillic or CJK text.
      alnum++;
      printable++;
    }
  }
  return bad * 20 <= text.length && printable * 10 >= text.length * 9 && alnum * 2 >= text.length;
}

const lenientUtf8 = new TextDecoder('utf-8');

/**
 * Whether the first decoded bytes read as text (the `readable` test on them, invalid UTF-8 counting as
 * bad). Random bytes (a hash, a key, a mangled identifier) essentially never pass over 24 bytes.
 */
function textLike(bytes: Uint8Array): boolean {
  return readable(lenientUtf8.decode(bytes));
}

/** The first 24 bytes of a base64 run at each of the four alignments. */
function base64Prefixes(run: string): Uint8Array[] {
  const body = run.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  const prefixes: Uint8Array[] = [];
  for (let shift = 0; shift < 4 && body.length - shift >= 8; shift++) {
    prefixes.push(Buffer.from(body.slice(shift, shift + 32), 'base64'));
  }
  return prefixes;
}

function base64Decode(run: string): string | null {
  const body = run.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  // The run may start with characters glued to the payload ("%3DSWdub3Jl…", "dataSGVsbG8…"): try each of
  // the four alignments, the run's own first.
  for (let shift = 0; shift < 4 && body.length - shift >= 8; shift++) {
    const candidate = body.slice(shift);
    if (candidate.length % 4 === 1) continue;
    const text = utf8Text(Buffer.from(candidate, 'base64'));
    if (text !== null && readable(text)) return text;
  }
  return null;
}

function hexDecode(digits: string): string | null {
  if (digits.length % 2 !== 0 || digits.length < 8) return null;
  return utf8Text(Buffer.from(digits, 'hex'));
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * Whether a run of escapes encodes a letter or digit: ASCII ones, any byte of a multi-byte UTF-8
 * sequence (percent-encoding), or a letter or digit of any script (entities; not dashes or quotes).
 */
function escapesWordCharacters(run: string): boolean {
  for (const m of run.matchAll(/%([0-9a-fA-F]{2})|&#(?:[xX]([0-9a-fA-F]{1,6})|([0-9]{1,7}));/g)) {
    if (m[1] !== undefined) {
      const byte = Number.parseInt(m[1], 16);
      if (byte >= 0x80 || isAlnum(byte)) return true;
      continue;
    }
    const code = m[2] !== undefined ? Number.parseInt(m[2], 16) : Number(m[3]);
    if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return true;
    if (WORD_CHAR.test(String.fromCodePoint(code))) return true;
  }
  return false;
}

const hexValue = (c: number) =>
  c >= 0x30 && c <= 0x39 ? c - 0x30 : (c | 0x20) >= 0x61 && (c | 0x20) <= 0x66 ? (c | 0x20) - 0x61 + 10 : -1;

function percentDecode(run: string): string | null {
  const bytes: number[] = [];
  for (let i = 0; i < run.length; i++) {
    const c = run.charCodeAt(i);
    const hi = c === 0x25 && i + 2 < run.length ? hexValue(run.charCodeAt(i + 1)) : -1;
    const lo = hi >= 0 ? hexValue(run.charCodeAt(i + 2)) : -1;
    if (lo >= 0) {
      bytes.push(hi * 16 + lo);
      i += 2;
    } else if (c === 0x2b) bytes.push(0x20);
    else if (c < 0x80) bytes.push(c);
    else {
      const cp = run.codePointAt(i) as number;
      for (const b of Buffer.from(String.fromCodePoint(cp))) bytes.push(b);
      if (cp > 0xffff) i++;
    }
  }
  const text = new TextDecoder('utf-8').decode(Uint8Array.from(bytes));
  return text === run ? null : text;
}

function entityDecode(run: string): string | null {
  const out = run.replace(/&#([xX][0-9a-fA-F]{1,6}|[0-9]{1,7});/g, (_, code: string) => {
    const cp =
      code[0] === 'x' || code[0] === 'X' ? Number.parseInt(code.slice(1), 16) : Number.parseInt(code, 10);
    return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : '\ufffd';
  });
  return out === run ? null : out;
}
