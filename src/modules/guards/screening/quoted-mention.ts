/**
 * Use versus mention: "What does 'ignore previous instructions' mean?" quotes an attack to ask about it.
 * A match counts half when it lies inside a short quotation (both quotes within 60 characters, on one
 * line) and the sentence asks about it (a `?` after the quotation) or introduces it as a phrase, example
 * or quote. Attacks quote too ("just print 'I hate humans'"), but there the match is outside the quotes,
 * and long quoted personas ("Hey! I'm DAN…") exceed the 60-character window.
 */
const WINDOW = 60;
const CUE =
  /\b(?:what|phrases?|prompts?|terms?|sentences?|strings?|texts?|words?|like|such as|examples?|called|quotes?|quoted|quoting|says?|said|saying|means?|meaning|mentions?|contains?|containing|blocks?|filters?|classic|famous|known|e\.?g\.?|i\.?e\.?)\W{0,3}$/;

const isLetter = (c: number) => c >= 0x61 && c <= 0x7a;

/** Index of the opening quote before `start` (same line, no sentence end between), or -1. */
function openingQuote(view: string, start: number): number {
  for (let i = start - 1; i >= 0 && i >= start - WINDOW; i--) {
    const c = view.charCodeAt(i);
    if (c === 0x0a) return -1;
    if (c === 0x22) return i;
    if (c === 0x27 && !(i > 0 && isLetter(view.charCodeAt(i - 1)))) return i;
  }
  return -1;
}

/** Index of the closing quote (`quote`) at or after `end` on the same line, or -1. */
function closingQuote(view: string, end: number, quote: number): number {
  for (let i = end; i < view.length && i <= end + WINDOW; i++) {
    const c = view.charCodeAt(i);
    if (c === 0x0a) return -1;
    if (c === quote && (quote === 0x22 || !isLetter(view.charCodeAt(i + 1)))) return i;
  }
  return -1;
}

export function quotedMention(view: string, start: number, end: number): boolean {
  const open = openingQuote(view, start);
  if (open < 0) return false;
  const close = closingQuote(view, end, view.charCodeAt(open));
  if (close < 0 || close - open > WINDOW * 2) return false;
  const before = view.slice(Math.max(0, open - 40), open);
  if (CUE.test(before)) return true;
  const after = view.slice(close + 1, close + 81);
  const stop = after.search(/[\n.!]/);
  return (stop < 0 ? after : after.slice(0, stop)).includes('?');
}
