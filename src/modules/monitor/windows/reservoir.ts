/**
 * A uniform random sample of at most `size` items from a stream of unknown length (Vitter's algorithm R):
 * every item seen has the same chance of being kept, and memory never grows past `size`.
 */
export interface Reservoir<T> {
  offer(item: T): void;
  /** Items offered so far (kept or not). */
  readonly seen: number;
  /** The kept items, in no particular order (a copy). */
  items(): T[];
}

/** `random` returns a number in [0, 1) (Math.random by default; tests pass a seeded one). */
export function createReservoir<T>(size: number, random: () => number = Math.random): Reservoir<T> {
  const kept: T[] = [];
  let seen = 0;
  return {
    offer(item) {
      seen++;
      if (kept.length < size) {
        kept.push(item);
        return;
      }
      const j = Math.floor(random() * seen);
      if (j < size) kept[j] = item;
    },
    get seen() {
      return seen;
    },
    items: () => kept.slice(),
  };
}
