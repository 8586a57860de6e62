/**
 * How the CLI names who acted: the display name for people, then the exact principal id, e.g.
 * `ci-bot (token:01J…)`; the id alone on records made before names were kept. A display name comes from
 * whoever holds the credential (an OIDC user's `preferred_username`), so control and invisible format
 * characters are replaced before it reaches a terminal, where they could fake or hide text.
 */
export function actorLabel(id: string, name: string | null | undefined): string {
  if (!name || name === id) return id;
  return `${name.replace(/[\p{Cc}\p{Cf}]/gu, '\uFFFD')} (${id})`;
}
