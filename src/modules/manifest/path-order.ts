/**
 * Orders the code units of two strings as their code points would be ordered. UTF-16 puts surrogates
 * (astral characters) below U+E000–U+FFFF; Python compares code points, where astral characters come last.
 */
function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

/** Compares two strings by Unicode code point, as Python's `str` comparison does. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/**
 * Orders POSIX relative paths as OpenSSF model signing does (Python `PurePosixPath`): component by
 * component, so `a/b` < `a-b/c` < `a.txt` although plain string order would put `a/b` last.
 */
export function compareOmsPaths(a: string, b: string): number {
  const pa = a.split('/');
  const pb = b.split('/');
  const n = Math.min(pa.length, pb.length);
  for (let i = 0; i < n; i++) {
    const c = compareCodePoints(pa[i]!, pb[i]!);
    if (c !== 0) return c;
  }
  return pa.length - pb.length;
}
