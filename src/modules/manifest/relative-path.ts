import { invalidFilePath } from './manifest-errors.js';

const MAX_COMPONENT_BYTES = 255;
const MAX_PATH_BYTES = 4096;

function hasControlCharacter(p: string): boolean {
  for (let i = 0; i < p.length; i++) {
    const c = p.charCodeAt(i);
    // C0, DEL and C1 (U+0080–U+009F, e.g. NEL, which some tools treat as a line break).
    if (c <= 0x1f || (c >= 0x7f && c <= 0x9f)) return true;
  }
  return false;
}

/**
 * Checks a file name that arrived in an upload before it is stored or joined to any directory: a
 * non-empty POSIX path relative to the model root, with no way to climb out of it on any client OS.
 * Returns the path unchanged; throws invalid_file_path naming the reason.
 */
export function validateRelativePath(p: string): string {
  const refuse = (reason: string) => invalidFilePath(reason, p);
  if (p.length === 0) throw refuse('the path is empty');
  if (hasControlCharacter(p)) throw refuse('it contains a control character');
  // In a `u` regex a well-formed surrogate pair is one code point, so only lone surrogates match.
  if (/[\uD800-\uDFFF]/u.test(p)) throw refuse('it is not valid Unicode');
  if (p.startsWith('/') || p.startsWith('\\')) throw refuse('it is an absolute path');
  if (/^[A-Za-z]:/.test(p)) throw refuse('it is an absolute Windows path (drive letter)');
  if (p.includes('\\')) throw refuse('it contains a backslash');
  if (Buffer.byteLength(p, 'utf8') > MAX_PATH_BYTES)
    throw refuse(`it is longer than ${MAX_PATH_BYTES} bytes`);
  for (const part of p.split('/')) {
    if (part === '') throw refuse('it has an empty component');
    if (part === '.' || part === '..') throw refuse(`it has a "${part}" component`);
    if (Buffer.byteLength(part, 'utf8') > MAX_COMPONENT_BYTES) {
      throw refuse(`a component is longer than ${MAX_COMPONENT_BYTES} bytes`);
    }
  }
  return p;
}
