/**
 * The rules a file path in a model must follow so that writing the model to any user's disk (Linux, macOS,
 * Windows, inside a git work tree or not) can only create the files it names, where it names them. Pure
 * functions: the server applies them to every push, the CLI before a push and again before a pull writes.
 */

/** Stable rule ids, reported in `details.rule` of invalid_file_path and conflicting_file_paths. */
export type PathRule =
  | 'empty'
  | 'not_unicode'
  | 'control_character'
  | 'format_character'
  | 'absolute'
  | 'lookalike_separator'
  | 'too_long'
  | 'empty_component'
  | 'dot_component'
  | 'git_component'
  | 'reserved_name';

export type PathSetRule = 'duplicate' | 'case_collision' | 'file_directory_conflict';

export interface PathViolation {
  rule: PathRule;
  reason: string;
}

export interface PathConflict {
  rule: PathSetRule;
  /** The path that clashed with one seen before it. */
  path: string;
  other: string;
  reason: string;
}

export const MAX_COMPONENT_BYTES = 255;
export const MAX_PATH_BYTES = 4096;

// Cc is C0, DEL and C1 (NEL U+0085 reads as a line break to some tools) and the Unicode line/paragraph separators.
const CONTROL = /[\p{Cc}\u2028\u2029]/u;
// Category Cf holds the bidi embeddings/overrides/isolates (U+202A–202E, U+2066–2069), zero-width
// characters (U+200B–200F, U+2060–2064), the BOM U+FEFF and the soft hyphen. The others here are letters
// or marks that render as nothing (Hangul fillers, braille blank, combining grapheme joiner): a name made
// with them looks like another name. HFS+ also ignores some of these when comparing names, so `.g\u200cit`
// is `.git` there.
const INVISIBLE = /\p{Cf}|\u034f|[\u115f\u1160\u2800\u3164\uffa0]/u;
// Characters drawn like a slash or backslash: a name holding one reads as a path of several parts.
const LOOKALIKE_SEPARATOR = /[\\\u2044\u2215\u2216\u29f5\u29f8\u29f9\ufe68\uff0f\uff3c]/u;
// In a `u` regex a well-formed surrogate pair is one code point, so only lone surrogates match. U+FFFD is
// what a lossy decoder leaves where bytes were not UTF-8 (the multipart parser decodes that way), so a
// path holding it is treated as undecodable rather than silently renamed.
const NOT_UNICODE = /[\ud800-\udfff\ufffd]/u;
// Windows device names, with or without an extension (`nul.txt` is the device too); NTFS also reserves
// COM0–9/LPT0–9 and their superscript-digit forms, which NFKC maps to digits.
const RESERVED_NAME = /^(con|prn|aux|nul|com[0-9]|lpt[0-9]|conin\$|conout\$)$/;
// 8.3 short names Windows may give `.git` (git's own check is `git~1`; any ~N is refused to be safe).
const GIT_SHORT_NAME = /^git~[0-9]+$/;

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** Windows drops trailing dots and spaces from a name: `.git. ` opens `.git`. */
const stripTrailingDotsAndSpaces = (s: string) => s.replace(/[. ]+$/, '');

/** A component as the most permissive filesystem might read it: compatibility forms unified, case folded. */
function foldComponent(part: string): string {
  return part.normalize('NFKC').toUpperCase().toLowerCase();
}

function checkComponent(part: string): PathViolation | null {
  if (part === '') return { rule: 'empty_component', reason: 'it has an empty component' };
  const nfc = part.normalize('NFC');
  if (nfc === '.' || nfc === '..') return { rule: 'dot_component', reason: `it has a "${nfc}" component` };
  const compat = part.normalize('NFKC');
  if (LOOKALIKE_SEPARATOR.test(compat) || compat.includes('/')) {
    return {
      rule: 'lookalike_separator',
      reason: 'a component reads as a slash after Unicode normalisation',
    };
  }
  // `...`, `. .`, fullwidth full stops (U+FF0E) or one-dot leaders: Windows trims them to nothing or to `.`/`..`.
  if (/^[. ]+$/.test(compat)) {
    return {
      rule: 'dot_component',
      reason: `the component ${JSON.stringify(part)} is only dots and spaces, which some systems read as "." or ".."`,
    };
  }
  if (bytes(part) > MAX_COMPONENT_BYTES) {
    return { rule: 'too_long', reason: `a component is longer than ${MAX_COMPONENT_BYTES} bytes` };
  }
  const folded = stripTrailingDotsAndSpaces(foldComponent(part));
  // `.git:stream` is an NTFS alternate data stream of `.git` itself.
  if (folded === '.git' || folded.startsWith('.git:') || GIT_SHORT_NAME.test(folded)) {
    return {
      rule: 'git_component',
      reason: `the component ${JSON.stringify(part)} names a git repository folder (.git), which would let the model configure git on the user's disk`,
    };
  }
  const base = stripTrailingDotsAndSpaces(folded.split('.')[0] ?? '');
  if (RESERVED_NAME.test(base)) {
    return {
      rule: 'reserved_name',
      reason: `the component ${JSON.stringify(part)} is a Windows device name (CON, PRN, AUX, NUL, COMn, LPTn)`,
    };
  }
  return null;
}

