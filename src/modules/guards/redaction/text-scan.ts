/** Character tests over UTF-16 code units, shared by the detectors (no regular expressions: linear). */

export function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

export function isAsciiLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

export function isUpper(code: number): boolean {
  return code >= 65 && code <= 90;
}

export function isLower(code: number): boolean {
  return code >= 97 && code <= 122;
}

export function isHexDigit(code: number): boolean {
  return isDigit(code) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

const nonAsciiWord = /[\p{L}\p{N}\p{M}]/u;

/** A letter, digit or underscore, in any script (surrogate halves count: astral letters are word chars). */
export function isWordCode(code: number): boolean {
  if (code < 0x80) return isDigit(code) || isAsciiLetter(code) || code === 95;
  if (code >= 0xd800 && code <= 0xdfff) return true;
  return nonAsciiWord.test(String.fromCharCode(code));
}

/** The code unit at `i`, or -1 outside the text (so boundary checks need no length test). */
export function codeAt(text: string, i: number): number {
  return i >= 0 && i < text.length ? text.charCodeAt(i) : -1;
}

/**
 * Whether a word character touches position `i` from the left (i-1) — i.e. `i` is not a word start. An
 * escaped line break or tab written out (`\\n`, as in JSON-encoded text) ends a word like a real one.
 */
export function wordBefore(text: string, i: number): boolean {
  const c = codeAt(text, i - 1);
  if (c < 0 || !isWordCode(c)) return false;
  return !(codeAt(text, i - 2) === 92 && (c === 110 || c === 114 || c === 116));
}

/** Whether a word character sits at `i` — i.e. a match ending at `i` would cut a word. */
export function wordAt(text: string, i: number): boolean {
  const c = codeAt(text, i);
  return c >= 0 && isWordCode(c);
}

/**
 * The text a reader sees just before `start` as a label for it: the same line, or, when the line holds
 * nothing before `start`, the previous line ("Phone:\n0412 …"). At most `max` characters, lower-cased.
 */
export function labelBefore(text: string, start: number, max = 40): string {
  const from = Math.max(0, start - max);
  let segment = unescapeBreaks(text.slice(from, start));
  const nl = segment.lastIndexOf('\n');
  if (nl >= 0) {
    const sameLine = segment.slice(nl + 1);
    if (sameLine.trim() !== '') segment = sameLine;
    else {
      const prev = segment.slice(0, nl);
      segment = prev.slice(prev.lastIndexOf('\n') + 1);
    }
  }
  return segment.toLowerCase();
}

/** The start of the same line after `end`, at most `max` characters, lower-cased. */
export function labelAfter(text: string, end: number, max = 16): string {
  const segment = unescapeBreaks(text.slice(end, end + max));
  const nl = segment.indexOf('\n');
  return (nl >= 0 ? segment.slice(0, nl) : segment).toLowerCase();
}

/**
 * Escaped line breaks and tabs written out (`\\n`, from JSON-encoded text) read as real ones, and a
 * placeholder left by an earlier pass (`[PHONE]`) reads as nothing: it is not a label for what follows.
 */
function unescapeBreaks(segment: string): string {
  const plain = segment.includes('[') ? segment.replace(PLACEHOLDER, ' ') : segment;
  return plain.includes('\\') ? plain.replace(/\\[nrt]/g, '\n') : plain;
}

const PLACEHOLDER = /\[[A-Z_]+\d*\]/g;
