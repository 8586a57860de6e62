/*
 * The normalized view under construction (units and their source offsets in growable typed arrays) and
 * the two clean-up passes that run on it in place: leetspeak, then spaced-out letters.
 */

export const isLetter = (u: number) => u >= 0x61 && u <= 0x7a;
export const isDigit = (u: number) => u >= 0x30 && u <= 0x39;
/** Word characters for the joining and leetspeak passes: ASCII letters, digits and anything non-ASCII. */
export const isWordUnit = (u: number) => isLetter(u) || isDigit(u) || u >= 0x80;

/** Writes units and their source offsets into growable typed arrays. */
export class ViewBuilder {
  units: Uint16Array;
  offsets: Int32Array;
  length = 0;

  constructor(capacity: number) {
    this.units = new Uint16Array(capacity);
    this.offsets = new Int32Array(capacity);
  }

  push(unit: number, offset: number): void {
    if (this.length === this.units.length) this.grow();
    this.units[this.length] = unit;
    this.offsets[this.length] = offset;
    this.length++;
  }

  private grow(): void {
    const units = new Uint16Array(this.units.length * 2 + 16);
    units.set(this.units);
    const offsets = new Int32Array(this.units.length * 2 + 16);
    offsets.set(this.offsets);
    this.units = units;
    this.offsets = offsets;
  }
}

const LEET: Record<number, number> = { 48: 0x6f, 49: 0x69, 51: 0x65, 52: 0x61, 53: 0x73, 55: 0x74 };
/** Separators of spaced-out letters: space . - _ * | / + , ~ */
const SPACERS = new Set([0x20, 0x2e, 0x2d, 0x5f, 0x2a, 0x7c, 0x2f, 0x2b, 0x2c, 0x7e]);

/**
 * Joins runs of three or more one-letter words separated by one repeated separator (`i g n o r e`,
 * `i.g.n.o.r.e`), in place. A wide space (two or more in the source) ends a run: it separated words. Only
 * the one-letter words the main loop saw are examined, and only the view after the first run is moved.
 */
export function joinSpacedLetters(
  view: ViewBuilder,
  singles: readonly number[],
  wideSpaces: ReadonlySet<number>,
): void {
  const u = view.units;
  const offsets = view.offsets;
  const len = view.length;
  const single = (i: number) =>
    isLetter(u[i] as number) &&
    (i === 0 || !isWordUnit(u[i - 1] as number)) &&
    (i + 1 >= len || !isWordUnit(u[i + 1] as number));
  const runs: [number, number][] = [];
  for (let k = 0; k < singles.length; ) {
    const first = singles[k] as number;
    const sep = u[first + 1] as number;
    let m = k;
    while (
      m + 1 < singles.length &&
      singles[m + 1] === (singles[m] as number) + 2 &&
      u[(singles[m] as number) + 1] === sep &&
      !wideSpaces.has((singles[m] as number) + 1)
    ) {
      m++;
    }
    const last = singles[m] as number;
    let ok = m - k >= 2 && SPACERS.has(sep);
    for (let q = k; ok && q <= m; q++) ok = single(singles[q] as number);
    if (ok) runs.push([first, last]);
    k = m + 1;
  }
  if (runs.length === 0) return;
  let write = (runs[0] as [number, number])[0];
  let read = write;
  const copy = (from: number) => {
    u[write] = u[from] as number;
    offsets[write] = offsets[from] as number;
    write++;
  };
  for (const [first, last] of runs) {
    while (read < first) copy(read++);
    for (let k = first; k <= last; k += 2) copy(k);
    read = last + 1;
  }
  while (read < len) copy(read++);
  view.length = write;
}

/**
 * Reads digits as letters in words that hold both (`pr3v10us` → `previous`), in place, looking only at
 * the words around `hints` (where a digit meets a letter). It runs before the spaced-letters pass, which
 * removes units and would move the hints.
 */
export function readLeetspeak(view: ViewBuilder, hints: readonly number[]): void {
  const u = view.units;
  const len = view.length;
  let done = -1;
  for (const hint of hints) {
    if (hint < done || hint >= len) continue;
    let i = hint;
    while (i > 0 && isWordUnit(u[i - 1] as number)) i--;
    let j = i;
    let letters = 0;
    let leet = 0;
    let digitThenLetter = false;
    while (j < len && isWordUnit(u[j] as number)) {
      const c = u[j] as number;
      if (isLetter(c)) {
        letters++;
        if (j > i && isDigit(u[j - 1] as number)) digitThenLetter = true;
      } else if (LEET[c] !== undefined) leet++;
      j++;
    }
    done = j;
    // Digits only at the end are a name or version (base64, rot13, gpt4, sha256), not leetspeak.
    if (letters > 0 && leet > 0 && digitThenLetter && j - i <= 40) {
      for (let k = i; k < j; k++) {
        const to = LEET[u[k] as number];
        if (to !== undefined) u[k] = to;
      }
    }
  }
}
