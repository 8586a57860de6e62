import type { CallContext } from '../../platform/call-context.js';
import { isSlug } from '../../platform/slug.js';
import { invalidName } from './registry.errors.js';

/** Tags as a model keeps them: unique, sorted, each a slug. */
export function normalizeTags(tags: readonly string[] | undefined): string[] {
  const out = [...new Set(tags ?? [])].sort();
  for (const t of out) if (!isSlug(t)) throw invalidName('Tag', t);
  return out;
}

/**
 * The model a create would make, with the attributes its `registry:model:create` is decided on: a
 * team-scoped caller's model belongs to its (first) team unless it names another of its teams.
 */
export function modelToBe(
  ctx: CallContext,
  input: { name: string; owner?: string; tags?: readonly string[] },
) {
  return {
    name: input.name,
    owner: input.owner ?? ctx.principal.teams[0] ?? ctx.principal.id,
    tags: normalizeTags(input.tags),
  };
}
