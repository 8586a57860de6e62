import { isSlug } from '../../platform/slug.js';
import { invalidVersionRef } from './registry.errors.js';
import type { VersionRef } from './registry.types.js';

/** "3" → number, "sha256:<hex ≥12>" → digest prefix, a slug → alias; anything else is refused. */
export function parseVersionRef(ref: string): VersionRef {
  if (/^[1-9]\d{0,8}$/.test(ref)) return { number: Number(ref) };
  const digest = /^sha256:([0-9a-f]{12,64})$/.exec(ref);
  if (digest?.[1]) return { digest: digest[1] };
  if (isSlug(ref)) return { alias: ref };
  throw invalidVersionRef(ref);
}

/** "iris@3" / "iris@champion" / "iris" (latest) → model name and optional ref. */
export function splitModelRef(text: string): { model: string; ref: string | null } {
  const at = text.indexOf('@');
  if (at === -1) return { model: text, ref: null };
  return { model: text.slice(0, at), ref: text.slice(at + 1) };
}

export function formatRef(ref: VersionRef): string {
  if ('number' in ref) return String(ref.number);
  if ('digest' in ref) return `sha256:${ref.digest}`;
  return ref.alias;
}
