/** What screening decides for one text: let it through, let it through and record it, or refuse it. */
export type ScreeningVerdict = 'allow' | 'flag' | 'block';

/** A range of UTF-16 code units in the screened input, end exclusive (`input.slice(start, end)`). */
export interface TextSpan {
  readonly start: number;
  readonly end: number;
}

/** Where a text came from: typed by the caller, or content the caller passed along (a tool result, a document). */
export type TextOrigin = 'user' | 'untrusted';

/** The kinds of attack the built-in rules look for (docs/guards.md, "Text screening"). */
export type RuleCategory =
  | 'instruction_override'
  | 'prompt_extraction'
  | 'role_override'
  | 'refusal_suppression'
  | 'fake_delimiter'
  | 'indirect_injection'
  | 'exfiltration'
  | 'harmful_request'
  | 'payload_splitting'
  | 'obfuscation';

/**
 * One screening rule. A rule without anchors (`words`, `substrings`) scans the whole view. `pattern` runs on the normalized view of the text (lower case, ASCII skeleton of
 * look-alikes, invisible characters removed, one space for each run of spaces, `\n` for line breaks, quotes
 * and dashes folded to `'`, `"` and `-`), so it is written in lower case. It must have the `g` flag and must
 * be linear-time: bounded gaps (`[^\n]{0,40}`), no nested unbounded quantifiers, no back-references into
 * repetitions.
 */
export interface ScreeningRule {
  /** Stable, dotted: `<category>.<name>`. */
  readonly id: string;
  readonly category: RuleCategory;
  /** Contribution to the score, 0 < weight ≤ 1 (scores combine as a noisy OR). */
  readonly weight: number;
  /** Weight when the text is untrusted content (a tool result, a retrieved document); defaults to `weight`. */
  readonly untrustedWeight?: number;
  readonly description: string;
  readonly pattern: RegExp;
  /**
   * Anchors: the words (runs of `[a-z0-9_]` in the view) a match can start with. The pattern runs sticky at
   * each occurrence of them, so it must begin with one of them (left context goes in a lookbehind).
   */
  readonly words?: readonly string[];
  /** Anchors as substrings a match can start with (punctuation, scripts without spaces). */
  readonly substrings?: readonly string[];
  /**
   * A check of a match in its context (the view and the match's view range); a rejected match does not
   * count and the search goes on after it. Must be cheap and look only near the match.
   */
  readonly accept?: (view: string, start: number, end: number) => boolean;
}

/** A rule that matched: its id, the weight it counted with and where it matched. */
export interface RuleHit {
  readonly id: string;
  readonly weight: number;
  /** In the screened input. For a hit inside a decoded payload, the span of the outermost encoded run. */
  readonly span: TextSpan;
  /** Index into `decoded` when the hit is inside a decoded payload. */
  readonly decoded?: number;
  /** Index of the chat message, for `screenMessages`. */
  readonly message?: number;
}

/** How an embedded payload was encoded. */
export type PayloadEncoding =
  | 'base64'
  | 'hex'
  | 'url'
  | 'html-entities'
  | 'unicode-tags'
  | 'variation-selectors'
  | 'split-strings';

/** A payload found encoded in the text (or in another payload) and screened in decoded form. */
export interface DecodedPayload {
  readonly encoding: PayloadEncoding;
  /** 1 for a payload in the input, 2 for one inside that, and so on. */
  readonly depth: number;
  /** The outermost encoded run in the screened input. */
  readonly span: TextSpan;
  /** Index of the payload this one was found in, for depth > 1. */
  readonly parent?: number;
  /** The decoded text, cut to `decode.previewChars`. */
  readonly preview: string;
  /** Length of the decoded text in UTF-16 code units. */
  readonly length: number;
  readonly message?: number;
}

/** Why screening did not look at everything. */
export type ScreeningLimit =
  | 'input-size'
  | 'decode-depth'
  | 'decode-payloads'
  | 'decode-size'
  | 'decode-candidates'
  | 'spans';

export interface ScreeningResult {
  readonly verdict: ScreeningVerdict;
  /** Final score in [0, 1]: the rule score, combined with the classifier's when one ran. */
  readonly score: number;
  readonly ruleScore: number;
  /** The classifier's score, when a classifier ran and answered. */
  readonly classifierScore?: number;
  /** Set when the classifier failed or timed out (the verdict then follows `classifier.onError`). */
  readonly classifierError?: string;
  readonly rules: readonly RuleHit[];
  readonly decoded: readonly DecodedPayload[];
  /** Limits that were reached: what lies beyond them was not screened. */
  readonly limits: readonly ScreeningLimit[];
  /** In monitor mode, whether the verdict would have been `block`. */
  readonly wouldBlock?: boolean;
}

/**
 * An optional model stage (for example an ONNX text classifier) that an operator plugs in: the probability
 * in [0, 1] that a text is an injection or jailbreak. Called with the input (cut to `classifier.maxChars`)
 * and with each decoded payload, up to `classifier.maxCalls` texts.
 */
export interface TextClassifier {
  score(text: string): Promise<number>;
}
