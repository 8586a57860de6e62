import { skeleton } from '../normalize-text.js';
import type { RuleCategory, ScreeningRule } from '../screening-types.js';

/*
 * The built-in rules. Each targets a kind of attack, written as general phrasing (a verb family, a bounded
 * gap, an object family) rather than as sentences from known prompts. Patterns run on the normalized view
 * (normalize.ts): lower case, one space between words, `'` and `"` for every quote, `-` for every dash.
 *
 * Linear time: every gap is a bounded character class (`GAP(n)`, at most n characters and never across a
 * sentence end or a line break), no quantified group contains another unbounded quantifier, and the `words`
 * gate keeps a rule from running at all unless one of its anchor words is present.
 */

/** Up to n characters inside one sentence (a `.` counts as an end only before a space: URLs and `e.g` stay in), lazy. */
export const GAP = (n: number) => `(?:[^.!?\\n]|[.!?](?=[a-z0-9])){0,${n}}?`;
/** Up to n characters inside one line. */
export const LINE = (n: number) => `[^\\n]{0,${n}}?`;
export const any = (words: readonly string[]) => `(?:${words.join('|')})`;
export const re = (...parts: string[]) => new RegExp(parts.join(''), 'g');

// Vocabulary shared by several rules.
export const OVERRIDE_VERBS = [
  'ignore',
  'ignoring',
  'ignores',
  'disregard(?:ing|s)?',
  'forget(?:ting)?',
  'neglect',
  'overlook',
  'override',
  'overriding',
  'bypass(?:ing)?',
  'discard',
  'abandon',
  'drop',
  'skip',
  'erase',
  'remove',
  'delete',
  'wipe',
  'clear',
  'reset',
  'set aside',
  'throw (?:away|out)',
  "(?:do not|don'?t|stop|no longer|cease to|never) (?:follow(?:ing)?|obey(?:ing)?|adher(?:e|ing) to|listen(?:ing)? to)",
];
/** The words OVERRIDE_VERBS start with (the anchors of the override rules). */
export const OVERRIDE_WORDS = [
  'ignore',
  'ignoring',
  'ignores',
  'disregard',
  'disregarding',
  'disregards',
  'forget',
  'forgetting',
  'neglect',
  'overlook',
  'override',
  'overriding',
  'bypass',
  'bypassing',
  'discard',
  'abandon',
  'drop',
  'skip',
  'erase',
  'wipe',
  'remove',
  'delete',
  'clear',
  'reset',
  'set',
  'throw',
  'do',
  'don',
  'dont',
  'stop',
  'no',
  'cease',
  'never',
];
export const QUALIFIERS = [
  'previous(?:ly)?',
  'prior',
  'preceding',
  'above',
  'earlier',
  'former',
  'foregoing',
  'initial',
  'original',
  'old',
  'existing',
  'current',
  'all',
  'any',
  'every',
  'your',
  'these',
  'those',
  'its',
  'other',
  'system',
  'developer',
  'safety',
  'default',
  'given',
  'hidden',
  'built-in',
  'pre-?set',
];
export const POSITIONAL = [
  'previous(?:ly)?',
  'prior',
  'preceding',
  'above',
  'earlier',
  'foregoing',
  'initial',
  'original',
];
export const RULE_NOUNS = [
  'instructions?',
  'directions?',
  'directives?',
  'rules?',
  'prompts?',
  'prompting',
  'guidelines?',
  'guidance',
  'commands?',
  'orders?',
  'programming',
  'training',
  'constraints?',
  'restrictions?',
  'polic(?:y|ies)',
  'limitations?',
  'safeguards?',
  'guardrails?',
  'filters?',
  'ethics',
  'morals?',
  'principles?',
  'protocols?',
];
export const TEXT_NOUNS = [
  'context',
  'conversations?',
  'messages?',
  'text',
  'inputs?',
  'content',
  'information',
  'info',
  'data',
  'chat',
  'tasks?',
];
export const AI_NOUNS = [
  'ai',
  'a\\.i\\.?',
  'assistant',
  'chatbot',
  'bot',
  'model',
  'language model',
  'llm',
  'gpt',
  'chatgpt',
  'agent',
  'system',
  'character',
  'persona',
  'entity',
  'version',
  'alter ego',
  'machine',
  'robot',
];
export const AI_SUBJECTS = [
  'ai',
  'assistant',
  'chatbot',
  'bot',
  'model',
  'llm',
  'gpt',
  'chatgpt',
  'claude',
  'bard',
  'gemini',
  'llama',
  'bing',
  'copilot',
];
export const REFUSE = ['refuse', 'decline', 'deny', 'reject', 'say no', 'turn down'];

