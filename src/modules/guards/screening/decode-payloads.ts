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

const BASE64 = /[A-Za-z0-9+/_-]{12,}={0,2}/g;
const HEX_PLAIN = /(?:0x)?[0-9a-fA-F]{8,}/g;
const HEX_ESCAPED = /(?:(?:\\x|0x)[0-9a-fA-F]{2}[ ,]?){4,}/g;
const HEX_SEPARATED = /[0-9a-fA-F]{2}(?:[ :,][0-9a-fA-F]{2}){5,}/g;
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
  const consider = (encoding: PayloadEncoding, start: number, end: number, decode: () => string | null) => {
    if (exhausted || overlaps(start, end)) return;
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

  // Escapes are interleaved with plain text ("&#105;gnore all previous…"), so the payload is the whole
  // stretch from the first run to the last with every escape decoded. Cheap gates first: most prose has
  // no '%' and no '&#'.
  const inline = (encoding: PayloadEncoding, pattern: RegExp, decodeAll: (s: string) => string | null) => {
    let first = -1;
    let last = -1;
    for (const m of text.matchAll(pattern)) {
      if (first < 0) first = m.index;
      last = m.index + m[0].length;
      taken.push({ start: m.index, end: last });
    }
    if (first < 0) return;
    // Widen to the surrounding line, so words glued to the escapes come along.
    const start = Math.max(0, text.lastIndexOf('\n', first) + 1, first - 256);
    const lineEnd = text.indexOf('\n', last);
    const end = Math.min(lineEnd < 0 ? text.length : lineEnd, last + 256);
    if (candidates >= options.maxCandidates) {
      exhausted = true;
      return;
    }
    candidates++;
    const decoded = decodeAll(text.slice(start, end));
    if (decoded !== null && readable(decoded)) runs.push({ encoding, span: { start, end }, text: decoded });
  };
  if (text.includes('%')) inline('url', PERCENT, percentDecode);
  if (text.includes('&#')) inline('html-entities', ENTITIES, entityDecode);
  if (text.includes('\\x') || text.includes('0x')) {
    for (const m of text.matchAll(HEX_ESCAPED)) {
      consider('hex', m.index, m.index + m[0].length, () => hexDecode(m[0].replace(/\\x|0x|[ ,]/g, '')));
    }
  }
  for (const m of text.matchAll(HEX_SEPARATED)) {
    consider('hex', m.index, m.index + m[0].length, () => hexDecode(m[0].replace(/[ :,]/g, '')));
  }
  for (const m of text.matchAll(HEX_PLAIN)) {
    const digits = m[0].startsWith('0x') ? m[0].slice(2) : m[0];
    if (digits.length < options.minEncodedLength || digits.length % 2 !== 0) continue;
    if (!bounded(text, m.index, m.index + m[0].length)) continue;
    consider('hex', m.index, m.index + m[0].length, () => hexDecode(digits));
  }
  for (const m of text.matchAll(BASE64)) {
    const run = m[0];
    if (run.length < options.minEncodedLength || !/[a-z]/.test(run) || !/[A-Z0-9]/.test(run)) continue;
    consider('base64', m.index, m.index + run.length, () => base64Decode(run));
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
function joinSplitStrings(text: string): { span: TextSpan; text: string } | null {
  if (!text.includes('=') && !text.includes('+')) return null;
  const parts: { start: number; end: number; value: string; pieces: number }[] = [];
  if (text.includes('+')) {
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
  for (const m of text.matchAll(ASSIGNED)) {
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

/** A plain hex run must stand alone (not the tail of a longer word such as a base64 run). */
function bounded(text: string, start: number, end: number): boolean {
  const before = start > 0 ? text.charCodeAt(start - 1) : 0x20;
  const after = end < text.length ? text.charCodeAt(end) : 0x20;
  const word = (c: number) =>
    (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) || c === 0x2b;
  return !word(before) && !word(after);
}

/**
 * Decoded text worth screening: at least four characters, no more than 5 % control or replacement
 * characters, at least half letters and digits.
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
    else if (c >= 0xa0) printable++;
  }
  return bad * 20 <= text.length && printable * 10 >= text.length * 9 && alnum * 2 >= text.length;
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
