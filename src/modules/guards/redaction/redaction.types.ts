/** The kinds of personal data and secrets the redactor finds, each replaced by its own placeholder. */
export const piiTypes = [
  'EMAIL',
  'PHONE',
  'CREDIT_CARD',
  'IBAN',
  'US_SSN',
  'IP_ADDRESS',
  'API_KEY',
  'PERSON',
] as const;
export type PiiType = (typeof piiTypes)[number];

export function isPiiType(value: unknown): value is PiiType {
  return typeof value === 'string' && (piiTypes as readonly string[]).includes(value);
}

/**
 * One replaced stretch of the input: where it was (UTF-16 offsets into the input, end exclusive), what it
 * was and which rule found it. Never the value itself, so a redaction can be logged and audited as is.
 */
export interface Redaction {
  type: PiiType;
  start: number;
  end: number;
  /** The rule that matched, e.g. `card-luhn`, `aws-access-key`, `entropy` (stable, for metrics). */
  detector: string;
}

export interface RedactionResult {
  text: string;
  /** In input order; stretches never overlap. */
  redactions: Redaction[];
  /** The input was longer than `maxInputChars`: only its start was scanned and returned (fail closed). */
  truncated: boolean;
}

/**
 * How each placeholder reads: `typed` → `[EMAIL]`; `numbered` → `[EMAIL_1]`, the same value getting the same
 * number within one text (a reader can still tell two people apart); `fixed` → `[REDACTED]` (hides the kind).
 */
export const placeholderStyles = ['typed', 'numbered', 'fixed'] as const;
export type PlaceholderStyle = (typeof placeholderStyles)[number];

/** Per-deployment settings (validated by `parseRedactionConfig`). */
export interface RedactionConfig {
  /** The kinds to redact; the others are left as they are. */
  types: readonly PiiType[];
  placeholder: PlaceholderStyle;
  /**
   * Longest input scanned, in UTF-16 code units. A longer input is cut (at a space near the limit when there
   * is one) and `[TRUNCATED]` appended: nothing unscanned leaves the guard.
   */
  maxInputChars: number;
  /** Also treat unlabelled high-entropy tokens (random-looking, mixed case and digits) as secrets. */
  entropyTokens: boolean;
}

/** What a detector reports: a candidate stretch; overlapping candidates are merged before replacing. */
export interface Detection {
  type: PiiType;
  start: number;
  end: number;
  detector: string;
}
