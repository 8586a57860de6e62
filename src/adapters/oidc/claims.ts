/**
 * Reads a claim by dotted path ("realm_access.roles"), through own properties only, so a path such as
 * "__proto__.x" finds nothing rather than the prototype.
 */
export function claimAt(payload: unknown, path: string): unknown {
  let node: unknown = payload;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node) || !Object.hasOwn(node, part))
      return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** A claim's string values: an array of strings, or one string of space-separated values (like `scope`). */
export function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return value.split(/\s+/).filter((v) => v !== '');
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string' && v !== '');
  return [];
}
