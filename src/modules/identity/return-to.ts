const base = 'http://return-to.invalid';
const maxLength = 2048;

/**
 * Where a sign-in may send the browser afterwards: a path on this origin only. Anything else (`//host`,
 * `/\host`, a scheme, a control character or space that a URL parser would drop, an over-long value) is
 * `/`, so the sign-in can never be used as an open redirect.
 */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) return '/';
  if (!value.startsWith('/') || value.startsWith('//')) return '/';
  // Browsers read a backslash as a slash; tabs and newlines are stripped before parsing.
  if (value.includes('\\') || /\s/.test(value) || [...value].some(isControl)) return '/';
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return '/';
  }
  if (url.origin !== base) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}

const isControl = (c: string) => {
  const code = c.charCodeAt(0);
  return code < 0x20 || code === 0x7f;
};
