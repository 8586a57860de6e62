import { exfiltrationRules } from './rules/exfiltration.js';
import { fakeDelimiterRules } from './rules/fake-delimiter.js';
import { harmfulRequestRules } from './rules/harmful-request.js';
import { indirectInjectionRules } from './rules/indirect-injection.js';
import { instructionOverrideRules } from './rules/instruction-override.js';
import { obfuscationRules } from './rules/obfuscation.js';
import { payloadSplittingRules } from './rules/payload-splitting.js';
import { promptExtractionRules } from './rules/prompt-extraction.js';
import { refusalSuppressionRules } from './rules/refusal-suppression.js';
import { roleOverrideRules } from './rules/role-override.js';
import type { ScreeningRule } from './screening-types.js';

/*
 * The built-in rules, one file per kind of attack under rules/ (rule-helpers.ts says how patterns are
 * written and why they stay linear-time).
 */

/** Every built-in rule, in a stable order. */
export const builtinRules: readonly ScreeningRule[] = [
  ...instructionOverrideRules,
  ...promptExtractionRules,
  ...roleOverrideRules,
  ...refusalSuppressionRules,
  ...fakeDelimiterRules,
  ...indirectInjectionRules,
  ...exfiltrationRules,
  ...harmfulRequestRules,
  ...payloadSplittingRules,
  ...obfuscationRules,
];

/**
 * Signals the engine adds itself (not patterns): words split by invisible characters, words mixing
 * scripts, and payloads hidden in an encoding that turned out to hold instructions.
 */
export const signalRules = {
  invisibleCharacters: {
    id: 'obfuscation.invisible_characters',
    category: 'obfuscation',
    weight: 0.25,
    description: 'Invisible characters (zero-width, bidi controls, tags) inside words.',
  },
  mixedScript: {
    id: 'obfuscation.mixed_script',
    category: 'obfuscation',
    weight: 0.3,
    description: 'Words that mix ASCII letters with look-alike letters from another script.',
  },
  encodedInstructions: {
    id: 'obfuscation.encoded_instructions',
    category: 'obfuscation',
    weight: 0.5,
    description: 'A rule matched inside a decoded payload (base64, hex, URL, entities, tags, split strings).',
  },
} as const satisfies Record<string, Omit<ScreeningRule, 'pattern'>>;
