/** A route's hooks of one kind as a list: Fastify's route options take one function, an array, or none. */
export function hookList<T>(hooks: T | readonly T[] | undefined): T[] {
  if (hooks === undefined) return [];
  return Array.isArray(hooks) ? [...(hooks as readonly T[])] : [hooks as T];
}
