/**
 * Turning untrusted strings (column names, category labels, model names, anything a user or a dataset
 * chose) into HTML text. Every such string goes through `userText`, which is safe in element content, in
 * SVG text and in a double-quoted attribute alike.
 */

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** The five characters that matter in HTML content and quoted attributes, as entities. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => entities[c] as string);

// C0/C1 controls other than tab, line feed and carriage return: parse errors in HTML, invisible on screen.
const controls = /(?![\t\n\r])\p{Cc}/gu;
// Explicit bidi embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI). Left in, one
// can reorder the text around it ("Trojan Source"); they are shown as their code point instead.
const bidiControls = /[\u202A-\u202E\u2066-\u2069]/g;
const FSI = '\u2068';
const PDI = '\u2069';

/** At most `max` characters (code points, so a surrogate pair is never split), with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const points = Array.from(text);
  return points.length <= max ? text : `${points.slice(0, max - 1).join('')}…`;
}

/** The string with controls replaced and bidi controls made visible, before any escaping. */
export function neutralize(text: string): string {
  return text
    .replace(controls, '\uFFFD')
    .replace(bidiControls, (c) => `[U+${c.codePointAt(0)?.toString(16).toUpperCase()}]`);
}

/**
 * An untrusted string as escaped HTML: controls neutralized, cut to `max` characters, and wrapped in a
 * first-strong isolate so right-to-left text (legitimate or not) cannot reorder what is around it.
 */
export function userText(text: string, max = 1_000): string {
  return escapeHtml(`${FSI}${truncate(neutralize(text), max)}${PDI}`);
}
