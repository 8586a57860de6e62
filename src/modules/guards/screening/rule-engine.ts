import type { NormalizedText } from './normalize-text.js';
import { quotedMention } from './quoted-mention.js';
import type { RuleCategory, ScreeningRule, TextOrigin } from './screening-types.js';

/**
 * How a text is weighed: `user` and `untrusted` as the caller said; `document` is user text that embeds a
 * pasted document, where the rules for planted instructions count with their untrusted weight.
 */
export type WeighingContext = TextOrigin | 'document';

/** The categories that weigh as untrusted inside an embedded document. */
const DOCUMENT_CATEGORIES: ReadonlySet<RuleCategory> = new Set([
  'indirect_injection',
  'fake_delimiter',
  'exfiltration',
  'obfuscation',
]);

/** A quoted mention of an attack ("what does 'ignore previous instructions' mean?") counts this much. */
export const MENTION_FACTOR = 0.5;

/** A rule ready to run: its effective weights, its anchors and its pattern (sticky when anchored). */
export interface CompiledRule {
  readonly rule: ScreeningRule;
  readonly id: string;
  readonly weight: number;
  readonly untrustedWeight: number;
  readonly pattern: RegExp;
  readonly anchored: boolean;
  readonly substrings: readonly string[];
  readonly accept: ((view: string, start: number, end: number) => boolean) | undefined;
}

/** A match in the normalized view: [start, end) are view indices. */
export interface ViewHit {
  readonly id: string;
  readonly weight: number;
  readonly start: number;
  readonly end: number;
}

/**
 * `scan: true` ignores the anchors and scans the whole view (slower; the tests check that both find the
 * same rules, which catches an anchor list that misses a way a pattern can start).
 */
export function compileRule(
  rule: ScreeningRule,
  weight = rule.weight,
  untrustedWeight?: number,
  options: { scan?: boolean } = {},
): CompiledRule {
  const anchored = !options.scan && ((rule.words?.length ?? 0) > 0 || (rule.substrings?.length ?? 0) > 0);
  // Anchored rules run sticky at each anchor; the others scan. A private copy either way: `lastIndex` is
  // state, and a caller's RegExp must not be shared with ours.
  const flags = rule.pattern.flags.replace(/[gy]/g, '') + (anchored ? 'y' : 'g');
  return {
    rule,
    id: rule.id,
    weight,
    untrustedWeight: untrustedWeight ?? Math.max(weight, rule.untrustedWeight ?? weight),
    pattern: new RegExp(rule.pattern.source, flags),
    anchored,
    substrings: anchored ? (rule.substrings ?? []) : [],
    accept: rule.accept,
  };
}

/**
 * A rule set with its anchor index: a trie over the anchor words (letters, digits, `_`), whose terminal
 * nodes list the rules that word starts. Built once per screener; per text, one pass over the view walks
 * each word through the trie (no allocation), then the sticky patterns run at the anchor positions.
 */
export interface RuleSet {
  readonly rules: readonly CompiledRule[];
  readonly trie: Int32Array;
  readonly owners: readonly (readonly number[] | undefined)[];
  /** Substring anchors grouped by first character: one `indexOf` scan per character, not per substring. */
  readonly byFirstChar: ReadonlyMap<string, readonly { literal: string; rule: number }[]>;
}

const SYMBOLS = 37;
/** Trie symbol of a view code unit: a-z → 0-25, 0-9 → 26-35, `_` → 36, anything else → -1. */
function symbol(c: number): number {
  if (c >= 0x61 && c <= 0x7a) return c - 0x61;
  if (c >= 0x30 && c <= 0x39) return c - 0x30 + 26;
  return c === 0x5f ? 36 : -1;
}

