/** Names users choose (models, aliases): lowercase, digits and single dashes, 1-63 chars, starting with a letter. */
export const slugPattern = '^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){0,62}$';
const slugRe = new RegExp(slugPattern);

export function isSlug(value: string): boolean {
  return slugRe.test(value);
}
