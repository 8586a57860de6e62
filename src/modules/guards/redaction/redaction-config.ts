import {
  isPiiType,
  type PiiType,
  type PlaceholderStyle,
  piiTypes,
  placeholderStyles,
  type RedactionConfig,
} from './redaction.types.js';

/** The most a deployment may ask to be scanned in one text (beyond it: cut, see `maxInputChars`). */
export const REDACTION_MAX_INPUT_CHARS = 16 * 1024 * 1024;

/**
 * Every kind, typed placeholders, 1 Mi characters. PERSON is on: it only fires after a cue ("Dear …",
 * "Name: …"), so it misses many names but rarely takes a word that is not one.
 */
export const defaultRedactionConfig: RedactionConfig = Object.freeze({
  types: Object.freeze([...piiTypes]),
  placeholder: 'typed',
  maxInputChars: 1024 * 1024,
  entropyTokens: true,
});

export type ParsedRedactionConfig = { ok: true; config: RedactionConfig } | { ok: false; errors: string[] };

/**
 * A deployment's redaction settings from untrusted JSON: unknown keys, unknown types, a bad style or limit
 * are all reported at once; absent keys take the defaults. The result is frozen.
 */
export function parseRedactionConfig(input: unknown): ParsedRedactionConfig {
  if (input === undefined || input === null) return { ok: true, config: defaultRedactionConfig };
  if (typeof input !== 'object' || Array.isArray(input)) return { ok: false, errors: ['must be an object'] };
  const raw = input as Record<string, unknown>;
  const errors: string[] = [];
  for (const key of Object.keys(raw)) {
    if (!(key in defaultRedactionConfig)) errors.push(`unknown setting "${key}"`);
  }
  let types: readonly PiiType[] = defaultRedactionConfig.types;
  if (raw.types !== undefined) {
    if (!Array.isArray(raw.types)) errors.push('types must be a list');
    else {
      const bad = raw.types.filter((t) => !isPiiType(t));
      if (bad.length > 0) errors.push(`types: unknown ${bad.map((t) => JSON.stringify(t)).join(', ')}`);
      else types = [...new Set(raw.types as PiiType[])];
    }
  }
  let placeholder: PlaceholderStyle = defaultRedactionConfig.placeholder;
  if (raw.placeholder !== undefined) {
    if ((placeholderStyles as readonly unknown[]).includes(raw.placeholder))
      placeholder = raw.placeholder as PlaceholderStyle;
    else errors.push(`placeholder must be one of ${placeholderStyles.join(', ')}`);
  }
  let maxInputChars = defaultRedactionConfig.maxInputChars;
  if (raw.maxInputChars !== undefined) {
    const n = raw.maxInputChars;
    if (typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= REDACTION_MAX_INPUT_CHARS)
      maxInputChars = n;
    else errors.push(`maxInputChars must be an integer from 1 to ${REDACTION_MAX_INPUT_CHARS}`);
  }
  let entropyTokens = defaultRedactionConfig.entropyTokens;
  if (raw.entropyTokens !== undefined) {
    if (typeof raw.entropyTokens === 'boolean') entropyTokens = raw.entropyTokens;
    else errors.push('entropyTokens must be true or false');
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    config: Object.freeze({ types: Object.freeze([...types]), placeholder, maxInputChars, entropyTokens }),
  };
}