/**
 * Checks one path relative to a model's root (POSIX separators). Returns the first rule it breaks, or
 * null. The order puts the most fundamental problem first (an undecodable path is not also "too long").
 */
export function checkPath(p: string): PathViolation | null {
  if (p.length === 0) return { rule: 'empty', reason: 'the path is empty' };
  if (NOT_UNICODE.test(p)) {
    return {
      rule: 'not_unicode',
      reason: 'it is not valid Unicode (invalid UTF-8 bytes, a lone surrogate or U+FFFD)',
    };
  }
  if (CONTROL.test(p)) return { rule: 'control_character', reason: 'it contains a control character' };
  if (INVISIBLE.test(p)) {
    return {
      rule: 'format_character',
      reason:
        'it contains an invisible or bidirectional formatting character (Unicode Cf, e.g. U+202E, U+200B)',
    };
  }
  if (p.startsWith('/') || p.startsWith('\\')) return { rule: 'absolute', reason: 'it is an absolute path' };
  if (/^[A-Za-z]:/.test(p)) {
    return { rule: 'absolute', reason: 'it is an absolute Windows path (drive letter)' };
  }
  if (p.includes('\\')) return { rule: 'lookalike_separator', reason: 'it contains a backslash' };
  if (LOOKALIKE_SEPARATOR.test(p)) {
    return {
      rule: 'lookalike_separator',
      reason: 'it contains a character drawn like a slash (U+FF0F, U+2215, U+2044 or similar)',
    };
  }
  if (bytes(p) > MAX_PATH_BYTES)
    return { rule: 'too_long', reason: `it is longer than ${MAX_PATH_BYTES} bytes` };
  for (const part of p.split('/')) {
    const violation = checkComponent(part);
    if (violation) return violation;
  }
  return null;
}

/**
 * The name a case-insensitive, normalising filesystem (NTFS, APFS, HFS+) would see: NFC, case folded,
 * trailing dots and spaces dropped per component. Two paths with one key land on one file there.
 */
export function pathKey(p: string): string {
  return p
    .normalize('NFC')
    .toUpperCase()
    .toLowerCase()
    .normalize('NFC')
    .split('/')
    .map(stripTrailingDotsAndSpaces)
    .join('/');
}

export interface PathSet {
  /** Adds a path (already checked with checkPath); returns how it clashes with one added before, or null. */
  add(p: string): PathConflict | null;
}

/**
 * Collects the paths of one version and reports the first clash: two names for one file on some disk, or
 * a name used both as a file and as a folder (`a` and `a/b`), which no disk can hold.
 */
export function createPathSet(): PathSet {
  const files = new Map<string, string>();
  // Folder key → the first path that needed it.
  const dirs = new Map<string, string>();
  return {
    add(p) {
      const key = pathKey(p);
      const same = files.get(key);
      if (same === p) return { rule: 'duplicate', path: p, other: same, reason: 'appear twice' };
      if (same !== undefined) {
        return {
          rule: 'case_collision',
          path: p,
          other: same,
          reason:
            'differ only by letter case, Unicode normalisation or trailing dots/spaces, so they are one file on Windows and macOS',
        };
      }
      const fileDir = (other: string) => ({
        rule: 'file_directory_conflict' as const,
        path: p,
        other,
        reason: 'name one entry both as a file and as a folder',
      });
      const under = dirs.get(key);
      if (under !== undefined) return fileDir(under);
      const parts = key.split('/');
      const prefixes: string[] = [];
      for (let i = 1; i < parts.length; i++) {
        const prefix = parts.slice(0, i).join('/');
        const file = files.get(prefix);
        if (file !== undefined) return fileDir(file);
        prefixes.push(prefix);
      }
      files.set(key, p);
      for (const prefix of prefixes) if (!dirs.has(prefix)) dirs.set(prefix, p);
      return null;
    },
  };
}

/** Checks every path and the set as a whole; returns the first problem found, or null. */
export function checkPaths(
  paths: Iterable<string>,
): ({ kind: 'path'; path: string } & PathViolation) | ({ kind: 'set' } & PathConflict) | null {
  const set = createPathSet();
  for (const p of paths) {
    const violation = checkPath(p);
    if (violation) return { kind: 'path', path: p, ...violation };
    const conflict = set.add(p);
    if (conflict) return { kind: 'set', ...conflict };
  }
  return null;
}