/**
 * Words after which a verb reads as a command: "please ignore", "and then forget", "you must disregard",
 * "I want you to ignore". A verb after anything else ("I always forget the rules") is a statement.
 */
const LEAD_WORDS = new Set([
  'please',
  'now',
  'just',
  'so',
  'and',
  'then',
  'also',
  'first',
  'ok',
  'okay',
  'simply',
  'kindly',
  'you',
  'to',
  'must',
  'should',
  'will',
  'shall',
  'can',
  'could',
  'would',
  'hereby',
  'immediately',
  'completely',
  'totally',
  'entirely',
  'but',
  'or',
  'always',
  'instead',
  'next',
  'finally',
  'hey',
  'ai',
  'assistant',
  'chatgpt',
  'gpt',
  'bot',
  'model',
  'it',
  'never',
  'nevermind',
  'stop',
  'therefore',
  'hence',
  'well',
]);
const LEAD_AFTER_ALWAYS = new Set([
  'you',
  'must',
  'will',
  'should',
  'shall',
  'and',
  'it',
  'ai',
  'assistant',
  'model',
]);

/** Whether the match at `start` is in command position (see LEAD_WORDS), or a third-person statement about a persona. */
function imperative(view: string, start: number): boolean {
  let i = start - 1;
  while (i >= 0 && view.charCodeAt(i) === 0x20) i--;
  if (i < 0) return true;
  const c = view.charCodeAt(i);
  const letter = (x: number) => x >= 0x61 && x <= 0x7a;
  if (!letter(c)) return !(c >= 0x30 && c <= 0x39);
  let j = i;
  while (j >= 0 && letter(view.charCodeAt(j))) j--;
  const word = view.slice(j + 1, i + 1);
  if (word === 'always') {
    // "you always ignore" / "must always ignore" are commands; "I always forget" is a statement.
    let k = j;
    while (k >= 0 && view.charCodeAt(k) === 0x20) k--;
    let m = k;
    while (m >= 0 && letter(view.charCodeAt(m))) m--;
    return LEAD_AFTER_ALWAYS.has(view.slice(m + 1, k + 1));
  }
  if (LEAD_WORDS.has(word)) return true;
  // Third person describes what a persona does ("DAN ignores all rules"): the verb form says so.
  const verb = view.slice(start, start + 12);
  return /^(?:ignores|disregards|forgets|overrides|bypasses|neglects|discards)\b/.test(verb);
}
export const commandOnly = (view: string, start: number) => imperative(view, start);

export interface RuleSpec {
  readonly id: string;
  readonly weight: number;
  readonly untrustedWeight?: number;
  readonly description: string;
  readonly pattern: RegExp;
  readonly words?: readonly string[];
  readonly substrings?: readonly string[];
  readonly accept?: (view: string, start: number, end: number) => boolean;
}

export function family(category: RuleCategory, specs: readonly RuleSpec[]): ScreeningRule[] {
  return specs.map((spec) => ({ ...spec, category }));
}

/** Multilingual phrasing, written in the source script and passed through the normalizer once. */
export const ml = (pattern: string) => skeleton(pattern);