export function buildRuleSet(rules: readonly CompiledRule[]): RuleSet {
  const next: number[] = new Array(SYMBOLS).fill(-1);
  const owners: (number[] | undefined)[] = [undefined];
  rules.forEach((compiled, index) => {
    if (!compiled.anchored) return;
    for (const word of compiled.rule.words ?? []) {
      let node = 0;
      for (let k = 0; k < word.length; k++) {
        const sym = symbol(word.charCodeAt(k));
        if (sym < 0) throw new RangeError(`rule ${compiled.id}: anchor word "${word}" must be [a-z0-9_]+`);
        let child = next[node * SYMBOLS + sym] as number;
        if (child < 0) {
          child = owners.length;
          owners.push(undefined);
          for (let z = 0; z < SYMBOLS; z++) next.push(-1);
          next[node * SYMBOLS + sym] = child;
        }
        node = child;
      }
      const list = owners[node];
      if (!list) owners[node] = [index];
      else if (!list.includes(index)) list.push(index);
    }
  });
  const byFirstChar = new Map<string, { literal: string; rule: number }[]>();
  rules.forEach((compiled, rule) => {
    for (const literal of compiled.substrings) {
      if (literal === '') throw new RangeError(`rule ${compiled.id}: an anchor substring is empty`);
      const first = literal[0] as string;
      const group = byFirstChar.get(first);
      if (group) group.push({ literal, rule });
      else byFirstChar.set(first, [{ literal, rule }]);
    }
  });
  return { rules, trie: Int32Array.from(next), owners, byFirstChar };
}

/** Start positions of anchor words in the view, per rule (ascending). */
function anchorPositions(text: string, set: RuleSet): (number[] | undefined)[] {
  const positions: (number[] | undefined)[] = new Array(set.rules.length);
  const { trie, owners } = set;
  const n = text.length;
  let i = 0;
  while (i < n) {
    let sym = symbol(text.charCodeAt(i));
    if (sym < 0) {
      i++;
      continue;
    }
    const start = i;
    let node = 0;
    while (sym >= 0) {
      node = node >= 0 ? (trie[node * SYMBOLS + sym] as number) : -1;
      i++;
      sym = i < n ? symbol(text.charCodeAt(i)) : -1;
    }
    if (node <= 0) continue;
    const list = owners[node];
    if (!list) continue;
    for (const r of list) {
      const at = positions[r];
      if (at) at.push(start);
      else positions[r] = [start];
    }
  }
  for (const [first, group] of set.byFirstChar) {
    for (let at = text.indexOf(first); at >= 0; at = text.indexOf(first, at + 1)) {
      for (const { literal, rule } of group) {
        if (!text.startsWith(literal, at)) continue;
        const list = positions[rule];
        if (list) list.push(at);
        else positions[rule] = [at];
      }
    }
  }
  return positions;
}

/** Runs the rules over a normalized view; at most `maxSpansPerRule` matches per rule. */
export function matchRules(
  view: NormalizedText,
  set: RuleSet,
  context: WeighingContext,
  maxSpansPerRule: number,
): ViewHit[] {
  const text = view.text;
  const hits: ViewHit[] = [];
  if (text.length === 0) return hits;
  const positions = anchorPositions(text, set);
  set.rules.forEach((rule, index) => {
    const untrusted =
      context === 'untrusted' || (context === 'document' && DOCUMENT_CATEGORIES.has(rule.rule.category));
    const weight = untrusted ? rule.untrustedWeight : rule.weight;
    const pattern = rule.pattern;
    let found = 0;
    const take = (m: RegExpExecArray): boolean => {
      const end = m.index + m[0].length;
      if (m[0].length === 0 || (rule.accept && !rule.accept(text, m.index, end))) return false;
      const mention = quotedMention(text, m.index, end);
      hits.push({ id: rule.id, weight: mention ? weight * MENTION_FACTOR : weight, start: m.index, end });
      found++;
      return true;
    };
    if (!rule.anchored) {
      pattern.lastIndex = 0;
      for (let m = pattern.exec(text); m !== null && found < maxSpansPerRule; m = pattern.exec(text)) {
        // After a rejected or empty match, look again from just after its start.
        if (!take(m)) pattern.lastIndex = m.index + 1;
      }
      pattern.lastIndex = 0;
      return;
    }
    const starts = positions[index];
    if (!starts) return;
    if (rule.substrings.length > 0) starts.sort((a, b) => a - b);
    let covered = -1;
    for (const at of starts) {
      if (at < covered) continue;
      pattern.lastIndex = at;
      const m = pattern.exec(text);
      if (m !== null && take(m)) {
        covered = m.index + m[0].length;
        if (found >= maxSpansPerRule) break;
      }
    }
    pattern.lastIndex = 0;
  });
  return hits;
}

/** Noisy OR over distinct rule ids (each counted once, at its highest weight). */
export function combineWeights(hits: readonly { id: string; weight: number }[]): number {
  const best = new Map<string, number>();
  for (const h of hits) best.set(h.id, Math.max(best.get(h.id) ?? 0, h.weight));
  let keep = 1;
  for (const w of best.values()) keep *= 1 - Math.min(1, Math.max(0, w));
  return 1 - keep;
}
