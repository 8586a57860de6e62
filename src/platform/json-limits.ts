/** How deep and how large a free-form JSON value may be. */
export interface JsonLimits {
  maxDepth: number;
  maxBytes: number;
}

/**
 * Whether objects and arrays nest deeper than `maxDepth` (the value itself is level 1). Walks with its own
 * stack, never recursion: the input may be nested far beyond the call stack, and a cycle counts as too deep.
 */
export function jsonDeeperThan(value: unknown, maxDepth: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [node, depth] = next;
    if (node === null || typeof node !== 'object') continue;
    if (depth > maxDepth) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

/**
 * What is wrong with a free-form value against the limits, or null when it fits. The depth is checked
 * first, so serializing (which recurses) only ever sees a shallow value.
 */
export function jsonLimitViolation(value: unknown, limits: JsonLimits): string | null {
  if (jsonDeeperThan(value, limits.maxDepth)) return `must nest at most ${limits.maxDepth} levels deep`;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    return 'must be plain JSON';
  }
  if (text === undefined) return 'must be plain JSON';
  if (Buffer.byteLength(text) > limits.maxBytes) return `must be at most ${limits.maxBytes} bytes as JSON`;
  return null;
}
