/**
 * A structural reading of HTML that Warden itself wrote (no HTML parser is installed, and none is added for
 * tests): its tags in order, their attributes, and whether they nest properly. It relies on what the
 * report guarantees — attribute values double-quoted, `<` and `>` escaped in text and attributes — and a
 * broken guarantee shows up as an unbalanced or unexpected tag, which is what the tests look for.
 */
export interface Tag {
  name: string;
  closing: boolean;
  attributes: Record<string, string>;
  /** Offset of the tag in the document. */
  at: number;
}

const voidElements = new Set([
  'meta',
  'br',
  'hr',
  'img',
  'input',
  'link',
  'source',
  'wbr',
  'col',
  'area',
  'base',
]);
const decode = (value: string) =>
  value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** Every start and end tag, with attributes decoded. */
export function tagsOf(html: string): Tag[] {
  const tags: Tag[] = [];
  for (const match of html.matchAll(/<(\/?)([a-zA-Z][\w-]*)((?:\s+[^\s=>/]+(?:="[^"]*")?)*)\s*(\/?)>/g)) {
    const attributes: Record<string, string> = {};
    for (const attr of (match[3] ?? '').matchAll(/([^\s=>/]+)(?:="([^"]*)")?/g)) {
      attributes[(attr[1] ?? '').toLowerCase()] = decode(attr[2] ?? '');
    }
    const name = (match[2] ?? '').toLowerCase();
    tags.push({ name, closing: match[1] === '/', attributes, at: match.index ?? 0 });
    if (match[4] === '/' && !voidElements.has(name))
      tags.push({ name, closing: true, attributes: {}, at: match.index ?? 0 });
  }
  return tags;
}

/** The tags that do not nest (an end tag without its start, or a start tag never closed); empty when well formed. */
export function unbalancedTags(tags: Tag[]): string[] {
  const open: string[] = [];
  const problems: string[] = [];
  for (const tag of tags) {
    if (voidElements.has(tag.name)) continue;
    if (!tag.closing) open.push(tag.name);
    else if (open.at(-1) === tag.name) open.pop();
    else problems.push(`</${tag.name}> at ${tag.at} closes <${open.at(-1)}>`);
  }
  return [...problems, ...open.map((name) => `<${name}> never closed`)];
}

/** The text between a start tag and its matching end tag (same name, nesting counted). */
export function innerHtml(html: string, tags: Tag[], start: Tag): string {
  let depth = 0;
  for (const tag of tags.slice(tags.indexOf(start))) {
    if (tag.name !== start.name) continue;
    depth += tag.closing ? -1 : 1;
    if (depth === 0) return html.slice(html.indexOf('>', start.at) + 1, tag.at);
  }
  throw new Error(`<${start.name}> at ${start.at} is never closed`);
}

/** Text content: tags removed, entities decoded. */
export const textOf = (html: string): string => decode(html.replace(/<[^>]*>/g, ''));
